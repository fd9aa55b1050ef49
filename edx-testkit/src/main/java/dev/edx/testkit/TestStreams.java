package dev.edx.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test data for {@link ObjectStorageContract}: byte and stream helpers, SHA-256 digests, and
 * streams that produce their bytes on demand so that large objects never sit in the test's heap.
 */
final class TestStreams {

  private TestStreams() {}

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] read(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] digest(InputStream in) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      digest.update(buffer, 0, n);
    }
    return digest.digest();
  }

  /**
   * Deterministic pseudo-random bytes of a given length, produced on demand. It never reports its
   * length ({@code available()} is 0) and returns short reads, like a network stream.
   */
  static final class GeneratedInputStream extends InputStream {
    private final long size;
    private long position;
    private long state;
    private boolean closed;
    private List<Long> marks = List.of();
    private Runnable atMark = () -> { };

    GeneratedInputStream(long size, long seed) {
      this.size = size;
      this.state = seed * 0x9E3779B97F4A7C15L + 1;
    }

    void onReach(List<Long> positions, Runnable action) {
      this.marks = new ArrayList<>(positions);
      this.atMark = action;
    }

    boolean closed() {
      return closed;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (position >= size) {
        return -1;
      }
      // short reads of at most 24 KiB, as a network stream gives
      int n = (int) Math.min(Math.min(length, 24 * 1024 + 7), size - position);
      for (int i = 0; i < n; i++) {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        buffer[offset + i] = (byte) state;
      }
      position += n;
      while (!marks.isEmpty() && position >= marks.get(0)) {
        marks.remove(0);
        atMark.run();
      }
      return n;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** {@code size} copies of one byte, produced on demand. */
  static final class FilledInputStream extends InputStream {
    private final byte fill;
    private long remaining;

    FilledInputStream(long size, byte fill) {
      this.remaining = size;
      this.fill = fill;
    }

    @Override
    public int read() {
      if (remaining <= 0) {
        return -1;
      }
      remaining--;
      return fill & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (remaining <= 0) {
        return -1;
      }
      int n = (int) Math.min(length, remaining);
      Arrays.fill(buffer, offset, offset + n, fill);
      remaining -= n;
      return n;
    }
  }
}
