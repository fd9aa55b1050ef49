package dev.edx.api;

import static java.util.Objects.requireNonNull;

/**
 * An object in a bucket. The bucket follows S3's naming rules; the key is any non-empty string of
 * at most 1024 UTF-8 bytes without NUL. Providers may reject further keys they cannot store (the
 * local provider rejects keys that would escape their bucket, such as {@code ../x}).
 */
public record ObjectRef(String bucket, String key) {
  public ObjectRef {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(key, "key is null");
    Names.bucket(bucket);
    Names.objectKey(key);
  }

  public static ObjectRef of(String bucket, String key) {
    return new ObjectRef(bucket, key);
  }

  /** {@code bucket/key}, for messages. */
  @Override
  public String toString() {
    return bucket + "/" + key;
  }
}
