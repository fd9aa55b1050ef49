package dev.edx.gha.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A local HTTP server that serves hour files by name, as gharchive.org does (GET and HEAD, 404 for
 * unknown names), on 127.0.0.1 and a free port. For {@code edx demo} and tests.
 */
public final class HourServer implements AutoCloseable {
  private static final int WRITE_SLICE = 64 * 1024;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  public HourServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public void put(String name, byte[] content) {
    files.put(name, content);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String name = exchange.getRequestURI().getPath().replaceFirst("^/+", "");
      byte[] body = files.get(name);
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/gzip");
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Content-Length", Long.toString(body.length));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        // In slices: the JDK's server holds about twice what one write hands it until the client
        // has read it all, so one write of a 100 MB hour kept 200 MB on the heap.
        for (int at = 0; at < body.length; at += WRITE_SLICE) {
          out.write(body, at, Math.min(WRITE_SLICE, body.length - at));
        }
      }
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
