package dev.edx.api.exceptions;

/**
 * An operation may or may not have taken effect (a timeout after the request was sent, a lost
 * connection during a commit). Do not retry blindly: read the state back first.
 */
public class OperationStateUnknownException extends EdxException {
  private static final long serialVersionUID = 1L;

  public OperationStateUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
