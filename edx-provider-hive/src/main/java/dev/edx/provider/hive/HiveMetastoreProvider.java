package dev.edx.provider.hive;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Metastore;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Setting;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code hive} metastore provider: a Hive Metastore, through its Thrift API, so that the
 * tables edx registers are what Spark, Trino and Hive see. The metastore it creates is also a
 * {@link dev.edx.api.spi.Provisioner} of the declared databases. Settings: {@link
 * HiveProperties}.
 *
 * <pre>{@code
 * metastore:
 *   provider: hive
 *   uri: thrift://127.0.0.1:9083
 *   databases: [gha_dm]
 * }</pre>
 */
public final class HiveMetastoreProvider implements MetastoreProvider {
  private static final Logger LOG = LoggerFactory.getLogger(HiveMetastoreProvider.class);

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public HiveMetastoreProvider() {}

  @Override
  public String name() {
    return "hive";
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return Setting.descriptors(HiveProperties.class);
  }

  @Override
  public Metastore create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    HiveSettings settings = HiveSettings.parse(spec);
    LOG.info("Hive metastore at {}", settings);
    return new HiveThriftMetastore(settings, context.environmentName());
  }
}
