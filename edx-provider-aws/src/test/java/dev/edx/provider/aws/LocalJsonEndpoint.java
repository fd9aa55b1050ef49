package dev.edx.provider.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local HTTP endpoint for tests that speaks the wire protocol of an AWS JSON service, so the real
 * SDK clients can be tested without AWS: JSON 1.1 ({@code X-Amz-Target: Service.Operation}, errors
 * as {@code {"__type": ..., "message": ...}} with HTTP 400) and REST-JSON (operation from method
 * and path, errors with the {@code x-amzn-ErrorType} header). It is a test double of the calls
 * edx uses, not an emulation of the service: requests are recorded for assertions, and faults
 * (throttling, conflicts) can be injected before the next calls of an operation.
 */
final class LocalJsonEndpoint implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  static {
    // without TCP_NODELAY, each small response waits out a 40 ms delayed ACK
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** One request: the operation (JSON 1.1 target's operation, or the REST handler's name). */
  record Request(String operation, String method, String path, String query, JsonNode body,
      Map<String, List<String>> headers) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** Answers requests; throws {@link AwsError} for an error response. */
  interface Handler {
    /** The operation a REST request is (JSON 1.1 requests name theirs in X-Amz-Target). */
    default String operation(String method, String path) {
      return method + " " + path;
    }

    JsonNode handle(Request request);
  }

  /** An AWS error response. */
  static final class AwsError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String type;
    final int status;

    AwsError(String type, String message) {
      this(type, 400, message);
    }

    AwsError(String type, int status, String message) {
      super(message, null, false, false);
      this.type = type;
      this.status = status;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final Handler handler;
  private final List<Request> requests = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Deque<AwsError>> faults = new ConcurrentHashMap<>();

  LocalJsonEndpoint(Handler handler) {
    this.handler = handler;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start a local endpoint", e);
    }
    server.createContext("/", this::serve);
    server.setExecutor(executor);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The requests so far, in order. */
  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The requests of one operation. */
  List<Request> requests(String operation) {
    return requests().stream().filter(r -> r.operation().equals(operation)).toList();
  }

  void clearRequests() {
    requests.clear();
  }

  /** The next {@code times} calls of {@code operation} fail with this error. */
  void failNext(String operation, int times, String type, int status, String message) {
    Deque<AwsError> queue = faults.computeIfAbsent(operation, o -> new ArrayDeque<>());
    synchronized (queue) {
      for (int i = 0; i < times; i++) {
        queue.add(new AwsError(type, status, message));
      }
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] raw;
      try (InputStream in = exchange.getRequestBody()) {
        raw = in.readAllBytes();
      }
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String operation = target != null ? target.substring(target.indexOf('.') + 1)
          : handler.operation(method, path);
      JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
      Request request = new Request(operation, method, path, exchange.getRequestURI()
          .getRawQuery(), body, Map.copyOf(exchange.getRequestHeaders()));
      requests.add(request);
      JsonNode response;
      try {
        Deque<AwsError> queue = faults.get(operation);
        AwsError fault = null;
        if (queue != null) {
          synchronized (queue) {
            fault = queue.poll();
          }
        }
        if (fault != null) {
          throw fault;
        }
        response = handler.handle(request);
      } catch (AwsError e) {
        ObjectNode error = JSON.createObjectNode().put("__type", e.type)
            .put("message", e.getMessage());
        send(exchange, e.status, error, e.type, target != null);
        return;
      } catch (RuntimeException e) {
        ObjectNode error = JSON.createObjectNode().put("__type", "InternalFailure")
            .put("message", String.valueOf(e));
        send(exchange, 500, error, "InternalFailure", target != null);
        return;
      }
      send(exchange, 200, response == null ? JSON.createObjectNode() : response, null,
          target != null);
    }
  }

  private static void send(HttpExchange exchange, int status, JsonNode body, String errorType,
      boolean json11) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", json11 ? "application/x-amz-json-1.1"
        : "application/json");
    exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    if (errorType != null) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
