package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Secret;
import java.util.Map;

/** The API's secret naming rules, reached through {@link Secret} (the rule class is not public). */
final class SecretNames {
  private SecretNames() {}

  /** @throws IllegalArgumentException if {@code name} is not a valid secret name */
  static String validate(String name) {
    requireNonNull(name, "name is null");
    Secret.of(name, Map.of());
    return name;
  }

  static boolean isValid(String name) {
    try {
      validate(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
