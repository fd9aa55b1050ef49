package dev.edx.gha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.edx.gha.Hour;
import dev.edx.gha.demo.GhArchiveGenerator;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest reports each hour as it finishes, with bytes and a rate, while others still download. */
class IngestProgressTest {
  @TempDir
  Path dir;

  @Test
  void eachHourIsReportedAsItFinishesNotWhenAllHaveEnded() throws Exception {
    Hour fast = Hour.parse("2015-01-01T00");
    Hour slow = Hour.parse("2015-01-01T01");
    byte[] fastBytes = GhArchiveGenerator.gzip(fast, 50);
    byte[] slowBytes = GhArchiveGenerator.gzip(slow, 50);
    CountDownLatch release = new CountDownLatch(1);
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", exchange -> {
      String name = exchange.getRequestURI().getPath().substring(1);
      byte[] body = name.equals(fast.fileName()) ? fastBytes
          : name.equals(slow.fileName()) ? slowBytes : null;
      try {
        if (body == slowBytes && !release.await(60, TimeUnit.SECONDS)) {
          body = null;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    });
    server.start();
    Path spec = dir.resolve("dev.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: dev}
        spec:
          secrets: {provider: local, directory: secrets}
          storage: {provider: local, root: data}
          metastore: {provider: local, directory: metastore}
          compute: {provider: local, threads: 1}
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String source = "http://127.0.0.1:" + server.getAddress().getPort();
    try {
      CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> GhaCli.run(
          new String[] {"gha", "ingest", "--env", spec.toString(), "--source", source,
              "--from", fast.toString(), "--to", slow.toString(), "--parallel", "2"},
          new PrintWriter(out, true), new PrintWriter(err, true)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!out.toString().contains("ingest " + fast) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      // The fast hour is reported while the slow one is still downloading.
      assertThat(code).isNotDone();
      assertThat(out.toString())
          .containsPattern("ingest 2015-01-01T00 ingested +" + fastBytes.length
              + " bytes +\\d+\\.\\d s +\\d+(\\.\\d)? [KM]?B/s")
          .doesNotContain("ingest " + slow);
      release.countDown();
      assertThat(code.get(60, TimeUnit.SECONDS)).as(out + "\n" + err).isZero();
      assertThat(out.toString()).containsPattern("ingest 2015-01-01T01 ingested +"
          + slowBytes.length + " bytes");
      assertThat(out.toString().split("ingest 2015-01-01T00", -1)).hasSize(2);
    } finally {
      release.countDown();
      server.stop(0);
    }
  }
}
