package dev.edx.core.local;

import dev.edx.toolkit.Setting;

/** The settings of the {@code env} secrets provider ({@code spec.secrets}). */
public final class EnvSecretsProperties {
  /** The prefix of the environment variables that hold secrets. */
  public static final Setting<String> PREFIX = Setting.string("prefix",
          "Prefix of the environment variables that hold secrets.")
      .check(p -> !p.isBlank(),
          "must not be empty: every environment variable would be read as a secret")
      .withDefault("EDX_SECRET_");

  private EnvSecretsProperties() {}
}
