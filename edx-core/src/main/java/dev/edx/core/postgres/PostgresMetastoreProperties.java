package dev.edx.core.postgres;

import dev.edx.api.Database;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Setting;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The settings of the {@code postgres} metastore provider ({@code spec.metastore}), each declared
 * once: key, type, default, sensitivity and description ({@code docs/providers/postgres.md}).
 */
public final class PostgresMetastoreProperties {
  private static final Pattern PASSWORD_IN_URL =
      Pattern.compile("[?&]password=", Pattern.CASE_INSENSITIVE);
  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Set<String> SSL_MODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /** {@code jdbc:postgresql://host:port/database}. Required; must not carry a password. */
  public static final Setting<String> JDBC_URL = Setting.string("jdbcUrl",
          "jdbc:postgresql://host:port/database").required()
      .map(PostgresMetastoreProperties::jdbcUrl);

  /** The user to connect as; the driver's default when absent. */
  public static final Setting<String> USER = Setting.string("user", "The user to connect as.");

  /** The user's password. Sensitive. */
  public static final Setting<String> PASSWORD =
      Setting.string("password", "The user's password.").sensitive();

  /** The schema holding the metastore's tables, created by the migrations. */
  public static final Setting<String> SCHEMA = Setting.string("schema",
          "Schema holding the metastore's tables.")
      .check(s -> SCHEMA_NAME.matcher(s).matches(), "is not a valid schema name: use a lowercase"
          + " letter or '_', then lowercase letters, digits or '_' (at most 63)")
      .withDefault("edx_metastore");

  /** Connections in the pool. */
  public static final Setting<Integer> POOL_SIZE = Setting.integer("poolSize",
      "Connections in the pool.").check(n -> n >= 1, "must be at least 1").withDefault(4);

  /** TLS mode passed to the driver; the driver's default ({@code prefer}) when absent. */
  public static final Setting<String> SSL_MODE = Setting.string("sslMode",
          "TLS mode: disable, allow, prefer, require, verify-ca or verify-full.")
      .map(s -> s.trim().toLowerCase(Locale.ROOT))
      .check(SSL_MODES::contains, "must be one of " + new TreeSet<>(SSL_MODES));

  /** How long to wait for a connection (to open one, or to get one from the pool). */
  public static final Setting<Duration> CONNECT_TIMEOUT = Setting.duration("connectTimeout",
          "How long to wait for a connection.")
      .check(d -> d.toMillis() >= 250, "must be at least 250ms")
      .withDefault(Duration.ofSeconds(10), "10s");

  /** Partitions per batched insert or delete, and per page when listing. */
  public static final Setting<Integer> BATCH_SIZE = Setting.integer("batchSize",
          "Partitions per batched insert or delete, and per page when listing.")
      .check(n -> n >= 1, "must be at least 1").withDefault(1_000);

  /** Run pending migrations when the metastore opens; when false, {@code apply} runs them. */
  public static final Setting<Boolean> MIGRATE = Setting.bool("migrate",
      "Run pending schema migrations when the metastore opens.").withDefault(true);

  /** Databases the provisioner creates. */
  public static final Setting<List<DeclaredResource>> DATABASES = Setting.resources("databases",
      "database", Database::of, "Databases apply creates and destroy removes.");

  private PostgresMetastoreProperties() {}

  /** Checks a JDBC URL; the messages never show it, as it may carry a password. */
  private static String jdbcUrl(String text) {
    String url = text.trim();
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("must start with jdbc:postgresql:, for example"
          + " jdbc:postgresql://127.0.0.1:5432/edx");
    }
    if (PASSWORD_IN_URL.matcher(url).find()) {
      throw new IllegalArgumentException("must not carry a password; set it with the 'password'"
          + " key, from a ${secret:...} reference, so it is never shown");
    }
    return url;
  }
}
