package dev.edx.core.local;

import java.util.Set;

/** Spec keys of the {@code local} metastore provider. Not public API. */
final class LocalMetastoreProperties {
  /** The folder holding the metastore, relative to the spec's folder. Required. */
  static final String DIRECTORY = "directory";

  /** Databases the provisioner creates. */
  static final String DATABASES = "databases";

  static final Set<String> KEYS = Set.of(DIRECTORY, DATABASES);

  private LocalMetastoreProperties() {}
}
