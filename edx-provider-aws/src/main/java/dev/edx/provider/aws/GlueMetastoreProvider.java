package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Metastore;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code glue} metastore provider: the AWS Glue Data Catalog. The metastore it creates is
 * also a {@link dev.edx.api.spi.Provisioner} of the declared databases. Settings: {@link
 * AwsProperties} and {@link GlueProperties}.
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
    return AwsProperties.descriptors(GlueProperties.class);
  }

  @Override
  public Metastore create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    GlueSettings settings = GlueSettings.parse(spec);
    LOG.info("Glue metastore on {}", settings);
    return new GlueMetastore(settings, context.environmentName());
  }
}
