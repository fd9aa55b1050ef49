package dev.edx.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A job's state and, for FAILED, CANCELLED or UNKNOWN, why.
 *
 * @param state the state
 * @param reason why the job is in that state (a failure's cause, a backend's message)
 */
public record JobStatus(JobState state, Optional<String> reason) {
  public JobStatus {
    requireNonNull(state, "state is null");
    requireNonNull(reason, "reason is null");
  }

  public static JobStatus of(JobState state) {
    return new JobStatus(state, Optional.empty());
  }

  public static JobStatus of(JobState state, String reason) {
    return new JobStatus(state, Optional.of(reason));
  }

  public boolean isTerminal() {
    return state.isTerminal();
  }

  @Override
  public String toString() {
    return reason.map(r -> state + " (" + r + ")").orElse(state.name());
  }
}
