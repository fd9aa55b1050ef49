package dev.edx.api.exceptions;

/** The named job does not exist; {@link #name()} carries its name. */
public class NoSuchJobException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public NoSuchJobException(String name, String message) {
    super(name, message);
  }

  public NoSuchJobException(String name, String message, Throwable cause) {
    super(name, message, cause);
  }
}
