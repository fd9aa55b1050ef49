package dev.edx.gha.convert;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines on {@code \n} (a trailing {@code \r} is dropped), holding at
 * most {@code maxLineBytes} of one line: the rest of a longer line is skipped and the line is
 * flagged {@link #tooLong()}. Memory is bounded whatever the input.
 */
final class LineReader {
  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] chunk = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] line = new byte[1 << 16];
  private int length;
  private long fullLength;
  private long lineNumber;
  private boolean eof;

  LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** Advances to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    if (eof) {
      return false;
    }
    length = 0;
    fullLength = 0;
    boolean any = false;
    while (true) {
      if (pos == limit) {
        int n = in.read(chunk);
        if (n < 0) {
          eof = true;
          if (!any) {
            return false;
          }
          break;
        }
        pos = 0;
        limit = n;
        continue;
      }
      any = true;
      int start = pos;
      int newline = -1;
      for (int i = pos; i < limit; i++) {
        if (chunk[i] == '\n') {
          newline = i;
          break;
        }
      }
      int end = newline < 0 ? limit : newline;
      append(start, end - start);
      pos = newline < 0 ? limit : newline + 1;
      if (newline >= 0) {
        break;
      }
    }
    lineNumber++;
    if (length > 0 && length == fullLength && line[length - 1] == '\r') {
      length--;
      fullLength--;
    }
    return true;
  }

  private void append(int from, int n) {
    fullLength += n;
    if (fullLength > maxLineBytes) {
      return;
    }
    if (length + n > line.length) {
      line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, length + n)));
    }
    System.arraycopy(chunk, from, line, length, n);
    length += n;
  }

  byte[] bytes() {
    return line;
  }

  int length() {
    return length;
  }

  /** The line's length in bytes, including any part skipped because it was too long. */
  long fullLength() {
    return fullLength;
  }

  boolean tooLong() {
    return fullLength > maxLineBytes;
  }

  /** The current line's number, from 1. */
  long lineNumber() {
    return lineNumber;
  }
}
