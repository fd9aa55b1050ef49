package dev.edx.provider.jdbc;

import dev.edx.api.DataStore;
import dev.edx.api.spi.DataStoreProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.NamePrefix;
import dev.edx.toolkit.Setting;
import java.util.List;

/**
 * The {@code jdbc} data store provider: a {@link dev.edx.api.RelationalStore} per {@code
 * spec.datastores.NAME} with {@code provider: jdbc}, and its schemas provisioned (named {@code
 * pr42_gha} for {@code gha} in an environment with {@code metadata.namePrefix: pr42}). The JDBC
 * driver of the dialect must be on the class path (the user's choice: this module brings none).
 */
public final class JdbcDataStoreProvider implements DataStoreProvider {
  static final String NAME = "jdbc";

  /** Called by {@link java.util.ServiceLoader}. */
  public JdbcDataStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return Setting.descriptors(JdbcProperties.class);
  }

  @Override
  public DataStore create(ServiceSpec spec, ProviderContext context) {
    SqlDialect dialect = JdbcProperties.DIALECT.get(spec);
    String url = JdbcProperties.URL.get(spec);
    if (!dialect.accepts(url)) {
      throw spec.error("url", "is not a URL of the " + dialect.key() + " dialect: it must start"
          + " with " + String.join(" or ", dialect.urlPrefixes()));
    }
    JdbcStore.ConnectionSettings connection = new JdbcStore.ConnectionSettings(url,
        JdbcProperties.USER.find(spec), JdbcProperties.PASSWORD.find(spec),
        JdbcProperties.POOL_SIZE.get(spec), JdbcProperties.CONNECT_TIMEOUT.get(spec));
    String service = spec.service();
    String name = service.substring(service.indexOf('.') + 1);
    NamePrefix prefix = NamePrefix.of(context);
    return new JdbcStore(service, name, context.environmentName(), dialect, connection,
        prefix.physical(spec, JdbcProperties.SCHEMAS.key(), "schema",
            JdbcProperties.SCHEMAS.get(spec), prefix::identifier, JdbcProperties::schemaName),
        prefix);
  }
}
