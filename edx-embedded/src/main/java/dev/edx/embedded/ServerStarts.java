package dev.edx.embedded;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts two servers that do not depend on each other at once (the embedded PostgreSQL and the
 * S3 endpoint): the first on the calling thread, the second on a thread of its own. Either both
 * are started, or neither is left running: when one fails, the other is waited for and stopped,
 * and the failure thrown is the first's (the second's, when only it failed), the other's added as
 * suppressed.
 */
final class ServerStarts {
  private static final Logger LOG = LoggerFactory.getLogger(ServerStarts.class);

  private ServerStarts() {}

  /** Two started servers and how long each took to start, on its own thread. */
  record Both<A extends AutoCloseable, B extends AutoCloseable>(A first, B second,
      long firstNanos, long secondNanos) {
    Both {
      requireNonNull(first, "first is null");
      requireNonNull(second, "second is null");
    }
  }

  /**
   * Runs {@code first} on this thread and {@code second} on a new one (named after {@code
   * secondName}, with this thread's context class loader), and waits for both.
   *
   * @throws RuntimeException the first start's failure, or the second's when only it failed
   */
  static <A extends AutoCloseable, B extends AutoCloseable> Both<A, B> together(
      Supplier<A> first, String secondName, Supplier<B> second) {
    requireNonNull(first, "first is null");
    requireNonNull(secondName, "secondName is null");
    requireNonNull(second, "second is null");
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    CompletableFuture<Timed<B>> started = CompletableFuture.supplyAsync(() -> timed(second),
        task -> {
          Thread thread = new Thread(task, "edx-start-" + secondName);
          thread.setDaemon(true);
          thread.setContextClassLoader(loader);
          thread.start();
        });
    Timed<A> a;
    try {
      a = timed(first);
    } catch (RuntimeException | Error e) {
      // Never leave the second running: wait for it and stop it.
      try {
        close(join(started).value(), secondName, e);
      } catch (RuntimeException | Error secondFailure) {
        e.addSuppressed(secondFailure);
      }
      throw e;
    }
    Timed<B> b;
    try {
      b = join(started);
    } catch (RuntimeException | Error e) {
      close(a.value(), "the server started beside " + secondName, e);
      throw e;
    }
    return new Both<>(a.value(), b.value(), a.nanos(), b.nanos());
  }

  private record Timed<T>(T value, long nanos) {}

  private static <T> Timed<T> timed(Supplier<T> start) {
    long begin = System.nanoTime();
    T value = requireNonNull(start.get(), "a server start returned null");
    return new Timed<>(value, System.nanoTime() - begin);
  }

  /** Waits for {@code started}, uninterruptibly; its failure as thrown, not wrapped. */
  private static <T> T join(CompletableFuture<T> started) {
    try {
      return started.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error r) {
        throw r;
      }
      throw e;
    }
  }

  private static void close(AutoCloseable server, String what, Throwable cause) {
    try {
      server.close();
    } catch (Exception e) {
      LOG.warn("Cannot stop {} after a failed start", what, e);
      cause.addSuppressed(e);
    }
  }
}
