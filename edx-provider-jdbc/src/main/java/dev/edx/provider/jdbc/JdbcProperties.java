package dev.edx.provider.jdbc;

import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Setting;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The settings of the {@code jdbc} data store provider ({@code spec.datastores.NAME}), each
 * declared once: key, type, default, sensitivity and description ({@code docs/providers/jdbc.md}).
 */
public final class JdbcProperties {
  private static final Pattern PASSWORD_IN_URL =
      Pattern.compile("[?&;:]password=", Pattern.CASE_INSENSITIVE);
  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** The SQL dialect, which picks the statements schemas are provisioned with. Required. */
  public static final Setting<SqlDialect> DIALECT = Setting.string("dialect",
          "The SQL dialect: " + SqlDialect.names() + ".").required()
      .map(SqlDialect::of);

  /** The JDBC URL of the database. Required; must not carry a password. */
  public static final Setting<String> URL = Setting.string("url",
          "The JDBC URL: jdbc:postgresql:, jdbc:mariadb: (or jdbc:mysql:), jdbc:sqlserver:,"
              + " jdbc:oracle:thin:, jdbc:snowflake: or jdbc:teradata:, as the dialect.")
      .required().map(JdbcProperties::url);

  /** The user to connect as; the driver's default when absent. */
  public static final Setting<String> USER = Setting.string("user", "The user to connect as.");

  /** The user's password. Sensitive. */
  public static final Setting<String> PASSWORD =
      Setting.string("password", "The user's password.").sensitive();

  /** Connections in the pool. */
  public static final Setting<Integer> POOL_SIZE = Setting.integer("poolSize",
      "Connections in the pool.").check(n -> n >= 1, "must be at least 1").withDefault(4);

  /** How long to wait for a connection (to open one, or to get one from the pool). */
  public static final Setting<Duration> CONNECT_TIMEOUT = Setting.duration("connectTimeout",
          "How long to wait for a connection.")
      .check(d -> d.toMillis() >= 250, "must be at least 250ms")
      .withDefault(Duration.ofSeconds(10), "10s");

  /** Schemas (databases in MariaDB and Teradata, users in Oracle) apply makes, destroy drops. */
  public static final Setting<List<DeclaredResource>> SCHEMAS = Setting.resources("schemas",
      "schema", JdbcProperties::schemaName, "Schemas apply creates and destroy removes"
          + " (databases in MariaDB and Teradata, users in Oracle).");

  /**
   * Roles apply makes, keeps granted as declared, and destroy drops: {@code {name, schemas,
   * access: read|write, adopt}} maps.
   */
  public static final Setting<Object> ROLES = Setting.any("roles",
      "Roles apply creates (NOLOGIN), keeps granted as declared and destroy removes, each {name,"
          + " schemas: [declared schema, ...], access: read|write, adopt}; read uses the schemas"
          + " and selects their tables, write also inserts, updates and deletes.");

  /** Teradata: the bytes of permanent space each new database reserves. */
  public static final Setting<Long> PERMANENT_SPACE = Setting.size("permanentSpace",
          "teradata only (and required there): the permanent space each new database reserves,"
              + " in bytes or with a unit (10GiB).")
      .check(n -> n >= 1, "must be at least 1 byte");

  /** Teradata: the database new databases take their space from. */
  public static final Setting<String> PARENT_DATABASE = Setting.string("parentDatabase",
          "teradata only: the database new databases take their space from (CREATE DATABASE ..."
              + " FROM); the connecting user when absent.")
      .check(n -> !n.isBlank() && n.length() <= 128, "must be a name of 1 to 128 characters");

  private JdbcProperties() {}

  /** Checks a JDBC URL; the messages never show it, as it may carry a password. */
  private static String url(String text) {
    String url = text.trim();
    if (!url.startsWith("jdbc:")) {
      throw new IllegalArgumentException("must be a JDBC URL, starting with jdbc:, for example"
          + " jdbc:postgresql://127.0.0.1:5432/warehouse");
    }
    if (PASSWORD_IN_URL.matcher(url).find()) {
      throw new IllegalArgumentException("must not carry a password; set it with the 'password'"
          + " key, from a ${secret:...} reference, so it is never shown");
    }
    return url;
  }

  static void schemaName(String name) {
    if (!SCHEMA_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a valid schema name: use a"
          + " lowercase letter or '_', then lowercase letters, digits or '_' (at most 63)");
    }
  }

  static void roleName(String name) {
    if (!SCHEMA_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a valid role name: use a"
          + " lowercase letter or '_', then lowercase letters, digits or '_' (at most 63)");
    }
  }
}
