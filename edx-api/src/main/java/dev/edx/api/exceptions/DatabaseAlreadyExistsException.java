package dev.edx.api.exceptions;

/** The named database already exists; {@link #name()} carries its name. */
public class DatabaseAlreadyExistsException extends AlreadyExistsException {
  private static final long serialVersionUID = 1L;

  public DatabaseAlreadyExistsException(String name, String message) {
    super(name, message);
  }

  public DatabaseAlreadyExistsException(String name, String message, Throwable cause) {
    super(name, message, cause);
  }
}
