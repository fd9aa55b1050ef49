package dev.edx.provider.aws;

import dev.edx.api.Database;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Setting;
import java.util.List;

/**
 * The settings of the {@code glue} metastore provider ({@code spec.metastore}) besides the shared
 * ones of {@link AwsProperties}, each declared once.
 */
public final class GlueProperties {
  /** The Glue catalog (account id); the caller's account when absent or blank. */
  public static final Setting<String> CATALOG_ID = Setting.string("catalogId",
          "The Glue catalog (12-digit account id); the caller's account when absent.")
      .map(String::trim)
      .check(id -> id.isEmpty() || id.matches("\\d{12}"), "must be a 12-digit account id");

  /** The databases the provisioner manages. */
  public static final Setting<List<DeclaredResource>> DATABASES = Setting.resources("databases",
      "database", Database::of, "Databases apply creates (marked as owned) and destroy removes.");

  private GlueProperties() {}
}
