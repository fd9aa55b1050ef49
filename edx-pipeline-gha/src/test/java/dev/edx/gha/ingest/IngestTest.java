package dev.edx.gha.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.gha.Hour;
import dev.edx.gha.HourResult;
import dev.edx.gha.demo.GhArchiveGenerator;
import dev.edx.testkit.EdxTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ingest against a local HTTP server with injected 5xx, resets and 404s. */
@EdxTest
class IngestTest {
  private HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  /** Per file: how many GETs fail first, and how (500 or a reset mid-body). */
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  private final Map<String, String> failureKind = new ConcurrentHashMap<>();
  private final AtomicInteger gets = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        String name = exchange.getRequestURI().getPath().substring(1);
        byte[] body = files.get(name);
        if (body == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        if ("HEAD".equals(exchange.getRequestMethod())) {
          exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
          exchange.sendResponseHeaders(200, -1);
          return;
        }
        gets.incrementAndGet();
        AtomicInteger left = failures.get(name);
        if (left != null && left.getAndDecrement() > 0) {
          if ("500".equals(failureKind.get(name))) {
            exchange.sendResponseHeaders(503, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, body.length / 3);
            out.flush();
            // Cut the connection mid-body: the client sees fewer bytes than announced.
            exchange.getHttpContext().getServer();
            throw new IOException("reset injected");
          }
          return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Ingester ingester(Environment env, Instant now) {
    if (!env.storage().bucketExists("gha-raw")) {
      env.storage().createBucket("gha-raw");
    }
    return new Ingester(env.storage(), new Ingester.Settings(
        "http://127.0.0.1:" + server.getAddress().getPort(), "gha-raw", 3,
        Duration.ofHours(6), 3, Duration.ofMillis(10), Duration.ofSeconds(10), now));
  }

  @Test
  void retriesServerErrorsAndResetsThenSkipsWhatIsAlreadyThere(Environment env) {
    Hour a = Hour.parse("2015-01-01T00");
    Hour b = Hour.parse("2015-01-01T01");
    Hour c = Hour.parse("2015-01-01T02");
    for (Hour h : List.of(a, b, c)) {
      files.put(h.fileName(), GhArchiveGenerator.gzip(h, 200));
    }
    failures.put(a.fileName(), new AtomicInteger(2));
    failureKind.put(a.fileName(), "500");
    failures.put(b.fileName(), new AtomicInteger(1));
    failureKind.put(b.fileName(), "reset");

    List<HourResult> first = ingester(env, Instant.parse("2020-01-01T00:00:00Z"))
        .ingest(List.of(a, b, c), r -> { });
    assertThat(first).extracting(HourResult::status)
        .containsExactly("ingested", "ingested", "ingested");
    assertThat(first.get(0).message()).contains("after 2 retries");
    for (Hour h : List.of(a, b, c)) {
      assertThat(env.storage().readAllBytes(ObjectRef.of("gha-raw", h.rawKey())))
          .isEqualTo(files.get(h.fileName()));
    }
    int getsBefore = gets.get();
    List<HourResult> second = ingester(env, Instant.parse("2020-01-01T00:00:00Z"))
        .ingest(List.of(a, b, c), r -> { });
    assertThat(second).extracting(HourResult::status)
        .containsExactly("present", "present", "present");
    assertThat(gets.get()).isEqualTo(getsBefore);
  }

  @Test
  void persistentServerErrorsFailTheHourAfterTheRetries(Environment env) {
    Hour a = Hour.parse("2016-01-01T00");
    files.put(a.fileName(), GhArchiveGenerator.gzip(a, 10));
    failures.put(a.fileName(), new AtomicInteger(100));
    failureKind.put(a.fileName(), "500");
    HourResult r = ingester(env, Instant.parse("2020-01-01T00:00:00Z")).ingest(a);
    assertThat(r.failed()).isTrue();
    assertThat(r.message()).contains("after 4 attempts").contains("HTTP 503");
    assertThat(env.storage().stat(ObjectRef.of("gha-raw", a.rawKey()))).isEmpty();
  }

  @Test
  void a404IsNotPublishedYetWithinTheTolerationAndMissingAfter(Environment env) {
    Hour hour = Hour.parse("2017-03-01T10");
    HourResult young = ingester(env, hour.end().plus(Duration.ofHours(2))).ingest(hour);
    assertThat(young.status()).isEqualTo("not-published");
    HourResult old = ingester(env, hour.end().plus(Duration.ofHours(7))).ingest(hour);
    assertThat(old.status()).isEqualTo("missing");
    assertThat(old.failed()).isFalse();
    assertThat(old.message()).contains("2017-03-01-10.json.gz").contains("404");
  }

  @Test
  void aLocalFolderIsASourceToo(Environment env, @org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws IOException {
    Hour hour = Hour.parse("2015-01-01T05");
    java.nio.file.Files.write(dir.resolve("2015-01-01-5.json.gz"),
        GhArchiveGenerator.gzip(hour, 5));
    env.storage().createBucket("gha-raw-folder");
    Ingester ingester = new Ingester(env.storage(), new Ingester.Settings(dir.toString(),
        "gha-raw-folder", 1, Duration.ofHours(6), 0, Duration.ofMillis(1), Duration.ofSeconds(1),
        Instant.now()));
    assertThat(ingester.ingest(hour).status()).isEqualTo("ingested");
    assertThat(ingester.ingest(hour).status()).isEqualTo("present");
    assertThat(ingester.ingest(Hour.parse("2015-01-01T06")).status()).isEqualTo("missing");
  }
}
