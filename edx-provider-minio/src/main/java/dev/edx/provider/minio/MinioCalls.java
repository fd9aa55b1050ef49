package dev.edx.provider.minio;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.OperationStateUnknownException;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.minio.errors.XmlParserException;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls to minio-java: idempotent ones are retried after transient failures (I/O errors,
 * 5xx answers, a body cut short) with exponential backoff; every failure leaves as an edx
 * exception naming the endpoint, the bucket and the key ({@link MinioErrors}). Refuses every call
 * once closed.
 */
final class MinioCalls {
  private static final Logger LOG = LoggerFactory.getLogger(MinioCalls.class);

  /** Retries of an idempotent call after a transient failure (I/O error, 5xx, cut answer). */
  static final int RETRIES = 5;
  /** The first retry's delay; each next one doubles it. */
  private static final long RETRY_BACKOFF_MILLIS = 50;
  private static final Set<String> TRANSIENT_CODES = Set.of("SlowDown", "InternalError",
      "ServiceUnavailable", "RequestTimeout");

  /** A call to minio-java that may throw any of its checked exceptions. */
  @FunctionalInterface
  interface MinioCall<T> {
    T call() throws Exception;
  }

  private final URI endpoint;
  private final MinioErrors errors;
  private final AtomicBoolean closed = new AtomicBoolean();

  MinioCalls(URI endpoint) {
    this.endpoint = requireNonNull(endpoint, "endpoint is null");
    this.errors = new MinioErrors(endpoint);
  }

  /** Runs an idempotent call, retrying transient failures up to {@link #RETRIES} times. */
  <T> T call(String what, String bucket, String key, MinioCall<T> call) {
    return call(what, bucket, key, true, call);
  }

  /** Runs a call that must not be repeated blindly (its input is consumed, or not idempotent). */
  <T> T callOnce(String what, String bucket, String key, MinioCall<T> call) {
    return call(what, bucket, key, false, call);
  }

  /** As {@link #call}, for calls that answer nothing. */
  void run(String what, String bucket, MinioCall<?> call) {
    call(what, bucket, null, true, call);
  }

  private <T> T call(String what, String bucket, String key, boolean retry, MinioCall<T> call) {
    requireOpen();
    for (int attempt = 0; ; attempt++) {
      try {
        return call.call();
      } catch (EdxException | IllegalArgumentException e) {
        throw e;
      } catch (Exception e) {
        if (!retry || attempt >= RETRIES || !transientFailure(e)) {
          throw errors.map(e, what, bucket, key);
        }
        LOG.debug("Retrying {} after a transient failure (attempt {}): {}", what, attempt + 1,
            e.toString());
        backoff(attempt);
      }
    }
  }

  /** Whether {@code e} may pass on a retry: I/O errors, 5xx answers, unreadable answers. */
  static boolean transientFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof ServerException
          || t instanceof InvalidResponseException || t instanceof XmlParserException) {
        return true;
      }
      if (t instanceof ErrorResponseException r) {
        String code = r.errorResponse() == null ? "" : r.errorResponse().code();
        int status = r.response() == null ? 0 : r.response().code();
        // 501 NotImplemented is an answer, not a hiccup: a store without bucket tagging gives it
        // every time (the ownership check reads it as "use the marker object").
        return status >= 500 && status != 501 && !"NotImplemented".equals(code)
            || TRANSIENT_CODES.contains(code);
      }
    }
    return false;
  }

  /** Waits before retry {@code attempt} (from 0): 50 ms, doubling. */
  static void backoff(int attempt) {
    try {
      Thread.sleep(RETRY_BACKOFF_MILLIS << Math.min(attempt, 6));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationStateUnknownException("Cannot retry: interrupted", e);
    }
  }

  void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("Cannot use the minio storage on " + endpoint
          + ": it is closed");
    }
  }

  /** Refuses every call from now on; true the first time. */
  boolean close() {
    return closed.compareAndSet(false, true);
  }
}
