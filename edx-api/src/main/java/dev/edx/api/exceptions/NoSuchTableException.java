package dev.edx.api.exceptions;

/** The named table does not exist; {@link #name()} carries its name. */
public class NoSuchTableException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public NoSuchTableException(String name, String message) {
    super(name, message);
  }

  public NoSuchTableException(String name, String message, Throwable cause) {
    super(name, message, cause);
  }
}
