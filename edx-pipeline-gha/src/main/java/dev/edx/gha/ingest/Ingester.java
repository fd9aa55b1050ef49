package dev.edx.gha.ingest;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.gha.Hour;
import dev.edx.gha.HourResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ingest: copies hours from an http(s) source or a local folder into the raw bucket, streaming
 * (an answer with a {@code Content-Length} goes to the store as it arrives, so a download and
 * its upload overlap and memory does not grow with the hour), several at once, skipping hours
 * already there with the same size (or etag), retrying 5xx, resets and timeouts with exponential
 * backoff. A 404 is "not published yet" while the hour is
 * younger than the toleration window, a "missing" hour after it; neither stops the run.
 */
final class Ingester {
  private static final Logger LOG = LoggerFactory.getLogger(Ingester.class);

  /** The settings of one ingest run. */
  record Settings(String source, String rawBucket, int parallel, Duration toleration,
      int retries, Duration backoff, Duration timeout, Instant now) {
    Settings {
      requireNonNull(source, "source is null");
      requireNonNull(rawBucket, "rawBucket is null");
      requireNonNull(toleration, "toleration is null");
      requireNonNull(backoff, "backoff is null");
      requireNonNull(timeout, "timeout is null");
      requireNonNull(now, "now is null");
      if (parallel < 1) {
        throw new IllegalArgumentException("--parallel must be at least 1, not " + parallel);
      }
      if (retries < 0) {
        throw new IllegalArgumentException("retries must not be negative: " + retries);
      }
    }

    boolean http() {
      return source.startsWith("http://") || source.startsWith("https://");
    }
  }

  private final ObjectStorage storage;
  private final Settings settings;
  private final HttpClient http;

  Ingester(ObjectStorage storage, Settings settings) {
    this.storage = requireNonNull(storage, "storage is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.http = settings.http() ? HttpClient.newBuilder()
        .connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build() : null;
  }

  /** Hears of each hour as it finishes, with how long it took. */
  interface HourListener {
    void finished(HourResult result, Duration took);
  }

  /** Ingests every hour; {@code progress} gets each result as it is known. */
  List<HourResult> ingest(List<Hour> hours, Consumer<HourResult> progress) {
    return ingest(hours, (r, took) -> progress.accept(r));
  }

  /** Ingests every hour; {@code listener} gets each result as it is known, and its duration. */
  List<HourResult> ingest(List<Hour> hours, HourListener listener) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.parallel(),
        Math.max(1, hours.size())));
    try {
      List<Future<HourResult>> futures = new ArrayList<>();
      for (Hour hour : hours) {
        futures.add(pool.submit(() -> {
          HourResult r;
          long start = System.nanoTime();
          try {
            r = ingest(hour);
          } catch (RuntimeException e) {
            r = HourResult.failed(hour, "ingest", e.toString());
          }
          listener.finished(r, Duration.ofNanos(System.nanoTime() - start));
          return r;
        }));
      }
      List<HourResult> results = new ArrayList<>();
      for (Future<HourResult> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("Cannot ingest: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Cannot ingest: interrupted", e);
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  HourResult ingest(Hour hour) {
    ObjectRef ref = ObjectRef.of(settings.rawBucket(), hour.rawKey());
    Optional<ObjectInfo> existing = storage.stat(ref);
    return settings.http() ? fromHttp(hour, ref, existing) : fromFolder(hour, ref, existing);
  }

  private HourResult fromFolder(Hour hour, ObjectRef ref, Optional<ObjectInfo> existing) {
    Path file = Path.of(settings.source()).resolve(hour.fileName());
    if (!Files.isRegularFile(file)) {
      return notFound(hour, file.toString());
    }
    try {
      long size = Files.size(file);
      if (existing.isPresent() && existing.get().size() == size) {
        return result(hour, "present", size, "already in " + ref + " with the same size");
      }
      ObjectInfo info = storage.put(ref, file);
      return result(hour, "ingested", info.size(), "from " + file);
    } catch (IOException e) {
      return HourResult.failed(hour, "ingest", "Cannot read " + file + ": " + e);
    }
  }

  private HourResult fromHttp(Hour hour, ObjectRef ref, Optional<ObjectInfo> existing) {
    URI uri = URI.create(settings.source().replaceAll("/+$", "") + "/" + hour.fileName());
    String lastProblem = "";
    for (int attempt = 0; attempt <= settings.retries(); attempt++) {
      if (attempt > 0) {
        sleep(settings.backoff().multipliedBy(1L << Math.min(attempt - 1, 10)));
      }
      try {
        if (existing.isPresent()) {
          HttpResponse<Void> head = http.send(request(uri, "HEAD"),
              HttpResponse.BodyHandlers.discarding());
          if (head.statusCode() >= 500) {
            lastProblem = "HTTP " + head.statusCode() + " on HEAD";
            continue;
          }
          if (head.statusCode() == 200 && same(existing.get(), head)) {
            return result(hour, "present", existing.get().size(), "already in " + ref
                + " with the same " + (comparableEtag(existing.get(), head) ? "etag" : "size"));
          }
        }
        // Its body stops on an interrupt (a cancelled job), the JDK's own does not.
        HttpResponse<InputStream> response = http.send(request(uri, "GET"),
            InterruptibleBody.handler());
        int status = response.statusCode();
        if (status == 200) {
          long expected = response.headers().firstValueAsLong("Content-Length").orElse(-1);
          ObjectInfo info;
          try (InputStream body = response.body()) {
            // With its length known, the store sends the bytes as they arrive: the download and
            // the upload overlap and nothing is held, whatever the hour's size.
            info = expected >= 0 ? storage.put(ref, body, expected) : storage.put(ref, body);
          }
          if (expected >= 0 && info.size() != expected) {
            lastProblem = "got " + info.size() + " of " + expected + " bytes";
            storage.delete(ref);
            continue;
          }
          return result(hour, "ingested", info.size(), "from " + uri
              + (attempt > 0 ? " after " + attempt + " retr" + (attempt == 1 ? "y" : "ies") : ""));
        }
        response.body().close();
        if (status == 404) {
          return notFound(hour, uri.toString());
        }
        lastProblem = "HTTP " + status;
        if (status < 500 && status != 408 && status != 429) {
          return HourResult.failed(hour, "ingest", "Cannot download " + uri + ": HTTP " + status);
        }
      } catch (IOException | UncheckedIOException e) {
        lastProblem = e.toString();
      } catch (RuntimeException e) {
        // A store wraps the stream's failure (a reset mid-body) in its own exception.
        if (!causedByIo(e)) {
          throw e;
        }
        lastProblem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return HourResult.failed(hour, "ingest", "Cannot download " + uri + ": interrupted");
      }
      LOG.debug("Attempt {} for {} failed: {}", attempt + 1, uri, lastProblem);
    }
    return HourResult.failed(hour, "ingest", "Cannot download " + uri + " after "
        + (settings.retries() + 1) + " attempts: " + lastProblem);
  }

  private static boolean causedByIo(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private HttpRequest request(URI uri, String method) {
    return HttpRequest.newBuilder(uri).timeout(settings.timeout())
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
  }

  private static boolean comparableEtag(ObjectInfo info, HttpResponse<?> head) {
    return info.etag().isPresent() && head.headers().firstValue("ETag").isPresent();
  }

  private static boolean same(ObjectInfo info, HttpResponse<?> head) {
    if (comparableEtag(info, head)) {
      String remote = head.headers().firstValue("ETag").get().replace("\"", "");
      if (remote.equals(info.etag().get().replace("\"", ""))) {
        return true;
      }
    }
    return head.headers().firstValueAsLong("Content-Length").orElse(-1) == info.size();
  }

  private HourResult notFound(Hour hour, String where) {
    boolean young = hour.end().plus(settings.toleration()).isAfter(settings.now());
    return young
        ? result(hour, "not-published", 0, where + " is not published yet (404 within "
            + settings.toleration().toHours() + " h of the hour)")
        : result(hour, "missing", 0, where + " does not exist (404): a missing hour");
  }

  private static HourResult result(Hour hour, String status, long bytes, String message) {
    return new HourResult(hour.toString(), "ingest", status, bytes, 0, 0, 0, message);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot ingest: interrupted while backing off", e);
    }
  }
}
