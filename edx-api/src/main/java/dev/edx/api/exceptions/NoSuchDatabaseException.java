package dev.edx.api.exceptions;

/** The named database does not exist; {@link #name()} carries its name. */
public class NoSuchDatabaseException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public NoSuchDatabaseException(String name, String message) {
    super(name, message);
  }

  public NoSuchDatabaseException(String name, String message, Throwable cause) {
    super(name, message, cause);
  }
}
