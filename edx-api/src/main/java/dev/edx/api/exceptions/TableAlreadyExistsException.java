package dev.edx.api.exceptions;

/** The named table already exists; {@link #name()} carries its name. */
public class TableAlreadyExistsException extends AlreadyExistsException {
  private static final long serialVersionUID = 1L;

  public TableAlreadyExistsException(String name, String message) {
    super(name, message);
  }

  public TableAlreadyExistsException(String name, String message, Throwable cause) {
    super(name, message, cause);
  }
}
