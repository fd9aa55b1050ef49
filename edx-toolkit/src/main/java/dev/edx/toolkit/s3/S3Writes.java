package dev.edx.toolkit.s3;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.toolkit.ObjectRanges;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How every S3 store of edx writes an object, whatever its SDK: the algorithm once, over the five
 * calls each SDK makes its own way ({@link Calls}). Not public API.
 *
 * <ul>
 *   <li>A stream of known length is never buffered: up to S3's single-PutObject limit (5 GiB) it
 *       is one PutObject whose body is the stream itself, whatever {@code partSize}; beyond, a
 *       multipart upload whose parts are consecutive slices of the stream, each sent as it is
 *       read. Bytes leave as they arrive (a download and its upload overlap) and memory does not
 *       grow with the object. The stream must hold exactly that many bytes: one that ends early,
 *       or holds more, fails the write before it completes. Parts would buy nothing here: a
 *       stream's bytes cannot be sent twice, so a failed part fails the write as a failed
 *       PutObject does, while each part costs requests and a store that keeps objects as files
 *       (s3proxy) copies the parts into the object on completion.
 *   <li>A file and a byte array are parts read from where they are, each part sent again on a
 *       retry; nothing is copied.
 *   <li>A stream of unknown length is read a part at a time into one buffer, reused from part to
 *       part: a stream that ends within the first part is one PutObject, a longer one a multipart
 *       upload.
 *   <li>A failed multipart upload is aborted, so no orphaned parts are left to bill.
 *   <li>Parts are at least {@code partSize}, and larger when needed to stay within S3's 10,000
 *       parts for a known length.
 * </ul>
 */
public final class S3Writes {
  /** The most parts a multipart upload may have. */
  static final int MAX_PARTS = 10_000;
  private static final int SMALL_BUFFER = 64 * 1024;

  private S3Writes() {}

  /**
   * A request body: {@code length} bytes. {@link #open} gives them; a {@link #replayable()} body
   * gives them again on every call (so its request may be retried), any other body only once.
   */
  public interface Body {
    long length();

    boolean replayable();

    /** The bytes; the caller closes the stream. */
    InputStream open() throws IOException;
  }

  /**
   * The calls of one SDK. Each throws an edx exception naming the store; a call whose body is
   * {@link Body#replayable()} may retry, any other must not (its bytes are gone).
   *
   * @param <P> the SDK's record of an uploaded part
   */
  public interface Calls<P> {
    /** PutObject of the body. */
    ObjectInfo putObject(ObjectRef ref, Body body, String what);

    /** CreateMultipartUpload; returns the upload id. */
    String createMultipartUpload(ObjectRef ref, String what);

    /** UploadPart of the body as part {@code partNumber} (from 1). */
    P uploadPart(ObjectRef ref, String uploadId, int partNumber, Body body, String what);

    /** CompleteMultipartUpload of the parts, {@code size} bytes in all. */
    ObjectInfo completeMultipartUpload(ObjectRef ref, String uploadId, List<P> parts, long size,
        String what);

    /**
     * AbortMultipartUpload after {@code cause}; a failure to abort is added to the cause as
     * suppressed, never thrown.
     */
    void abortMultipartUpload(ObjectRef ref, String uploadId, Throwable cause);
  }

  /**
   * Writes {@code data}: exactly {@code length} bytes, streamed, when {@code length >= 0}; a part
   * at a time through one buffer when the length is unknown ({@code -1}). The caller closes
   * {@code data}.
   */
  public static <P> ObjectInfo put(Calls<P> calls, ObjectRef ref, InputStream data, long length,
      long partSize) {
    requireNonNull(calls, "calls is null");
    requireNonNull(ref, "ref is null");
    requireNonNull(data, "data is null");
    if (length < -1) {
      throw new IllegalArgumentException("Cannot put " + ref + ": the length must be -1"
          + " (unknown) or at least 0, not " + length);
    }
    String what = "put " + ref;
    if (length < 0) {
      return putUnknownLength(calls, ref, data, partSize, what);
    }
    if (length == 0) {
      requireEnd(data, ref, 0);
    }
    long part = partSize(length, partSize);
    if (length <= S3Limits.MAX_PUT_SIZE) {
      return calls.putObject(ref, new Slice(ref, data, length, 0, length), what);
    }
    return multipart(calls, ref, length, part, what,
        (offset, size) -> new Slice(ref, data, length, offset, size));
  }

  private static void requireEnd(InputStream data, ObjectRef ref, long length) {
    try {
      if (data.read() >= 0) {
        throw new IOException("Cannot put " + ref + ": the stream holds more than the " + length
            + " bytes declared");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** Writes a file, each part read from the file where it is (and again on a retry). */
  public static <P> ObjectInfo put(Calls<P> calls, ObjectRef ref, Path file, long partSize) {
    requireNonNull(calls, "calls is null");
    requireNonNull(ref, "ref is null");
    requireNonNull(file, "file is null");
    String what = "put " + ref;
    long length;
    try {
      length = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot " + what + ": cannot read " + file, e);
    }
    long part = partSize(length, partSize);
    if (length <= part) {
      return calls.putObject(ref, new FileRange(file, 0, length), what);
    }
    return multipart(calls, ref, length, part, what,
        (offset, size) -> new FileRange(file, offset, size));
  }

  /** Writes bytes, each part a view of the array (sent again on a retry). */
  public static <P> ObjectInfo put(Calls<P> calls, ObjectRef ref, byte[] data, long partSize) {
    requireNonNull(calls, "calls is null");
    requireNonNull(ref, "ref is null");
    requireNonNull(data, "data is null");
    return put(calls, ref, data, data.length, partSize, "put " + ref);
  }

  private static <P> ObjectInfo put(Calls<P> calls, ObjectRef ref, byte[] data, int length,
      long partSize, String what) {
    long part = partSize(length, partSize);
    if (length <= part) {
      return calls.putObject(ref, new Bytes(data, 0, length), what);
    }
    return multipart(calls, ref, length, part, what,
        (offset, size) -> new Bytes(data, (int) offset, (int) size));
  }

  /** The part size for {@code length} bytes: {@code partSize}, or more to fit 10,000 parts. */
  static long partSize(long length, long partSize) {
    if (partSize < S3Limits.MIN_PART_SIZE || partSize > S3Limits.MAX_PART_SIZE) {
      throw new IllegalArgumentException("partSize must be between 5MiB and 5GiB, not "
          + partSize);
    }
    long needed = (length + MAX_PARTS - 1) / MAX_PARTS;
    return Math.max(partSize, needed);
  }

  /** The body of the part at {@code offset}, {@code size} bytes long. */
  private interface Parts {
    Body part(long offset, long size);
  }

  private static <P> ObjectInfo multipart(Calls<P> calls, ObjectRef ref, long length,
      long partSize, String what, Parts parts) {
    String uploadId = calls.createMultipartUpload(ref, what);
    try {
      List<P> uploaded = new ArrayList<>();
      for (long offset = 0; offset < length; offset += partSize) {
        long size = Math.min(partSize, length - offset);
        uploaded.add(calls.uploadPart(ref, uploadId, uploaded.size() + 1,
            parts.part(offset, size), what));
      }
      return calls.completeMultipartUpload(ref, uploadId, uploaded, length, what);
    } catch (RuntimeException | Error e) {
      calls.abortMultipartUpload(ref, uploadId, e);
      throw e;
    }
  }

  private static <P> ObjectInfo putUnknownLength(Calls<P> calls, ObjectRef ref, InputStream data,
      long partSize, String what) {
    int part = (int) Math.min(partSize, Integer.MAX_VALUE - 8);
    // Small objects are common: the buffer starts small and grows to a part as data arrives.
    byte[] buffer = new byte[Math.min(part, SMALL_BUFFER)];
    int n = fill(data, buffer, 0, what);
    while (n == buffer.length && buffer.length < part) {
      buffer = Arrays.copyOf(buffer, (int) Math.min(part, 4L * buffer.length));
      n += fill(data, buffer, n, what);
    }
    if (n < part) {
      return put(calls, ref, buffer, n, partSize, what);
    }
    String uploadId = calls.createMultipartUpload(ref, what);
    try {
      List<P> uploaded = new ArrayList<>();
      long total = 0;
      while (n > 0) {
        uploaded.add(calls.uploadPart(ref, uploadId, uploaded.size() + 1, new Bytes(buffer, 0, n),
            what));
        total += n;
        n = n < buffer.length ? 0 : fill(data, buffer, 0, what);
      }
      return calls.completeMultipartUpload(ref, uploadId, uploaded, total, what);
    } catch (RuntimeException | Error e) {
      calls.abortMultipartUpload(ref, uploadId, e);
      throw e;
    }
  }

  /** Reads into {@code buffer} from {@code start} until full or the end; returns bytes read. */
  private static int fill(InputStream in, byte[] buffer, int start, String what) {
    int n = start;
    try {
      while (n < buffer.length) {
        int r = in.read(buffer, n, buffer.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot " + what + ": reading the data failed", e);
    }
    return n - start;
  }

  /** A part of an array. */
  private record Bytes(byte[] data, int offset, int size) implements Body {
    @Override
    public long length() {
      return size;
    }

    @Override
    public boolean replayable() {
      return true;
    }

    @Override
    public InputStream open() {
      return new ByteArrayInputStream(data, offset, size);
    }
  }

  /** A part of a file, read from the file each time. */
  private record FileRange(Path file, long offset, long size) implements Body {
    @Override
    public long length() {
      return size;
    }

    @Override
    public boolean replayable() {
      return true;
    }

    @Override
    public InputStream open() throws IOException {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      try {
        channel.position(offset);
        return ObjectRanges.bounded(Channels.newInputStream(channel), size);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    }
  }

  /**
   * The next {@code size} bytes of the caller's stream, given once: a stream that ends before
   * them fails, and so does one that still holds bytes after the last part (checked before the
   * last byte is given, so that the request fails rather than completes). Closing it does not
   * close the caller's stream.
   */
  private static final class Slice implements Body {
    private final ObjectRef ref;
    private final InputStream data;
    private final long total;
    private final long offset;
    private final long size;
    private final AtomicBoolean opened = new AtomicBoolean();
    private volatile IOException failure;

    Slice(ObjectRef ref, InputStream data, long total, long offset, long size) {
      this.ref = ref;
      this.data = data;
      this.total = total;
      this.offset = offset;
      this.size = size;
    }

    @Override
    public long length() {
      return size;
    }

    @Override
    public boolean replayable() {
      return false;
    }

    @Override
    public InputStream open() throws IOException {
      if (!opened.compareAndSet(false, true)) {
        // An SDK retrying the request: say why the first attempt failed, if its stream did.
        IOException first = failure;
        throw first != null ? new IOException(first.getMessage(), first)
            : new IOException("Cannot put " + ref + ": bytes " + offset + " to "
                + (offset + size) + " of the stream were already sent once and cannot be sent"
                + " again");
      }
      return new InputStream() {
        private long remaining = size;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (remaining <= 0) {
            return -1;
          }
          if (len == 0) {
            return 0;
          }
          try {
            int n = data.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
              throw new EOFException("Cannot put " + ref + ": the stream ended after "
                  + (offset + size - remaining) + " of the " + total + " bytes declared");
            }
            remaining -= n;
            if (remaining == 0 && offset + size == total && data.read() >= 0) {
              throw new IOException("Cannot put " + ref + ": the stream holds more than the "
                  + total + " bytes declared");
            }
            return n;
          } catch (IOException e) {
            failure = e;
            throw e;
          }
        }

        @Override
        public int available() throws IOException {
          return (int) Math.min(remaining, data.available());
        }
      };
    }
  }
}
