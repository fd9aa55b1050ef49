package dev.edx.gha.convert;

import dev.edx.api.ObjectStorage;
import dev.edx.api.Task;
import dev.edx.api.TaskContext;
import dev.edx.gha.Hour;
import dev.edx.gha.HourResult;
import dev.edx.gha.Results;
import java.util.List;

/**
 * json2parquet for one hour (see {@link HourConverter}). Parameters: {@code hour}
 * ({@code YYYY-MM-DDTHH}), {@code rawBucket}, {@code lakeBucket}, {@code force}
 * ({@code true} to convert even an unchanged hour) and {@code result} ({@code bucket/key} where
 * the {@link HourResult} list is written). A failed hour writes its result, then fails the job
 * with the reason.
 */
public final class Json2ParquetTask implements Task {

  @Override
  public void run(TaskContext context) throws Exception {
    Hour hour = Hour.parse(context.param("hour"));
    ObjectStorage storage = context.environment().storage();
    HourConverter converter = new HourConverter(storage, context.param("rawBucket"),
        context.param("lakeBucket"), HourConverter.MAX_LINE_BYTES);
    context.progress(0, 1, "converting " + hour);
    HourResult result;
    try {
      result = converter.convert(hour, Boolean.parseBoolean(context.params().get("force")));
    } catch (HourConverter.HourFailedException e) {
      Results.write(storage, Results.ref(context.param("result")),
          List.of(HourResult.failed(hour, "convert", e.getMessage())));
      throw e;
    }
    Results.write(storage, Results.ref(context.param("result")), List.of(result));
    context.progress(1, 1, hour + " " + result.status() + ": " + result.events() + " events");
  }
}
