package dev.edx.api;

import dev.edx.api.exceptions.JobTimeoutException;
import java.io.InputStream;
import java.time.Duration;

/** A submitted job. Thread safe. */
public interface JobHandle {

  /** The job's id, unique within its compute service. */
  String id();

  /** The current status, read from the backend. */
  JobStatus status();

  /**
   * Waits until the job reaches a terminal state and returns that status. A job that cannot start
   * (bad image, no quota) ends FAILED with that reason; it does not wait forever.
   *
   * @throws JobTimeoutException if the job is not terminal when the timeout elapses; the job keeps
   *     running
   */
  JobStatus await(Duration timeout);

  /** The job's log so far, as UTF-8 text. The caller closes the stream. */
  InputStream logs();

  /** Asks the job to stop. Idempotent; a job that already ended keeps its state. */
  void cancel();
}
