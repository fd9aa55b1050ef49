package dev.edx.gha.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link InterruptibleBody} against real HTTP servers: it reads a body whole (with and without a
 * {@code Content-Length}), and an interrupt stops a read that waits on a stalled server and drops
 * its connection, where the JDK's {@code ofInputStream()} keeps waiting.
 */
class InterruptibleBodyTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readsABodyWholeWithOrWithoutItsLength() throws Exception {
    byte[] body = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(body);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        boolean chunked = exchange.getRequestURI().getPath().contains("chunked");
        exchange.sendResponseHeaders(200, chunked ? 0 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          for (int i = 0; i < body.length; i += 10_000) {
            out.write(body, i, Math.min(10_000, body.length - i));
          }
        }
      }
    });
    server.start();
    try {
      for (String path : new String[] {"/length", "/chunked"}) {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + server.getAddress().getPort() + path)).build(),
            InterruptibleBody.handler());
        try (InputStream in = response.body()) {
          assertThat(in.read()).isEqualTo(body[0] & 0xff);
          byte[] rest = in.readAllBytes();
          assertThat(rest).hasSize(body.length - 1);
          assertThat(in.read()).isEqualTo(-1);
          byte[] all = new byte[body.length];
          all[0] = body[0];
          System.arraycopy(rest, 0, all, 1, rest.length);
          assertThat(all).as(path).isEqualTo(body);
        }
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anInterruptStopsAReadOnAStalledServerAndDropsTheConnection() throws Exception {
    CountDownLatch dropped = new CountDownLatch(1);
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread serve = new Thread(() -> {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          in.read(new byte[8192]); // the request
          s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\nabc"
              .getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          while (in.read() >= 0) {
            // No more bytes: wait for the client to close.
          }
          dropped.countDown();
        } catch (IOException e) {
          dropped.countDown(); // reset: dropped too
        }
      }, "stalled-server");
      serve.setDaemon(true);
      serve.start();

      HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + server.getLocalPort() + "/hour")).build(),
          InterruptibleBody.handler());
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      CountDownLatch firstBytes = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try (InputStream in = response.body()) {
          byte[] buffer = new byte[8192];
          in.read(buffer);
          firstBytes.countDown();
          in.read(buffer);
          failure.complete(null);
        } catch (IOException e) {
          failure.complete(e);
        }
      }, "reader");
      reader.start();
      assertThat(firstBytes.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(200); // the reader waits for bytes that do not come
      reader.interrupt();
      assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class)
          .hasMessage("Cannot read the HTTP response's body: interrupted");
      assertThat(dropped.await(10, TimeUnit.SECONDS)).as("the connection was closed").isTrue();
      reader.join(5_000);
      assertThat(reader.isAlive()).isFalse();
      InputStream closed = response.body();
      assertThatThrownBy(() -> closed.read()).isInstanceOf(IOException.class);
    }
  }
}
