package dev.edx.toolkit;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectRef;
import java.io.InputStream;

/**
 * What every storage does in {@code ObjectStorage.open(ref, offset, length)}: the argument check,
 * and the stream of at most {@code length} bytes it hands out.
 */
public final class ObjectRanges {
  private ObjectRanges() {}

  /**
   * Checks the arguments of a ranged open.
   *
   * @throws IllegalArgumentException if offset or length is negative
   */
  public static void check(ObjectRef ref, long offset, long length) {
    requireNonNull(ref, "ref is null");
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("Cannot open " + ref + " at offset " + offset + " for "
          + length + " bytes: offset and length must not be negative");
    }
  }

  /**
   * At most {@code length} bytes of {@code in} (a stream positioned at the range's offset): it
   * ends after them, or earlier where {@code in} ends; closing it closes {@code in}. It supports
   * no mark.
   */
  public static InputStream bounded(InputStream in, long length) {
    requireNonNull(in, "in is null");
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    return new BoundedInputStream(in, length);
  }
}
