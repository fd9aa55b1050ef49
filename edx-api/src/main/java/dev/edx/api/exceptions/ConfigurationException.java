package dev.edx.api.exceptions;

import java.util.List;
import java.util.Optional;

/**
 * A spec or a setting is wrong. The message names the key, and where the spec came from a file,
 * the source and line, and says how to fix it. Never contains a secret value.
 */
public class ConfigurationException extends EdxException {
  private static final long serialVersionUID = 1L;
  private final String key;
  private final int line;
  private final List<ConfigurationException> problems;

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
    this.problems = List.of(this);
  }

  private ConfigurationException(List<ConfigurationException> problems) {
    super(problems.size() + " problems in the spec:\n  " + String.join("\n  ",
        problems.stream().map(ConfigurationException::getMessage).toList()), problems.get(0));
    this.key = problems.get(0).key;
    this.line = problems.get(0).line;
    this.problems = List.copyOf(problems);
  }

  /**
   * One exception for several problems found in one pass: the problem itself when there is one,
   * else one whose message lists each, in order, and whose {@link #problems()} are those.
   *
   * @throws IllegalArgumentException if {@code problems} is empty
   */
  public static ConfigurationException of(List<ConfigurationException> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no problems");
    }
    List<ConfigurationException> flat = problems.stream()
        .flatMap(p -> p.problems().stream()).toList();
    return flat.size() == 1 ? flat.get(0) : new ConfigurationException(flat);
  }

  /** Each problem this exception reports: itself, or the ones it lists. */
  public List<ConfigurationException> problems() {
    return problems;
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
