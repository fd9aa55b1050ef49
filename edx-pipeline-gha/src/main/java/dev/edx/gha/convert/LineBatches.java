package dev.edx.gha.convert;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a byte stream into batches of lines on {@code \n} (a trailing {@code \r} is dropped,
 * empty lines are skipped but counted). The stream is read straight into each batch's array,
 * where the lines stay: nothing is copied but the unfinished line at the end of a full batch.
 * A line longer than {@code maxLineBytes} is not held: it is skipped and listed with its length
 * only, so memory is bounded whatever the input.
 */
final class LineBatches {
  /** Bytes read into a batch before it is handed over (it grows only for a longer line). */
  static final int BATCH_BYTES = 256 << 10;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * Lines of the input: bytes {@code data[starts[i], starts[i] + lengths[i])}; a line longer
   * than the limit has length 0 and its {@code fullLengths[i]} above it.
   */
  record Batch(byte[] data, int[] starts, int[] lengths, long[] fullLengths, long[] lineNumbers,
      int count) {}

  private final InputStream in;
  private final int maxLineBytes;
  private byte[] data = new byte[BATCH_BYTES];
  private int filled;
  /** Start of the line not finished yet. */
  private int lineStart;
  private long lineNumber;
  private boolean eof;
  private int[] starts = new int[512];
  private int[] lengths = new int[512];
  private long[] fullLengths = new long[512];
  private long[] lineNumbers = new long[512];
  private int count;

  LineBatches(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next batch of at least one line; null at the end of the stream. */
  Batch next() throws IOException {
    while (true) {
      if (eof) {
        if (lineStart < filled) {
          line(lineStart, filled);
          lineStart = filled;
        }
        return count > 0 ? take() : null;
      }
      if (filled == data.length) {
        if (count > 0) {
          return take();
        }
        if (lineStart > 0) {
          // Only empty lines before the unfinished one: drop them.
          System.arraycopy(data, lineStart, data, 0, filled - lineStart);
          filled -= lineStart;
          lineStart = 0;
          continue;
        }
        // One unfinished line fills the whole array.
        if (filled > maxLineBytes) {
          skipLongLine();
          continue;
        }
        data = Arrays.copyOf(data, (int) Math.min(data.length * 2L, maxLineBytes + 1L));
        continue;
      }
      int n = in.read(data, filled, data.length - filled);
      if (n < 0) {
        eof = true;
        continue;
      }
      int i = filled;
      filled += n;
      byte[] d = data;
      while (i < filled) {
        if (i + 8 <= filled) {
          // Eight bytes at a time: the lowest byte flagged is always a newline.
          long x = (long) LONGS.get(d, i) ^ 0x0a0a0a0a0a0a0a0aL;
          long zero = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
          if (zero == 0) {
            i += 8;
            continue;
          }
          i += Long.numberOfTrailingZeros(zero) >>> 3;
        } else if (d[i] != '\n') {
          i++;
          continue;
        }
        line(lineStart, i);
        lineStart = i + 1;
        i++;
      }
    }
  }

  /** The line {@code data[from, to)} (without its newline). */
  private void line(int from, int to) {
    lineNumber++;
    int n = to - from;
    if (n > maxLineBytes) {
      add(from, 0, n);
      return;
    }
    if (n > 0 && data[to - 1] == '\r') {
      n--;
    }
    if (n > 0) {
      add(from, n, n);
    }
  }

  private void add(int start, int length, long fullLength) {
    if (count == starts.length) {
      int size = count * 2;
      starts = Arrays.copyOf(starts, size);
      lengths = Arrays.copyOf(lengths, size);
      fullLengths = Arrays.copyOf(fullLengths, size);
      lineNumbers = Arrays.copyOf(lineNumbers, size);
    }
    starts[count] = start;
    lengths[count] = length;
    fullLengths[count] = fullLength;
    lineNumbers[count] = lineNumber;
    count++;
  }

  /** Hands the full lines over and carries the unfinished one into a fresh array. */
  private Batch take() {
    Batch batch = new Batch(data, starts, lengths, fullLengths, lineNumbers, count);
    int tail = filled - lineStart;
    int size = BATCH_BYTES;
    while (size < tail + (BATCH_BYTES >> 2) && size <= maxLineBytes) {
      size *= 2;
    }
    byte[] next = new byte[Math.max(size, tail + 1)];
    System.arraycopy(data, lineStart, next, 0, tail);
    data = next;
    filled = tail;
    lineStart = 0;
    int capacity = Math.max(512, count);
    starts = new int[capacity];
    lengths = new int[capacity];
    fullLengths = new long[capacity];
    lineNumbers = new long[capacity];
    count = 0;
    return batch;
  }

  /** Skips the rest of the line that begins at {@code lineStart}, longer than the limit. */
  private void skipLongLine() throws IOException {
    long skipped = filled - lineStart;
    lineStart = 0;
    filled = 0;
    while (true) {
      int n = in.read(data, 0, data.length);
      if (n < 0) {
        eof = true;
        lineNumber++;
        add(0, 0, skipped);
        return;
      }
      for (int i = 0; i < n; i++) {
        if (data[i] == '\n') {
          lineNumber++;
          add(0, 0, skipped + i);
          lineStart = i + 1;
          filled = n;
          for (int k = i + 1; k < n; k++) {
            if (data[k] == '\n') {
              line(lineStart, k);
              lineStart = k + 1;
            }
          }
          return;
        }
      }
      skipped += n;
    }
  }
}
