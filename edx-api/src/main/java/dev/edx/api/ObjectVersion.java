package dev.edx.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One version of an object in a versioned bucket ({@link SupportsVersioning}).
 *
 * @param ref the object
 * @param versionId the store's id of this version
 * @param latest whether it is the current version
 * @param deleteMarker whether it records a delete rather than content (size 0, nothing to read)
 * @param size its length in bytes
 * @param lastModified when it was written
 * @param etag the store's entity tag, when it has one
 */
public record ObjectVersion(ObjectRef ref, String versionId, boolean latest,
    boolean deleteMarker, long size, Instant lastModified, Optional<String> etag) {
  public ObjectVersion {
    requireNonNull(ref, "ref is null");
    requireNonNull(versionId, "versionId is null");
    requireNonNull(lastModified, "lastModified is null");
    requireNonNull(etag, "etag is null");
    if (size < 0) {
      throw new IllegalArgumentException("size is negative: " + size);
    }
  }
}
