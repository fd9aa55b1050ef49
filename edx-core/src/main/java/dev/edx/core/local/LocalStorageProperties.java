package dev.edx.core.local;

import dev.edx.api.ObjectRef;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Setting;
import java.util.List;

/** The settings of the {@code local} storage provider ({@code spec.storage}). */
public final class LocalStorageProperties {
  /** The folder holding one sub-folder per bucket. Required. */
  public static final Setting<String> ROOT = Setting.string("root",
      "Folder holding one sub-folder per bucket; relative to the spec's folder.").required();

  /** The buckets the provisioner creates and destroys. */
  public static final Setting<List<DeclaredResource>> BUCKETS = Setting.resources("buckets",
      "bucket", bucket -> ObjectRef.of(bucket, "-"), "Buckets apply creates and destroy removes.");

  private LocalStorageProperties() {}
}
