package dev.edx.core.postgres;

import java.time.Duration;
import java.util.Set;

/** Spec keys of the {@code postgres} metastore provider, each with its default. Not public API. */
final class PostgresMetastoreProperties {
  /** {@code jdbc:postgresql://host:port/database}. Required. */
  static final String JDBC_URL = "jdbcUrl";

  /** The user to connect as; the driver's default when absent. */
  static final String USER = "user";

  /** The user's password. Sensitive. */
  static final String PASSWORD = "password";

  /** The schema holding the metastore's tables, created by the migrations. */
  static final String SCHEMA = "schema";
  static final String SCHEMA_DEFAULT = "edx_metastore";

  /** Connections in the pool. */
  static final String POOL_SIZE = "poolSize";
  static final int POOL_SIZE_DEFAULT = 4;

  /** TLS mode passed to the driver; the driver's default ({@code prefer}) when absent. */
  static final String SSL_MODE = "sslMode";
  static final Set<String> SSL_MODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /** How long to wait for a connection (to open one, or to get one from the pool). */
  static final String CONNECT_TIMEOUT = "connectTimeout";
  static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(10);

  /** Partitions per batched insert or delete, and per page when listing. */
  static final String BATCH_SIZE = "batchSize";
  static final int BATCH_SIZE_DEFAULT = 1_000;

  /** Run pending migrations when the metastore opens; when false, {@code apply} runs them. */
  static final String MIGRATE = "migrate";
  static final boolean MIGRATE_DEFAULT = true;

  /** Databases the provisioner creates. */
  static final String DATABASES = "databases";

  static final Set<String> KEYS = Set.of(JDBC_URL, USER, PASSWORD, SCHEMA, POOL_SIZE, SSL_MODE,
      CONNECT_TIMEOUT, BATCH_SIZE, MIGRATE, DATABASES);

  private PostgresMetastoreProperties() {}
}
