package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Metastore;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code glue} metastore provider: the AWS Glue Data Catalog. The metastore it creates is
 * also a {@link dev.edx.api.spi.Provisioner} of the declared databases. Settings: {@link
 * AwsProperties}.
 *
 * <pre>{@code
 * metastore:
 *   provider: glue
 *   region: eu-west-1
 *   databases: [gha_dm]
 * }</pre>
 */
public final class GlueMetastoreProvider implements MetastoreProvider {
  private static final Logger LOG = LoggerFactory.getLogger(GlueMetastoreProvider.class);

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public GlueMetastoreProvider() {}

  @Override
  public String name() {
    return "glue";
  }

  @Override
  public List<PropertyDescriptor> properties() {
    List<PropertyDescriptor> all = new ArrayList<>(AwsSettings.properties());
    all.addAll(List.of(
        PropertyDescriptor.optional(AwsProperties.CATALOG_ID, PropertyDescriptor.Type.STRING,
            null, "The Glue catalog (12-digit account id); the caller's account when absent."),
        PropertyDescriptor.optional(AwsProperties.DATABASES,
            PropertyDescriptor.Type.RESOURCE_LIST, null,
            "Databases apply creates (marked as owned) and destroy removes.")));
    return List.copyOf(all);
  }

  @Override
  public Metastore create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    Specs.validate(spec, properties());
    GlueSettings settings = GlueSettings.parse(spec);
    LOG.info("Glue metastore on {}", settings);
    return new GlueMetastore(settings, context.environmentName());
  }
}
