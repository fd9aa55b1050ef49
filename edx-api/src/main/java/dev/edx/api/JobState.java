package dev.edx.api;

/** Where a job is in its life. SUCCEEDED, FAILED and CANCELLED are terminal. */
public enum JobState {
  /** Accepted by edx, not yet handed to the backend or waiting for resources. */
  PENDING,
  /** Handed to the backend, not yet running. */
  SUBMITTED,
  RUNNING,
  SUCCEEDED,
  /** Ended in failure; the status carries the reason. */
  FAILED,
  CANCELLED,
  /** The backend reports a state edx cannot map, or cannot be reached. */
  UNKNOWN;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
