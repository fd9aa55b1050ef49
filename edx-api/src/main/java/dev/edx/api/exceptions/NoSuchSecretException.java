package dev.edx.api.exceptions;

/** The named secret does not exist; {@link #name()} carries its name. */
public class NoSuchSecretException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public NoSuchSecretException(String name, String message) {
    super(name, message);
  }

  public NoSuchSecretException(String name, String message, Throwable cause) {
    super(name, message, cause);
  }
}
