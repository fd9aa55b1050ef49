package dev.edx.api.exceptions;

/** The named bucket does not exist; {@link #name()} carries its name. */
public class NoSuchBucketException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public NoSuchBucketException(String name, String message) {
    super(name, message);
  }

  public NoSuchBucketException(String name, String message, Throwable cause) {
    super(name, message, cause);
  }
}
