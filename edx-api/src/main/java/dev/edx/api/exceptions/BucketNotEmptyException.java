package dev.edx.api.exceptions;

import static java.util.Objects.requireNonNull;

/** A bucket cannot be deleted because it still holds objects. Nothing was deleted. */
public class BucketNotEmptyException extends EdxException {
  private static final long serialVersionUID = 1L;
  private final String bucket;

  public BucketNotEmptyException(String bucket, String message) {
    super(message);
    this.bucket = requireNonNull(bucket, "bucket is null");
  }

  public String bucket() {
    return bucket;
  }
}
