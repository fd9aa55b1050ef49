package dev.edx.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** Waiting for backends that are eventually consistent, for the contract tests. */
public final class Consistency {
  private static final long POLL_MILLIS = 20;

  private Consistency() {}

  /**
   * Retries {@code assertion} until it passes or {@code timeout} elapses, then rethrows its last
   * failure: an assertion error, or a runtime exception such as the not-found a lagging store
   * throws. Polls; never sleeps longer than needed.
   */
  public static void awaitConsistent(Duration timeout, Runnable assertion) {
    requireNonNull(timeout, "timeout is null");
    requireNonNull(assertion, "assertion is null");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError | RuntimeException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting for a consistent state", e);
      }
    }
  }
}
