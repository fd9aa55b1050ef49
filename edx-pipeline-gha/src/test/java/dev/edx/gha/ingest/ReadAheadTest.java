package dev.edx.gha.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The download's read-ahead: the same bytes, a bounded number of chunks, errors and close. */
class ReadAheadTest {
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void passesEveryByteThroughInOrder() throws IOException {
    byte[] data = new byte[1_000_003];
    new SplittableRandom(7).nextBytes(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ReadAhead in = new ReadAhead(new ByteArrayInputStream(data), 4096, 3, threads)) {
      out.write(in.read());
      byte[] buf = new byte[10_000];
      int n;
      while ((n = in.read(buf, 1, 9_999)) >= 0) {
        out.write(buf, 1, n);
      }
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(out.toByteArray()).isEqualTo(data);
  }

  @Test
  void holdsNoMoreThanItsChunksWhileTheReaderWaits() throws Exception {
    Endless source = new Endless();
    try (ReadAhead in = new ReadAhead(source, 1000, 2, threads)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (source.read.get() < 2000 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(200);
      assertThat(source.read.get()).isEqualTo(2000);
      assertThat(in.read(new byte[5000])).isEqualTo(1000);
      // Moving on to the second chunk frees the first for the read-ahead.
      assertThat(in.read()).isEqualTo(0);
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (source.read.get() < 3000 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(200);
      assertThat(source.read.get()).isEqualTo(3000);
    }
    assertThat(source.closed.await(10, TimeUnit.SECONDS)).as("source closed").isTrue();
  }

  @Test
  void theSourcesErrorReachesTheReaderAfterTheBytesBeforeIt() throws IOException {
    InputStream failing = new InputStream() {
      private int left = 2500;

      @Override
      public int read() throws IOException {
        if (left-- > 0) {
          return 1;
        }
        throw new IOException("connection reset");
      }
    };
    try (ReadAhead in = new ReadAhead(failing, 1000, 2, threads)) {
      byte[] buf = new byte[4000];
      int got = 0;
      IOException error = null;
      try {
        int n;
        while ((n = in.read(buf, got, buf.length - got)) > 0) {
          got += n;
        }
      } catch (IOException e) {
        error = e;
      }
      assertThat(got).isEqualTo(2000);
      assertThat(error).hasMessage("connection reset").hasCauseInstanceOf(IOException.class);
    }
  }

  @Test
  void closingStopsTheReadAheadAndClosesTheSource() throws Exception {
    Endless source = new Endless();
    ReadAhead in = new ReadAhead(source, 1000, 2, threads);
    assertThat(in.read()).isEqualTo(0);
    in.close();
    assertThat(source.closed.await(10, TimeUnit.SECONDS)).as("source closed").isTrue();
    long after = source.read.get();
    Thread.sleep(100);
    assertThat(source.read.get()).isEqualTo(after);
    assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("Stream closed");
  }

  @Test
  void rejectsChunksThatHoldNothing() {
    assertThatThrownBy(() -> new ReadAhead(InputStream.nullInputStream(), 0, 2, threads))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunkSize and chunks must be positive");
  }

  /** Zeros without end, 100 bytes per read, counting what it gave and telling when closed. */
  private static final class Endless extends InputStream {
    final AtomicLong read = new AtomicLong();
    final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public int read() {
      read.incrementAndGet();
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n = Math.min(len, 100);
      read.addAndGet(n);
      return n;
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }
}
