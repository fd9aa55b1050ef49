package dev.edx.core.local;

import dev.edx.toolkit.Setting;

/** The settings of the {@code local} secrets provider ({@code spec.secrets}). */
public final class LocalSecretsProperties {
  /** The folder holding one {@code <name>.properties} file per secret. Required. */
  public static final Setting<String> DIRECTORY = Setting.string("directory",
      "Folder with one <name>.properties file per secret; relative to the spec's folder.")
      .required();

  private LocalSecretsProperties() {}
}
