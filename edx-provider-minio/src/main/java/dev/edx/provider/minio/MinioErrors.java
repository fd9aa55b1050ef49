package dev.edx.provider.minio;

import dev.edx.api.exceptions.AccessDeniedException;
import dev.edx.api.exceptions.BucketAlreadyExistsException;
import dev.edx.api.exceptions.BucketNotEmptyException;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.NoSuchBucketException;
import dev.edx.api.exceptions.NoSuchObjectException;
import dev.edx.api.exceptions.ProviderException;
import io.minio.errors.ErrorResponseException;
import java.net.URI;
import java.util.Set;

/**
 * Turns minio-java's exceptions into edx's, naming the endpoint, the bucket and the key. The
 * credentials never reach a message: minio-java's exceptions carry the request's URL and the
 * store's error, and neither holds the secret key.
 */
final class MinioErrors {
  static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "InvalidAccessKeyId",
      "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "AllAccessDisabled",
      "AuthorizationHeaderMalformed", "RequestTimeTooSkewed");
  static final Set<String> NO_SUCH_OBJECT = Set.of("NoSuchKey", "NoSuchObject", "NoSuchVersion");
  static final Set<String> NOT_IMPLEMENTED = Set.of("NotImplemented", "MethodNotAllowed");

  private final URI endpoint;

  MinioErrors(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** The S3 error code of a failure, or null when it is not an error response. */
  static String code(Throwable e) {
    return e instanceof ErrorResponseException r && r.errorResponse() != null
        ? r.errorResponse().code() : null;
  }

  /**
   * Maps a failure of {@code what} ("put gha-raw/x") on {@code bucket} (or null when the call
   * concerns no bucket) and {@code key} (or null).
   */
  EdxException map(Exception e, String what, String bucket, String key) {
    if (e instanceof EdxException edx) {
      return edx;
    }
    String code = code(e);
    String where = "Cannot " + what + " on " + endpoint + ": ";
    if (code == null) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return new ProviderException(where + describe(e), e);
    }
    String errorBucket = ((ErrorResponseException) e).errorResponse().bucketName();
    String named = errorBucket != null && !errorBucket.isEmpty() ? errorBucket
        : bucket == null ? "" : bucket;
    if (code.equals("NoSuchBucket")) {
      return new NoSuchBucketException(named, where + "bucket '" + named + "' does not exist");
    }
    if (NO_SUCH_OBJECT.contains(code) && key != null) {
      String name = bucket + "/" + key;
      return new NoSuchObjectException(name, where + "object " + name + " does not exist");
    }
    if (ACCESS_DENIED.contains(code)) {
      return new AccessDeniedException(where + "access denied"
          + (bucket == null ? "" : " to bucket '" + bucket + "'")
          + (key == null ? "" : " key '" + key + "'") + " (" + code + "): "
          + (code.equals("AccessDenied") ? "the credentials lack the permission"
              : "the endpoint refused the credentials; check accessKey and secretKey"), e);
    }
    if (code.equals("BucketNotEmpty")) {
      return new BucketNotEmptyException(named, where + "bucket '" + named + "' holds objects;"
          + " delete them first (or destroy with DataPolicy.PURGE)");
    }
    if (code.equals("BucketAlreadyOwnedByYou") || code.equals("BucketAlreadyExists")) {
      return new BucketAlreadyExistsException(named, where + "bucket '" + named
          + "' already exists" + (code.equals("BucketAlreadyExists")
              ? " and belongs to another account" : ""), e);
    }
    if (NOT_IMPLEMENTED.contains(code)) {
      return new ProviderException(where + "the store does not implement it (" + code + ")", e);
    }
    return new ProviderException(where + describe(e), e);
  }

  static String describe(Exception e) {
    String code = code(e);
    if (code != null) {
      String message = ((ErrorResponseException) e).errorResponse().message();
      return code + (message == null || message.isEmpty() ? "" : ": " + message);
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
