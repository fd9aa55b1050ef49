package dev.edx.provider.aws;

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

  /** "Code: message", for exception messages. */
  static String describe(SdkException e) {
    String code = code(e);
    return code.isEmpty() ? message(e) : code + ": " + message(e);
  }
}
