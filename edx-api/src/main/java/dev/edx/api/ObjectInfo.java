package dev.edx.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What is known about a stored object.
 *
 * @param ref the object
 * @param size its length in bytes
 * @param lastModified when it was last written
 * @param etag the store's entity tag, when the store has one
 */
public record ObjectInfo(ObjectRef ref, long size, Instant lastModified, Optional<String> etag) {
  public ObjectInfo {
    requireNonNull(ref, "ref is null");
    requireNonNull(lastModified, "lastModified is null");
    requireNonNull(etag, "etag is null");
    if (size < 0) {
      throw new IllegalArgumentException("size is negative: " + size);
    }
  }
}
