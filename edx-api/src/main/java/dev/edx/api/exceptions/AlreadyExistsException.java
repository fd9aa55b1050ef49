package dev.edx.api.exceptions;

import static java.util.Objects.requireNonNull;

/** Something named already exists. Subtypes carry the name. */
public class AlreadyExistsException extends EdxException {
  private static final long serialVersionUID = 1L;
  private final String name;

  public AlreadyExistsException(String name, String message) {
    super(message);
    this.name = requireNonNull(name, "name is null");
  }

  public AlreadyExistsException(String name, String message, Throwable cause) {
    super(message, cause);
    this.name = requireNonNull(name, "name is null");
  }

  /** The name of what already exists. */
  public String name() {
    return name;
  }
}
