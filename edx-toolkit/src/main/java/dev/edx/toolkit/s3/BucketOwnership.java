package dev.edx.toolkit.s3;

import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectVersion;
import dev.edx.api.exceptions.BucketNotEmptyException;
import dev.edx.api.exceptions.ProviderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How edx marks the S3 buckets an environment owns, the same on every S3 store and SDK.
 *
 * <ul>
 *   <li><b>Tags</b> where the store implements bucket tagging (AWS S3, MinIO): {@value
 *       #MANAGED_BY}={@value #MANAGED_BY_EDX} and {@value #ENVIRONMENT}=the environment's name,
 *       added to the bucket's other tags.
 *   <li><b>A marker object</b> {@value #MARKER_KEY} holding the environment's name, only where
 *       bucket tagging answers NotImplemented (s3proxy, the embedded endpoint of edx's tests and
 *       of {@code @EdxTest}). The marker is hidden from listings, is not counted as data, and its
 *       name starts with a dot, so Hadoop and Spark treat it as a hidden file.
 * </ul>
 *
 * <p>A bucket is owned by the environment its tags name; without edx's tags, by the one its marker
 * names, so buckets that older versions of edx marked with an object stay owned. Not public API.
 */
public final class BucketOwnership {
  /** The tag marking what edx created. */
  public static final String MANAGED_BY = "managed-by";
  public static final String MANAGED_BY_EDX = "edx";
  /** The tag naming the owning environment. */
  public static final String ENVIRONMENT = "edx.dev/environment";
  /** The key of the marker object, where the store has no bucket tagging. */
  public static final String MARKER_KEY = ".edx/owner";

  private BucketOwnership() {}

  /** Whether {@code key} is the ownership marker, which listings hide. */
  public static boolean isMarker(String key) {
    return MARKER_KEY.equals(key);
  }

  /** The environment owning the bucket, or empty when edx does not manage it. */
  public static Optional<String> owner(S3Store store, String bucket) {
    Optional<Map<String, String>> tags = store.bucketTags(bucket);
    if (tags.isPresent() && MANAGED_BY_EDX.equals(tags.get().get(MANAGED_BY))) {
      return Optional.of(tags.get().getOrDefault(ENVIRONMENT, ""));
    }
    ObjectRef marker = ObjectRef.of(bucket, MARKER_KEY);
    if (store.stat(marker).isEmpty()) {
      return Optional.empty();
    }
    String owner = new String(store.readAllBytes(marker), StandardCharsets.UTF_8).strip();
    return owner.isEmpty() ? Optional.empty() : Optional.of(owner);
  }

  /**
   * Marks the bucket as owned by {@code environment}: with tags, keeping the bucket's others, or
   * with the marker object where the store has no bucket tagging.
   */
  public static void mark(S3Store store, String bucket, String environment) {
    Optional<Map<String, String>> tags = store.bucketTags(bucket);
    if (tags.isPresent()) {
      Map<String, String> merged = new TreeMap<>(tags.get());
      merged.put(MANAGED_BY, MANAGED_BY_EDX);
      merged.put(ENVIRONMENT, environment);
      if (store.setBucketTags(bucket, merged)) {
        return;
      }
    }
    byte[] mark = (environment + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      store.put(ObjectRef.of(bucket, MARKER_KEY), mark);
    } catch (RuntimeException e) {
      throw new ProviderException("Cannot mark bucket '" + bucket + "' as owned by environment '"
          + environment + "' with object " + MARKER_KEY + " on " + store.where() + ": "
          + e.getMessage(), e);
    }
  }

  /** Every version in the bucket but the marker's. */
  public static Stream<ObjectVersion> dataVersions(S3Store store, String bucket) {
    return store.allVersions(bucket).filter(v -> !isMarker(v.ref().key()));
  }

  /** Removes every version of the marker, if there is one. */
  public static void removeMarker(S3Store store, String bucket) {
    List<ObjectVersion> marker;
    try (Stream<ObjectVersion> all = store.allVersions(bucket)) {
      marker = all.filter(v -> isMarker(v.ref().key())).toList();
    }
    if (!marker.isEmpty()) {
      store.deleteVersions(bucket, marker);
    }
  }

  /**
   * Deletes an empty bucket; one that holds nothing but the marker counts as empty (the API's
   * {@code deleteBucket}).
   */
  public static void deleteBucket(S3Store store, String bucket) {
    try {
      store.removeBucket(bucket);
    } catch (BucketNotEmptyException e) {
      try (Stream<ObjectVersion> data = dataVersions(store, bucket)) {
        if (data.findAny().isPresent()) {
          throw e;
        }
      }
      removeMarker(store, bucket);
      store.removeBucket(bucket);
    }
  }
}
