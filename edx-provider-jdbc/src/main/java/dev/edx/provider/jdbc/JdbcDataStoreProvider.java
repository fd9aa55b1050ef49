package dev.edx.provider.jdbc;

import dev.edx.api.DataStore;
import dev.edx.api.spi.DataStoreProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.NamePrefix;
import dev.edx.toolkit.Setting;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code jdbc} data store provider: a {@link dev.edx.api.RelationalStore} per {@code
 * spec.datastores.NAME} with {@code provider: jdbc}, and its schemas provisioned (named {@code
 * pr42_gha} for {@code gha} in an environment with {@code metadata.namePrefix: pr42}). The JDBC
 * driver of the dialect must be on the class path (the user's choice: this module brings none); the
 * first use of a store without it fails naming the Maven artifact to add.
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
      String other = SqlDialect.forUrl(url).map(d -> " (it is a " + d.key() + " URL: set"
              + " 'dialect: " + d.key() + "', or give a URL of the " + dialect.key() + " dialect)")
          .orElse("");
      throw spec.error("url", "is not a URL of the " + dialect.key() + " dialect: it must start"
          + " with " + String.join(" or ", dialect.urlPrefixes()) + other);
    }
    List<DeclaredResource> schemas = JdbcProperties.SCHEMAS.get(spec);
    for (int i = 0; i < schemas.size(); i++) {
      Optional<String> problem = dialect.checkName(schemas.get(i).name());
      if (problem.isPresent()) {
        throw spec.error(JdbcProperties.SCHEMAS.key() + "[" + i + "]", problem.get());
      }
    }
    SchemaOptions options = schemaOptions(spec, dialect);
    JdbcStore.ConnectionSettings connection = new JdbcStore.ConnectionSettings(url,
        JdbcProperties.USER.find(spec), JdbcProperties.PASSWORD.find(spec),
        JdbcProperties.POOL_SIZE.get(spec), JdbcProperties.CONNECT_TIMEOUT.get(spec));
    String service = spec.service();
    String name = service.substring(service.indexOf('.') + 1);
    NamePrefix prefix = NamePrefix.of(context);
    return new JdbcStore(service, name, context.environmentName(), dialect, connection,
        prefix.physical(spec, JdbcProperties.SCHEMAS.key(), "schema", schemas,
            prefix::identifier, JdbcProperties::schemaName),
        options, prefix);
  }

  /** Teradata's space settings: required there, refused elsewhere (they would do nothing). */
  private static SchemaOptions schemaOptions(ServiceSpec spec, SqlDialect dialect) {
    Optional<Long> perm = JdbcProperties.PERMANENT_SPACE.find(spec);
    Optional<String> parent = JdbcProperties.PARENT_DATABASE.find(spec);
    if (dialect != SqlDialect.TERADATA) {
      for (Setting<?> s : List.of(JdbcProperties.PERMANENT_SPACE,
          JdbcProperties.PARENT_DATABASE)) {
        if (s.isSet(spec)) {
          throw spec.error(s.key(), "applies to the teradata dialect only; remove it");
        }
      }
      return SchemaOptions.NONE;
    }
    if (perm.isEmpty() && !JdbcProperties.SCHEMAS.get(spec).isEmpty()) {
      throw spec.error(JdbcProperties.PERMANENT_SPACE.key(), "is required with the teradata"
          + " dialect when schemas are declared (CREATE DATABASE needs its PERMANENT space):"
          + " set it, for example permanentSpace: 10GiB");
    }
    return new SchemaOptions(parent,
        perm.map(OptionalLong::of).orElse(OptionalLong.empty()));
  }
}
