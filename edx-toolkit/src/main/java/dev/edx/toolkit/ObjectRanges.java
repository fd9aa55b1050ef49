package dev.edx.toolkit;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectRef;

/** The argument check every storage makes in {@code ObjectStorage.open(ref, offset, length)}. */
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
}
