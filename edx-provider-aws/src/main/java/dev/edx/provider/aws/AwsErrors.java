package dev.edx.provider.aws;

import dev.edx.api.exceptions.AccessDeniedException;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.ProviderException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Reading AWS error responses. Not public API. */
final class AwsErrors {
  private AwsErrors() {}

  /** The error code of an AWS service failure ({@code ResourceNotFoundException}), or "". */
  static String code(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
        && service.awsErrorDetails().errorCode() != null) {
      String code = service.awsErrorDetails().errorCode();
      int hash = code.lastIndexOf('#');
      return hash >= 0 ? code.substring(hash + 1) : code;
    }
    return "";
  }

  /** The service's message, or "". */
  static String message(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
        && service.awsErrorDetails().errorMessage() != null) {
      return service.awsErrorDetails().errorMessage();
    }
    return e.getMessage() == null ? "" : e.getMessage();
  }

  /**
   * The edx exception for a JSON-protocol service failure no service-specific code matched:
   * {@link AccessDeniedException} for the credential and permission codes, else a {@link
   * ProviderException} "Cannot &lt;what&gt; on &lt;where&gt;: &lt;code&gt;: &lt;message&gt;". Never
   * holds a credential.
   */
  static EdxException unmapped(SdkException e, String what, AwsSettings aws) {
    String code = code(e);
    String where = "Cannot " + what + " on " + aws.where() + ": ";
    if (ACCESS_DENIED.contains(code)) {
      return new AccessDeniedException(where + "access denied (" + code + "); check the"
          + " credentials and permissions of " + aws.credentials(), e);
    }
    return new ProviderException(where + describe(e), e);
  }

  private static final java.util.Set<String> ACCESS_DENIED = java.util.Set.of(
      "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException",
      "ExpiredTokenException");

  /** "Code: message", for exception messages. */
  static String describe(SdkException e) {
    String code = code(e);
    return code.isEmpty() ? message(e) : code + ": " + message(e);
  }
}
