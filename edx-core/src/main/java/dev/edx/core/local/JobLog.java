package dev.edx.core.local;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A job's log, kept in memory up to a byte limit: when it grows past the limit the oldest bytes
 * are dropped and the log starts with a {@code [log truncated]} marker. Thread safe.
 */
final class JobLog {
  static final String TRUNCATED_MARKER = "[log truncated]\n";

  private final byte[] ring;
  private long written;

  JobLog(long maxBytes) {
    if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxBytes must be between 1 and 2^31-9: " + maxBytes);
    }
    this.ring = new byte[(int) maxBytes];
  }

  /** Appends a line; a trailing newline is added. */
  void line(String text) {
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    append(bytes, 0, bytes.length);
  }

  synchronized void append(byte[] bytes, int offset, int length) {
    // Only the last ring.length bytes of a large write can survive; count the others as written.
    int skip = Math.max(0, length - ring.length);
    written += skip;
    for (int i = offset + skip; i < offset + length; i++) {
      ring[(int) (written % ring.length)] = bytes[i];
      written++;
    }
    notifyAll();
  }

  /**
   * Waits until the log contains {@code text}: a wait on the writes, not a poll, so tests need
   * not guess how long a job takes to get somewhere.
   */
  synchronized void awaitText(String text) throws InterruptedException {
    while (!text().contains(text)) {
      wait();
    }
  }

  /** The log so far: the kept bytes, after the marker when older bytes were dropped. */
  synchronized byte[] snapshot() {
    boolean truncated = written > ring.length;
    int kept = (int) Math.min(written, ring.length);
    byte[] body = new byte[kept];
    int start = (int) (written > ring.length ? written % ring.length : 0);
    for (int i = 0; i < kept; i++) {
      body[i] = ring[(start + i) % ring.length];
    }
    if (!truncated) {
      return body;
    }
    // Do not start in the middle of a UTF-8 sequence.
    int from = 0;
    while (from < body.length && (body[from] & 0xC0) == 0x80) {
      from++;
    }
    byte[] marker = TRUNCATED_MARKER.getBytes(StandardCharsets.UTF_8);
    byte[] result = new byte[marker.length + body.length - from];
    System.arraycopy(marker, 0, result, 0, marker.length);
    System.arraycopy(body, from, result, marker.length, body.length - from);
    return result;
  }

  InputStream open() {
    return new ByteArrayInputStream(snapshot());
  }

  String text() {
    return new String(snapshot(), StandardCharsets.UTF_8);
  }
}
