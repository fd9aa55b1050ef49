package dev.edx.api.exceptions;

/** The named bucket already exists; {@link #name()} carries its name. */
public class BucketAlreadyExistsException extends AlreadyExistsException {
  private static final long serialVersionUID = 1L;

  public BucketAlreadyExistsException(String name, String message) {
    super(name, message);
  }

  public BucketAlreadyExistsException(String name, String message, Throwable cause) {
    super(name, message, cause);
  }
}
