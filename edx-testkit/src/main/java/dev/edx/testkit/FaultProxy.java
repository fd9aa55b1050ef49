package dev.edx.testkit;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 proxy on loopback that injects faults into a seeded share of the requests it
 * forwards to one upstream server (the embedded S3 endpoint, an HTTP source): a {@code 503
 * SlowDown} answer, added latency, a connection reset after the request reached the upstream
 * (so its effect happened but the answer is lost), or a response body cut short. Each request
 * gets its own connection ({@code Connection: close}), so faults hit requests, not connections.
 * Which request gets which fault depends only on the seed and the order of requests.
 */
public final class FaultProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
  private static final byte[] SLOW_DOWN = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      + "<Error><Code>SlowDown</Code><Message>Injected by FaultProxy</Message></Error>")
      .getBytes(StandardCharsets.UTF_8);

  /** The faults injected. */
  public enum Fault {
    /** Answers {@code 503 SlowDown} without forwarding the request. */
    SERVER_ERROR,
    /** Forwards the request after a delay of 20 to 200 ms. */
    LATENCY,
    /** Forwards the request, then resets the client's connection before any answer. */
    RESET,
    /** Forwards the request and the answer's head, then half of its body, then closes. */
    TRUNCATED_BODY
  }

  private final URI upstream;
  private final ServerSocket server;
  private final Random random;
  private volatile double rate;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "edx-fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong requests = new AtomicLong();
  private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);

  private FaultProxy(URI upstream, long seed, double rate) throws IOException {
    this.upstream = requireNonNull(upstream, "upstream is null");
    this.random = new Random(seed);
    rate(rate);
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicLong());
    }
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  /**
   * Starts a proxy to {@code upstream} ({@code http://host:port}) faulting a share {@code rate}
   * (0 to 1) of requests, chosen by a {@link Random} seeded with {@code seed}.
   */
  public static FaultProxy start(URI upstream, long seed, double rate) {
    try {
      return new FaultProxy(upstream, seed, rate);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start a fault proxy to " + upstream, e);
    }
  }

  /** The proxy's address, {@code http://127.0.0.1:<port>}. */
  public URI uri() {
    return URI.create("http://" + server.getInetAddress().getHostAddress() + ":"
        + server.getLocalPort());
  }

  /** Changes the share of faulted requests, from the next request on. */
  public void rate(double rate) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("Invalid fault rate " + rate + ": use 0 to 1");
    }
    this.rate = rate;
  }

  /** Requests forwarded or answered so far. */
  public long requests() {
    return requests.get();
  }

  /** Faults injected so far, by kind. */
  public Map<Fault, Long> injected() {
    Map<Fault, Long> result = new EnumMap<>(Fault.class);
    injected.forEach((k, v) -> result.put(k, v.get()));
    return result;
  }

  private void accept() {
    while (!closed.get()) {
      try {
        Socket client = server.accept();
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        if (!closed.get()) {
          LOG.warn("Fault proxy to {} stopped accepting: {}", upstream, e.toString());
        }
        return;
      }
    }
  }

  private Fault decide() {
    synchronized (random) {
      requests.incrementAndGet();
      double r = random.nextDouble();
      Fault kind = Fault.values()[random.nextInt(Fault.values().length)];
      if (r >= rate) {
        return null;
      }
      injected.get(kind).incrementAndGet();
      return kind;
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      byte[] head = readHead(in);
      if (head == null) {
        return;
      }
      Fault fault = decide();
      if (fault == Fault.SERVER_ERROR) {
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: "
            + SLOW_DOWN.length + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(SLOW_DOWN);
        out.flush();
        return;
      }
      if (fault == Fault.LATENCY) {
        Thread.sleep(20 + Math.floorMod(head.length * 31L + requests.get(), 180L));
      }
      try (Socket up = new Socket(upstream.getHost(), upstream.getPort())) {
        OutputStream upOut = up.getOutputStream();
        upOut.write(closeConnection(head));
        upOut.flush();
        threads.execute(() -> pump(in, upOut, up));
        InputStream upIn = up.getInputStream();
        OutputStream out = client.getOutputStream();
        if (fault == Fault.RESET) {
          upIn.read(); // the upstream has handled the request: its answer is lost
          client.setSoLinger(true, 0);
          return;
        }
        if (fault == Fault.TRUNCATED_BODY) {
          byte[] responseHead = readHead(upIn);
          long length = responseHead == null ? 0 : contentLength(responseHead);
          if (length <= 0) {
            client.setSoLinger(true, 0); // no body to cut: reset instead
            return;
          }
          out.write(responseHead);
          copy(upIn, out, length / 2);
          out.flush();
          return;
        }
        upIn.transferTo(out);
        out.flush();
      }
    } catch (IOException e) {
      LOG.debug("Fault proxy connection ended: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pump(InputStream from, OutputStream to, Socket up) {
    try {
      from.transferTo(to);
      up.shutdownOutput();
    } catch (IOException e) {
      // either side closed: the other direction ends the exchange
    }
  }

  private static void copy(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buffer = new byte[8192];
    long left = n;
    while (left > 0) {
      int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (r < 0) {
        return;
      }
      out.write(buffer, 0, r);
      left -= r;
    }
  }

  /** The bytes up to and including the blank line after the headers; null at once-closed. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return head.size() == 0 ? null : head.toByteArray();
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n'
          && (matched == 1 || matched == 3)) ? matched + 1 : b == '\r' ? 1 : 0;
      if (head.size() > 1 << 20) {
        throw new IOException("HTTP head longer than 1 MiB");
      }
    }
    return head.toByteArray();
  }

  /** The request head with {@code Connection: close} in place of any connection header. */
  private static byte[] closeConnection(byte[] head) {
    String text = new String(head, StandardCharsets.ISO_8859_1);
    StringBuilder sb = new StringBuilder(text.length() + 32);
    String[] lines = text.split("\r\n", -1);
    sb.append(lines[0]).append("\r\n");
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      String lower = line.toLowerCase(Locale.ROOT);
      if (line.isEmpty() || lower.startsWith("connection:") || lower.startsWith("keep-alive:")
          || lower.startsWith("upgrade:") || lower.startsWith("http2-settings:")) {
        continue;
      }
      sb.append(line).append("\r\n");
    }
    sb.append("Connection: close\r\n\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static long contentLength(byte[] head) {
    for (String line : new String(head, StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(line.substring(15).trim());
      }
    }
    return -1;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        server.close();
      } catch (IOException e) {
        LOG.debug("Cannot close the fault proxy's socket: {}", e.toString());
      }
      threads.shutdownNow();
      LOG.info("Fault proxy to {}: {} requests, faults injected {}", upstream, requests(),
          injected());
    }
  }

  @Override
  public String toString() {
    return "FaultProxy[" + uri() + " -> " + upstream + ", rate " + rate + "]";
  }
}
