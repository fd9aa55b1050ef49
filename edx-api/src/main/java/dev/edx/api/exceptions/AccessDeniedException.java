package dev.edx.api.exceptions;

/**
 * The backend refused the credentials or the permission. The message names the endpoint and the
 * resource, never the credentials.
 */
public class AccessDeniedException extends EdxException {
  private static final long serialVersionUID = 1L;

  public AccessDeniedException(String message) {
    super(message);
  }

  public AccessDeniedException(String message, Throwable cause) {
    super(message, cause);
  }
}
