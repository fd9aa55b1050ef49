package dev.edx.gha.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An HTTP response's body as an {@link InputStream} that an interrupt stops: a read blocked on
 * the network throws {@link InterruptedIOException} (the interrupt stays set) and drops the
 * response, which closes its connection. The JDK's own {@code BodyHandlers.ofInputStream()}
 * ignores interrupts in a blocked read (Java 17), so a cancelled ingest whose source stalls would
 * wait for ever, holding its connection. Like the JDK's, it asks for one list of buffers at a
 * time, so no more than that is held.
 */
final class InterruptibleBody implements HttpResponse.BodySubscriber<InputStream> {
  /** The end of the body: its own instance, never an empty list the client may send. */
  private static final List<ByteBuffer> END = java.util.Collections.unmodifiableList(
      new java.util.ArrayList<>());

  private final BlockingQueue<List<ByteBuffer>> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
  private volatile Throwable failure;

  private InterruptibleBody() {}

  /** The body handler, for {@code HttpClient.send}. */
  static HttpResponse.BodyHandler<InputStream> handler() {
    return info -> new InterruptibleBody();
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return CompletableFuture.completedStage(new Body());
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    if (subscription.complete(s)) {
      s.request(1);
    } else {
      s.cancel();
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    received.add(buffers);
  }

  @Override
  public void onError(Throwable t) {
    failure = t;
    received.add(END);
  }

  @Override
  public void onComplete() {
    received.add(END);
  }

  /** Read by one thread, as a download's body is. */
  private final class Body extends InputStream {
    private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
    private ByteBuffer current = ByteBuffer.allocate(0);
    private boolean ended;
    private boolean closed;

    /** True when {@code current} has bytes, false at the end of the body. */
    private boolean fill() throws IOException {
      while (!current.hasRemaining()) {
        if (buffers.hasNext()) {
          current = buffers.next();
          continue;
        }
        if (closed) {
          throw new IOException("Cannot read the HTTP response's body: closed");
        }
        if (ended) {
          return false;
        }
        List<ByteBuffer> next;
        try {
          next = received.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          close();
          throw new InterruptedIOException("Cannot read the HTTP response's body: interrupted");
        }
        if (next == END) {
          ended = true;
          Throwable f = failure;
          if (f != null) {
            throw new IOException("Cannot read the HTTP response's body: " + f, f);
          }
          return false;
        }
        buffers = next.iterator();
        subscription.join().request(1);
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      return fill() ? current.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, current.remaining());
      current.get(b, off, n);
      return n;
    }

    @Override
    public int available() {
      return current.remaining();
    }

    /** Before the end of the body: drops the response (its connection is closed). */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        if (!ended) {
          subscription.thenAccept(Flow.Subscription::cancel);
        }
      }
    }
  }
}
