package dev.edx.api.exceptions;

import static java.util.Objects.requireNonNull;

/** Something named does not exist. Subtypes carry the name of what was missing. */
public class NotFoundException extends EdxException {
  private static final long serialVersionUID = 1L;
  private final String name;

  public NotFoundException(String name, String message) {
    super(message);
    this.name = requireNonNull(name, "name is null");
  }

  public NotFoundException(String name, String message, Throwable cause) {
    super(message, cause);
    this.name = requireNonNull(name, "name is null");
  }

  /** The name of the missing thing (bucket, {@code bucket/key}, table, secret, job id...). */
  public String name() {
    return name;
  }
}
