package dev.edx.api.exceptions;

/**
 * An optimistic-concurrency check failed: somebody else changed the thing since it was read.
 * Nothing was written. Retryable: reload, re-apply the change, and commit again.
 */
public class CommitConflictException extends EdxException {
  private static final long serialVersionUID = 1L;
  private final String name;
  private final long expectedVersion;
  private final long actualVersion;

  public CommitConflictException(
      String name, long expectedVersion, long actualVersion, String message) {
    super(message);
    this.name = name;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  public String name() {
    return name;
  }

  /** The version the writer read. */
  public long expectedVersion() {
    return expectedVersion;
  }

  /** The version found when committing, or -1 when the thing is gone. */
  public long actualVersion() {
    return actualVersion;
  }
}
