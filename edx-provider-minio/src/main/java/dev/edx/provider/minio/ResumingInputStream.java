package dev.edx.provider.minio;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectRef;
import dev.edx.api.exceptions.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An object's content that survives a connection lost mid-body: it re-opens the object (the same
 * version, by etag) at the first byte not yet read, up to {@link MinioCalls#RETRIES} times in a
 * row.
 */
final class ResumingInputStream extends InputStream {
  private static final Logger LOG = LoggerFactory.getLogger(ResumingInputStream.class);

  /** Opens the object's version {@code etag} from {@code position} to {@code end} (exclusive). */
  @FunctionalInterface
  interface Reopen {
    InputStream open(String etag, long position, long end);
  }

  private final ObjectRef ref;
  private final long end;
  private final String etag;
  private final Reopen reopen;
  private InputStream in;
  private long position;
  private int failures;

  /**
   * @param length the bytes to read, or {@code Long.MAX_VALUE} for all
   * @param etag the object's etag, or null when unknown (then nothing is resumed)
   */
  ResumingInputStream(ObjectRef ref, long offset, long length, InputStream in, String etag,
      Reopen reopen) {
    this.ref = requireNonNull(ref, "ref is null");
    this.position = offset;
    this.end = length == Long.MAX_VALUE ? Long.MAX_VALUE : offset + length;
    this.in = requireNonNull(in, "in is null");
    this.etag = etag;
    this.reopen = requireNonNull(reopen, "reopen is null");
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    while (true) {
      try {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
          position += n;
          failures = 0;
        }
        return n;
      } catch (IOException e) {
        if (etag == null || position >= end || failures++ >= MinioCalls.RETRIES) {
          throw e;
        }
        LOG.debug("Resuming {} at byte {} after: {}", ref, position, e.toString());
        try {
          in.close();
        } catch (IOException closeFailure) {
          e.addSuppressed(closeFailure);
        }
        MinioCalls.backoff(failures - 1);
        try {
          in = reopen.open(etag, position, end);
        } catch (ProviderException reopenFailure) {
          e.addSuppressed(reopenFailure);
          throw e;
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
