package dev.edx.gha.publish;

import dev.edx.api.Task;
import dev.edx.api.TaskContext;
import dev.edx.gha.Hour;
import dev.edx.gha.Results;
import java.util.Arrays;
import java.util.List;

/**
 * publish as a task (see {@link EventPublisher}). Parameters: {@code store} (the stream data
 * store's name), {@code topic}, {@code markerTopic}, {@code lakeBucket}, {@code hours} (comma
 * separated {@code YYYY-MM-DDTHH}), {@code force} and {@code result} ({@code bucket/key} for the
 * list of {@link EventPublisher.HourPublished}).
 */
public final class PublishTask implements Task {

  @Override
  public void run(TaskContext context) throws Exception {
    List<Hour> hours = Arrays.stream(context.param("hours").split(","))
        .filter(h -> !h.isBlank()).map(Hour::parse).toList();
    List<EventPublisher.HourPublished> results = new EventPublisher(context.environment(),
        context::log).publish(context.param("store"), context.param("topic"),
            context.param("markerTopic"), context.param("lakeBucket"), hours,
            Boolean.parseBoolean(context.params().getOrDefault("force", "false")));
    Results.write(context.environment().storage(), Results.ref(context.param("result")),
        results);
  }
}
