package dev.edx.api.exceptions;

/** The named object does not exist; {@link #name()} carries its name. */
public class NoSuchObjectException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public NoSuchObjectException(String name, String message) {
    super(name, message);
  }

  public NoSuchObjectException(String name, String message, Throwable cause) {
    super(name, message, cause);
  }
}
