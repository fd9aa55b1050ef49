package dev.edx.core.local;

import dev.edx.api.Database;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Setting;
import java.util.List;

/** The settings of the {@code local} metastore provider ({@code spec.metastore}). */
public final class LocalMetastoreProperties {
  /** The folder holding one sub-folder per database. Required. */
  public static final Setting<String> DIRECTORY = Setting.string("directory",
      "Folder holding one sub-folder per database; relative to the spec's folder.").required();

  /** The databases the provisioner creates and destroys. */
  public static final Setting<List<DeclaredResource>> DATABASES = Setting.resources("databases",
      "database", Database::of, "Databases apply creates and destroy removes.");

  private LocalMetastoreProperties() {}
}
