package dev.edx.gha.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;

/**
 * An input stream that reads its source ahead on a thread of its own, in a fixed number of large
 * chunks, so that the source's reads (a download) and this stream's reader (an upload) overlap
 * while only {@code chunks} chunks are ever held, whatever the source's length. The two threads
 * meet once per chunk, not once per network read. The source is read and closed on the
 * read-ahead thread only; {@link #close()} stops that thread at its next chunk.
 */
final class ReadAhead extends InputStream {
  /** A filled chunk: {@code length} bytes of {@code bytes}, or the end, or the source's error. */
  private record Chunk(byte[] bytes, int length, IOException error) {
    static final Chunk END = new Chunk(new byte[0], -1, null);
  }

  private final BlockingQueue<byte[]> free;
  private final BlockingQueue<Chunk> full;
  private volatile boolean closed;
  private Chunk current;
  private int position;
  private boolean ended;

  ReadAhead(InputStream source, int chunkSize, int chunks, Executor executor) {
    Objects.requireNonNull(source, "source is null");
    if (chunkSize < 1 || chunks < 1) {
      throw new IllegalArgumentException("chunkSize and chunks must be positive: " + chunkSize
          + ", " + chunks);
    }
    free = new ArrayBlockingQueue<>(chunks);
    full = new ArrayBlockingQueue<>(chunks + 1);
    for (int i = 0; i < chunks; i++) {
      free.add(new byte[chunkSize]);
    }
    executor.execute(() -> fill(source));
  }

  private void fill(InputStream source) {
    try (source) {
      while (!closed) {
        byte[] bytes = free.take();
        int n = 0;
        int r = 0;
        while (n < bytes.length && !closed && (r = source.read(bytes, n, bytes.length - n)) > 0) {
          n += r;
        }
        if (n > 0) {
          full.put(new Chunk(bytes, n, null));
        }
        if (r < 0) {
          full.put(Chunk.END);
          return;
        }
      }
    } catch (IOException e) {
      full.offer(new Chunk(null, -1, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      full.offer(new Chunk(null, -1, new InterruptedIOException("read-ahead interrupted")));
    }
  }

  /** The chunk to read from, or null at the end; throws the source's error. */
  private Chunk current() throws IOException {
    if (closed) {
      throw new IOException("Stream closed");
    }
    if (current != null && position < current.length()) {
      return current;
    }
    if (ended) {
      return null;
    }
    if (current != null) {
      free.add(current.bytes());
      current = null;
    }
    Chunk next;
    try {
      next = full.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the download");
    }
    if (next.error() != null) {
      ended = true;
      throw new IOException(next.error().getMessage(), next.error());
    }
    if (next == Chunk.END) {
      ended = true;
      return null;
    }
    current = next;
    position = 0;
    return current;
  }

  @Override
  public int read() throws IOException {
    Chunk c = current();
    return c == null ? -1 : c.bytes()[position++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    Chunk c = current();
    if (c == null) {
      return -1;
    }
    int n = Math.min(len, c.length() - position);
    System.arraycopy(c.bytes(), position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return closed || current == null ? 0 : current.length() - position;
  }

  /** Stops the read-ahead: it closes the source after the read it is in, if any. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      // Wake the read-ahead thread if it waits for a free chunk.
      free.offer(new byte[0]);
      full.clear();
    }
  }
}
