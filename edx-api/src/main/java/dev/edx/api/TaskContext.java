package dev.edx.api;

import java.util.Map;

/** What a running {@link Task} gets: its environment, its parameters, a log and a progress sink. */
public interface TaskContext {

  /** The id of the job running this task. */
  String jobId();

  /** The environment the task runs in. Do not close it: the compute service owns it. */
  Environment environment();

  Map<String, String> params();

  /**
   * A required parameter.
   *
   * @throws IllegalArgumentException naming the parameter and those that were given
   */
  default String param(String name) {
    String value = params().get(name);
    if (value == null) {
      throw new IllegalArgumentException("Missing task parameter '" + name + "' for job "
          + jobId() + "; given: " + params().keySet());
    }
    return value;
  }

  /** Appends a line to the job's log. */
  void log(String message);

  /**
   * Reports progress: {@code done} of {@code total} units ({@code total} -1 when unknown), with a
   * short message. Also logged.
   */
  void progress(long done, long total, String message);
}
