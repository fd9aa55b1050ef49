package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Database;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Specs;
import java.util.List;
import java.util.Optional;

/**
 * The {@code glue} provider's spec, parsed once. {@link #toString()} shows no credential.
 *
 * @param aws region, credentials, endpoint, retries
 * @param catalogId the Glue catalog (account id), or the caller's
 * @param databases the databases the provisioner manages
 */
record GlueSettings(AwsSettings aws, Optional<String> catalogId,
    List<DeclaredResource> databases) {

  GlueSettings {
    requireNonNull(aws, "aws is null");
    requireNonNull(catalogId, "catalogId is null");
    databases = List.copyOf(requireNonNull(databases, "databases is null"));
  }

  static GlueSettings parse(ServiceSpec spec) {
    AwsSettings aws = AwsSettings.parse(spec);
    Optional<String> catalog = Specs.getString(spec, AwsProperties.CATALOG_ID).map(String::trim)
        .filter(s -> !s.isEmpty());
    if (catalog.isPresent() && !catalog.get().matches("\\d{12}")) {
      throw spec.error(AwsProperties.CATALOG_ID, "must be a 12-digit account id, not '"
          + catalog.get() + "'");
    }
    List<DeclaredResource> databases = DeclaredResource.parseList(spec, AwsProperties.DATABASES,
        "database", Database::of);
    return new GlueSettings(aws, catalog, databases);
  }

  @Override
  public String toString() {
    return aws + catalogId.map(c -> ", catalog " + c).orElse("") + ", databases "
        + databases.stream().map(DeclaredResource::name).toList();
  }
}
