package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.DeclaredResource;
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

  /** Reads a spec edx has checked against {@link AwsProperties} and {@link GlueProperties}. */
  static GlueSettings parse(ServiceSpec spec) {
    return new GlueSettings(AwsSettings.parse(spec),
        GlueProperties.CATALOG_ID.find(spec).filter(s -> !s.isEmpty()),
        GlueProperties.DATABASES.get(spec));
  }

  @Override
  public String toString() {
    return aws + catalogId.map(c -> ", catalog " + c).orElse("") + ", databases "
        + databases.stream().map(DeclaredResource::name).toList();
  }
}
