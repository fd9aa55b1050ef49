package dev.edx.core.postgres;

import dev.edx.toolkit.Specs;
import static java.util.Objects.requireNonNull;

import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code postgres} metastore provider: builds a {@link PostgresMetastore} on a PostgreSQL
 * server, in its own schema, created and upgraded by versioned migrations. Settings are listed in
 * {@code docs/providers/postgres.md}; {@code password} is sensitive.
 */
public final class PostgresMetastoreProvider implements MetastoreProvider {
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern PASSWORD_IN_URL =
      Pattern.compile("[?&]password=", Pattern.CASE_INSENSITIVE);

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public Set<String> sensitivePropertyNames() {
    return Set.of(PostgresMetastoreProperties.PASSWORD);
  }

  @Override
  public List<PropertyDescriptor> properties() {
    PropertyDescriptor.Type string = PropertyDescriptor.Type.STRING;
    PropertyDescriptor.Type integer = PropertyDescriptor.Type.INTEGER;
    return List.of(
        PropertyDescriptor.required(PostgresMetastoreProperties.JDBC_URL, string,
            "jdbc:postgresql://host:port/database"),
        PropertyDescriptor.optional(PostgresMetastoreProperties.USER, string, null,
            "The user to connect as."),
        PropertyDescriptor.optional(PostgresMetastoreProperties.PASSWORD, string, null,
            "The user's password.").asSensitive(),
        PropertyDescriptor.optional(PostgresMetastoreProperties.SCHEMA, string,
            PostgresMetastoreProperties.SCHEMA_DEFAULT, "Schema holding the metastore's tables."),
        PropertyDescriptor.optional(PostgresMetastoreProperties.POOL_SIZE, integer,
            String.valueOf(PostgresMetastoreProperties.POOL_SIZE_DEFAULT),
            "Connections in the pool."),
        PropertyDescriptor.optional(PostgresMetastoreProperties.SSL_MODE, string, "prefer",
            "TLS mode: disable, allow, prefer, require, verify-ca or verify-full."),
        PropertyDescriptor.optional(PostgresMetastoreProperties.CONNECT_TIMEOUT,
            PropertyDescriptor.Type.DURATION,
            PostgresMetastoreProperties.CONNECT_TIMEOUT_DEFAULT.toSeconds() + "s",
            "How long to wait for a connection."),
        PropertyDescriptor.optional(PostgresMetastoreProperties.BATCH_SIZE, integer,
            String.valueOf(PostgresMetastoreProperties.BATCH_SIZE_DEFAULT),
            "Partitions per batched insert or delete, and per page when listing."),
        PropertyDescriptor.optional(PostgresMetastoreProperties.MIGRATE,
            PropertyDescriptor.Type.BOOLEAN,
            String.valueOf(PostgresMetastoreProperties.MIGRATE_DEFAULT),
            "Run pending schema migrations when the metastore opens."),
        PropertyDescriptor.optional(PostgresMetastoreProperties.DATABASES,
            PropertyDescriptor.Type.RESOURCE_LIST, null,
            "Databases apply creates and destroy removes."));
  }

  @Override
  public Metastore create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    return new PostgresMetastore(settings(spec), context.environmentName());
  }

  /** Parses and checks a spec; every failure names its key and never shows the password. */
  static PostgresSettings settings(ServiceSpec spec) {
    Specs.requireOnlyKeys(spec, PostgresMetastoreProperties.KEYS);
    String url = Specs.requireString(spec, PostgresMetastoreProperties.JDBC_URL).trim();
    if (!url.startsWith("jdbc:postgresql:")) {
      throw spec.error(PostgresMetastoreProperties.JDBC_URL,
          "must start with jdbc:postgresql:, for example jdbc:postgresql://127.0.0.1:5432/edx");
    }
    if (PASSWORD_IN_URL.matcher(url).find()) {
      throw spec.error(PostgresMetastoreProperties.JDBC_URL, "must not carry a password; set it"
          + " with the 'password' key, from a ${secret:...} reference, so it is never shown");
    }
    Optional<String> user = Specs.getString(spec, PostgresMetastoreProperties.USER)
        .filter(u -> !u.isBlank());
    Optional<String> password = Specs.getString(spec, PostgresMetastoreProperties.PASSWORD)
        .filter(p -> !p.isEmpty());
    String schema = Specs.getString(spec, PostgresMetastoreProperties.SCHEMA,
        PostgresMetastoreProperties.SCHEMA_DEFAULT);
    if (!SCHEMA.matcher(schema).matches()) {
      throw spec.error(PostgresMetastoreProperties.SCHEMA, "'" + schema + "' is not a valid"
          + " schema name: use a lowercase letter or '_', then lowercase letters, digits or '_'"
          + " (at most 63)");
    }
    int poolSize = Specs.getInt(spec, PostgresMetastoreProperties.POOL_SIZE,
        PostgresMetastoreProperties.POOL_SIZE_DEFAULT, 1);
    Optional<String> sslMode = Specs.getString(spec, PostgresMetastoreProperties.SSL_MODE)
        .map(s -> s.trim().toLowerCase(Locale.ROOT));
    if (sslMode.isPresent() && !PostgresMetastoreProperties.SSL_MODES.contains(sslMode.get())) {
      throw spec.error(PostgresMetastoreProperties.SSL_MODE, "must be one of "
          + new TreeSet<>(PostgresMetastoreProperties.SSL_MODES) + ", not '" + sslMode.get() + "'");
    }
    var connectTimeout = Specs.getDuration(spec, PostgresMetastoreProperties.CONNECT_TIMEOUT)
        .orElse(PostgresMetastoreProperties.CONNECT_TIMEOUT_DEFAULT);
    if (connectTimeout.toMillis() < 250) {
      throw spec.error(PostgresMetastoreProperties.CONNECT_TIMEOUT,
          "must be at least 250ms, not " + connectTimeout);
    }
    int batchSize = Specs.getInt(spec, PostgresMetastoreProperties.BATCH_SIZE,
        PostgresMetastoreProperties.BATCH_SIZE_DEFAULT, 1);
    boolean migrate = Specs.getBoolean(spec, PostgresMetastoreProperties.MIGRATE,
        PostgresMetastoreProperties.MIGRATE_DEFAULT);
    List<DeclaredResource> databases = DeclaredResource.parseList(spec,
        PostgresMetastoreProperties.DATABASES, "database",
        name -> Database.of(name)).stream()
        .map(d -> new DeclaredResource(Database.of(d.name()).name(), d.adopt())).toList();
    return new PostgresSettings(url, user, password, schema, poolSize, sslMode, connectTimeout,
        batchSize, migrate, databases);
  }
}
