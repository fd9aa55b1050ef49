package dev.edx.api;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that must hold exactly {@code length} bytes: it fails when the stream it reads ends
 * earlier, or still holds bytes after them (checked before the last bytes are given, so that a
 * write reading it fails rather than completes). Does not close the stream it reads.
 */
final class ExactLengthInputStream extends InputStream {
  private final ObjectRef ref;
  private final InputStream in;
  private final long length;
  private long remaining;
  private boolean checked;

  ExactLengthInputStream(ObjectRef ref, InputStream in, long length) {
    this.ref = requireNonNull(ref, "ref is null");
    this.in = requireNonNull(in, "data is null");
    if (length < 0) {
      throw new IllegalArgumentException("Cannot put " + ref + ": the length must not be"
          + " negative: " + length);
    }
    this.length = length;
    this.remaining = length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (remaining == 0) {
      requireEnd();
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw new EOFException("Cannot put " + ref + ": the stream ended after "
          + (length - remaining) + " of the " + length + " bytes declared");
    }
    remaining -= n;
    if (remaining == 0) {
      requireEnd();
    }
    return n;
  }

  private void requireEnd() throws IOException {
    if (!checked) {
      checked = true;
      if (in.read() >= 0) {
        throw new IOException("Cannot put " + ref + ": the stream holds more than the " + length
            + " bytes declared");
      }
    }
  }
}
