package dev.edx.api.exceptions;

/**
 * A provider's backend failed (I/O, SDK, server error). The backend's own exception is the cause,
 * so no SDK type appears in an edx signature.
 */
public class ProviderException extends EdxException {
  private static final long serialVersionUID = 1L;

  public ProviderException(String message) {
    super(message);
  }

  public ProviderException(String message, Throwable cause) {
    super(message, cause);
  }
}
