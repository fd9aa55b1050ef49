package dev.edx.api.exceptions;

import static java.util.Objects.requireNonNull;

import dev.edx.api.JobStatus;

/**
 * A job did not reach a terminal state within the time given to {@code JobHandle.await}. The job
 * itself is left running; cancel it if it should stop.
 */
public class JobTimeoutException extends EdxException {
  private static final long serialVersionUID = 1L;
  private final String jobId;
  private final transient JobStatus lastStatus;

  public JobTimeoutException(String jobId, JobStatus lastStatus, String message) {
    super(message);
    this.jobId = requireNonNull(jobId, "jobId is null");
    this.lastStatus = requireNonNull(lastStatus, "lastStatus is null");
  }

  public String jobId() {
    return jobId;
  }

  public JobStatus lastStatus() {
    return lastStatus;
  }
}
