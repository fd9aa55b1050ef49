package dev.edx.api;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Runs a {@link Task} class with string parameters. The class needs a public no-argument
 * constructor and must be on the class path of whatever runs it.
 *
 * @param name a short name for ids and logs
 * @param taskClass the fully qualified name of a {@link Task} implementation
 * @param params the task's parameters
 */
public record TaskJob(String name, String taskClass, Map<String, String> params)
    implements JobSpec {
  public TaskJob {
    requireNonNull(name, "name is null");
    requireNonNull(taskClass, "taskClass is null");
    params = Map.copyOf(requireNonNull(params, "params is null"));
    if (name.isBlank()) {
      throw new IllegalArgumentException("TaskJob name is blank");
    }
  }

  /** A job named after the task class's simple name. */
  public static TaskJob of(Class<? extends Task> taskClass, Map<String, String> params) {
    return new TaskJob(taskClass.getSimpleName(), taskClass.getName(), params);
  }
}
