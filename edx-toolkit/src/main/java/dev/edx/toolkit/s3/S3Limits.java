package dev.edx.toolkit.s3;

import dev.edx.toolkit.Setting;
import java.time.Duration;

/**
 * The limits of the S3 protocol that every S3 client of edx observes, whatever its SDK, and the
 * part-size setting they bound.
 */
public final class S3Limits {
  /** The smallest part of a multipart upload (but the last). */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  /** The largest part of a multipart upload. */
  public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
  /** The largest object a single PutObject writes; larger ones are written in parts. */
  public static final long MAX_PUT_SIZE = 5L * 1024 * 1024 * 1024;
  /** The largest object a single CopyObject copies; larger ones are copied in parts. */
  public static final long MAX_COPY_SIZE = 5L * 1024 * 1024 * 1024;
  /** Keys per DeleteObjects request. */
  public static final int DELETE_BATCH = 1000;
  /** The longest validity of a presigned URL (SigV4). */
  public static final Duration MAX_PRESIGN = Duration.ofDays(7);
  /** The shortest validity of a presigned URL edx hands out. */
  public static final Duration MIN_PRESIGN = Duration.ofSeconds(1);

  private S3Limits() {}

  /**
   * The {@code partSize} setting: bytes or a size with a unit, within S3's part limits.
   *
   * @param defaultText the default as the docs and the schema show it
   */
  public static Setting<Long> partSize(String description, long defaultBytes,
      String defaultText) {
    return Setting.size("partSize", description)
        .check(size -> size >= MIN_PART_SIZE && size <= MAX_PART_SIZE,
            "must be between 5MiB and 5GiB (S3's limits)")
        .withDefault(defaultBytes, defaultText);
  }
}
