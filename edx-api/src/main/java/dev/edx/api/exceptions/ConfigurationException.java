package dev.edx.api.exceptions;

import java.util.Optional;

/**
 * A spec or a setting is wrong. The message names the key, and where the spec came from a file,
 * the source and line, and says how to fix it. Never contains a secret value.
 */
public class ConfigurationException extends EdxException {
  private static final long serialVersionUID = 1L;
  private final String key;
  private final int line;

  public ConfigurationException(String message) {
    this(null, -1, message, null);
  }

  public ConfigurationException(String message, Throwable cause) {
    this(null, -1, message, cause);
  }

  /**
   * @param key the dotted key at fault ({@code spec.storage.endpoint}), or null
   * @param line the 1-based line of the key in its source, or -1 when unknown
   */
  public ConfigurationException(String key, int line, String message, Throwable cause) {
    super(message, cause);
    this.key = key;
    this.line = line;
  }

  /** The dotted key at fault, such as {@code spec.storage.endpoint}. */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  /** The 1-based line of the key in its source, or -1 when unknown. */
  public int line() {
    return line;
  }
}
