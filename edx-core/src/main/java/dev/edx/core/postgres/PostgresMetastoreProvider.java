package dev.edx.core.postgres;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Setting;
import java.util.List;

/**
 * The {@code postgres} metastore provider: builds a {@link PostgresMetastore} on a PostgreSQL
 * server, in its own schema, created and upgraded by versioned migrations. Settings are listed in
 * {@code docs/providers/postgres.md}; {@code password} is sensitive.
 */
public final class PostgresMetastoreProvider implements MetastoreProvider {
  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return Setting.descriptors(PostgresMetastoreProperties.class);
  }

  @Override
  public Metastore create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    return new PostgresMetastore(settings(spec), context.environmentName());
  }

  /** Parses and checks a spec; every failure names its key and never shows the password. */
  static PostgresSettings settings(ServiceSpec spec) {
    return new PostgresSettings(PostgresMetastoreProperties.JDBC_URL.get(spec),
        PostgresMetastoreProperties.USER.find(spec).filter(u -> !u.isBlank()),
        PostgresMetastoreProperties.PASSWORD.find(spec).filter(p -> !p.isEmpty()),
        PostgresMetastoreProperties.SCHEMA.get(spec),
        PostgresMetastoreProperties.POOL_SIZE.get(spec),
        PostgresMetastoreProperties.SSL_MODE.find(spec),
        PostgresMetastoreProperties.CONNECT_TIMEOUT.get(spec),
        PostgresMetastoreProperties.BATCH_SIZE.get(spec),
        PostgresMetastoreProperties.MIGRATE.get(spec),
        PostgresMetastoreProperties.DATABASES.get(spec).stream()
            .map(d -> new DeclaredResource(Database.of(d.name()).name(), d.adopt())).toList());
  }
}
