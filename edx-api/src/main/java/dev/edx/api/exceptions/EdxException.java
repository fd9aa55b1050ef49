package dev.edx.api.exceptions;

/** Root of every exception edx throws. Unchecked. Messages never contain secret values. */
public class EdxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EdxException(String message) {
    super(message);
  }

  public EdxException(String message, Throwable cause) {
    super(message, cause);
  }
}
