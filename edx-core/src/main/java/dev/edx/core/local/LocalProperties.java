package dev.edx.core.local;

/** Spec keys of the {@code local} and {@code env} providers, with their defaults. */
final class LocalProperties {
  /** {@code local} storage: the folder holding one sub-folder per bucket. Required. */
  static final String STORAGE_ROOT = "root";
  /** {@code local} storage: the buckets the provisioner creates and destroys. */
  static final String STORAGE_BUCKETS = "buckets";

  /** {@code local} secrets: the folder holding one {@code <name>.properties} file per secret. */
  static final String SECRETS_DIRECTORY = "directory";

  /** {@code env} secrets: the prefix of the environment variables that hold secrets. */
  static final String ENV_PREFIX = "prefix";
  static final String ENV_PREFIX_DEFAULT = "EDX_SECRET_";

  private LocalProperties() {}
}
