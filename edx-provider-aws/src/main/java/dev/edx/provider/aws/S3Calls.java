package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.AccessDeniedException;
import dev.edx.api.exceptions.BucketAlreadyExistsException;
import dev.edx.api.exceptions.BucketNotEmptyException;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.NoSuchBucketException;
import dev.edx.api.exceptions.NoSuchObjectException;
import dev.edx.api.exceptions.ProviderException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Runs calls to the {@code S3Client} (which retries transient failures itself, as {@link
 * AwsSettings} configures it): every failure leaves as the semantic edx exception, naming where
 * the store is, the bucket and the key, and never a credential. Refuses every call once closed.
 */
final class S3Calls {
  private final AwsSettings aws;
  private final Predicate<String> bucketMissing;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param bucketMissing whether the store says a bucket does not exist (any other answer is
   *     false), asked when a request failed with an I/O error only
   */
  S3Calls(AwsSettings aws, Predicate<String> bucketMissing) {
    this.aws = requireNonNull(aws, "aws is null");
    this.bucketMissing = requireNonNull(bucketMissing, "bucketMissing is null");
  }

  <T> T call(String what, String bucket, String key, Supplier<T> call) {
    requireOpen();
    try {
      return call.get();
    } catch (EdxException | IllegalArgumentException e) {
      throw e;
    } catch (SdkException e) {
      throw map(e, what, bucket, key);
    } catch (UncheckedIOException e) {
      throw new ProviderException("Cannot " + what + " on " + aws.where() + ": "
          + e.getMessage(), e);
    }
  }

  /** The semantic exception of an SDK failure; never with a credential in it. */
  EdxException map(SdkException e, String what, String bucket, String key) {
    String where = "Cannot " + what + " on " + aws.where() + ": ";
    if (e instanceof S3Exception s3) {
      String code = code(s3);
      int status = s3.statusCode();
      String object = bucket + "/" + key;
      switch (code) {
        case "NoSuchBucket":
          return new NoSuchBucketException(bucket, where + "bucket '" + bucket
              + "' does not exist", e);
        case "NoSuchKey":
          return new NoSuchObjectException(object, where + "object " + object
              + " does not exist", e);
        case "BucketAlreadyExists", "BucketAlreadyOwnedByYou":
          return new BucketAlreadyExistsException(bucket, where + "bucket '" + bucket
              + "' already exists (" + code + ")", e);
        case "BucketNotEmpty":
          return new BucketNotEmptyException(bucket, where + "bucket '" + bucket
              + "' is not empty");
        case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken",
            "InvalidToken":
          return new AccessDeniedException(where + "access denied (" + code + "); check the"
              + " credentials and the permissions of " + aws.credentials(), e);
        case "NotImplemented":
          return new ProviderException(where + "the store does not implement this call"
              + " (NotImplemented)", e);
        default:
          break;
      }
      if (status == 404 && bucket != null) {
        // HEAD answers carry no error code
        return key != null
            ? new NoSuchObjectException(object, where + "object " + object + " does not exist",
                e)
            : new NoSuchBucketException(bucket, where + "bucket '" + bucket
                + "' does not exist", e);
      }
      if (status == 403) {
        return new AccessDeniedException(where + "access denied (HTTP 403); check the"
            + " credentials and the permissions of " + aws.credentials(), e);
      }
      return new ProviderException(where + (key == null ? "" : "object " + object + ": ")
          + (code.isEmpty() ? "HTTP " + status : code) + " " + message(s3), e);
    }
    if (e instanceof SdkClientException) {
      // A store may answer NoSuchBucket and close the connection while a request body is still
      // being sent: the client then sees only an I/O error. Ask whether the bucket exists.
      if (bucket != null && bucketMissing.test(bucket)) {
        return new NoSuchBucketException(bucket, where + "bucket '" + bucket
            + "' does not exist", e);
      }
      return new ProviderException(where + (key == null ? "" : "object " + bucket + "/" + key
          + ": ") + e.getMessage(), e);
    }
    return new ProviderException(where + e.getMessage(), e);
  }

  /** The S3 error code of a failure ({@code NoSuchKey}), or "". */
  static String code(Throwable e) {
    return e instanceof S3Exception s3 && s3.awsErrorDetails() != null
        && s3.awsErrorDetails().errorCode() != null ? s3.awsErrorDetails().errorCode() : "";
  }

  private static String message(S3Exception e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? ""
        : "(" + e.awsErrorDetails().errorMessage() + ")";
  }

  void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("Cannot use the s3 storage on " + aws.where()
          + ": it is closed");
    }
  }

  /** Refuses every call from now on; true the first time. */
  boolean close() {
    return closed.compareAndSet(false, true);
  }
}
