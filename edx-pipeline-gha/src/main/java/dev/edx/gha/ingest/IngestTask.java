package dev.edx.gha.ingest;

import dev.edx.api.ObjectStorage;
import dev.edx.api.Task;
import dev.edx.api.TaskContext;
import dev.edx.gha.Hour;
import dev.edx.gha.HourLine;
import dev.edx.gha.HourResult;
import dev.edx.gha.Results;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest step as a task (see {@link Ingester}). Parameters: {@code hours} (comma-separated
 * {@code YYYY-MM-DDTHH}), {@code source}, {@code rawBucket}, {@code result} ({@code bucket/key}
 * for the {@link HourResult} list) and optionally {@code parallel} (4), {@code tolerationHours}
 * (6), {@code retries} (4), {@code backoffMillis} (1000), {@code timeoutSeconds} (60) and
 * {@code now} (an ISO instant; the clock, for tests). The job fails, after writing its result,
 * when any hour failed.
 */
public final class IngestTask implements Task {

  @Override
  public void run(TaskContext context) {
    Map<String, String> p = context.params();
    List<Hour> hours = Arrays.stream(context.param("hours").split(","))
        .filter(s -> !s.isBlank()).map(Hour::parse).toList();
    Ingester.Settings settings = new Ingester.Settings(context.param("source"),
        context.param("rawBucket"), Integer.parseInt(p.getOrDefault("parallel", "4")),
        Duration.ofHours(Long.parseLong(p.getOrDefault("tolerationHours", "6"))),
        Integer.parseInt(p.getOrDefault("retries", "4")),
        Duration.ofMillis(Long.parseLong(p.getOrDefault("backoffMillis", "1000"))),
        Duration.ofSeconds(Long.parseLong(p.getOrDefault("timeoutSeconds", "60"))),
        p.containsKey("now") ? Instant.parse(p.get("now")) : Instant.now());
    ObjectStorage storage = context.environment().storage();
    if (!storage.bucketExists(settings.rawBucket())) {
      storage.createBucket(settings.rawBucket());
    }
    AtomicLong done = new AtomicLong();
    List<HourResult> results = new Ingester(storage, settings).ingest(hours, (r, took) -> {
      context.log(HourLine.format(r, took));
      context.progress(done.incrementAndGet(), hours.size(), r.hour() + " " + r.status());
    });
    Results.write(storage, Results.ref(context.param("result")), results);
    List<String> failed = results.stream().filter(HourResult::failed)
        .map(r -> r.hour() + ": " + r.message()).toList();
    if (!failed.isEmpty()) {
      throw new IllegalStateException(failed.size() + " hour(s) failed to ingest: "
          + String.join("; ", failed));
    }
  }
}
