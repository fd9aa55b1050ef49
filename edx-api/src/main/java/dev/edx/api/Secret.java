package dev.edx.api;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.NotFoundException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A named set of key/value secret strings. Its {@link #toString()} names the keys and masks the
 * values, so a secret that reaches a log or an exception message leaks nothing.
 */
public final class Secret {
  private final String name;
  private final Map<String, String> values;

  private Secret(String name, Map<String, String> values) {
    this.name = Names.secretName(requireNonNull(name, "name is null"));
    requireNonNull(values, "values is null");
    values.keySet().forEach(Names::secretKey);
    values.values().forEach(v -> requireNonNull(v, "a value of secret '" + name + "' is null"));
    this.values = Map.copyOf(values);
  }

  public static Secret of(String name, Map<String, String> values) {
    return new Secret(name, values);
  }

  public String name() {
    return name;
  }

  public Set<String> keys() {
    return new TreeSet<>(values.keySet());
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /**
   * The value of a key.
   *
   * @throws NotFoundException naming the secret and the key (never a value) if it has no such key
   */
  public String require(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new NotFoundException(name + "/" + key, "Cannot read secret key '" + key
          + "' of secret '" + name + "': it has keys " + keys());
    }
    return value;
  }

  /** The values, unmasked. Handle with care: do not log the map. */
  public Map<String, String> reveal() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && name.equals(other.name) && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + values.hashCode();
  }

  @Override
  public String toString() {
    Map<String, String> masked = new TreeMap<>();
    values.keySet().forEach(k -> masked.put(k, "****"));
    return "Secret{name=" + name + ", values=" + masked + "}";
  }
}
