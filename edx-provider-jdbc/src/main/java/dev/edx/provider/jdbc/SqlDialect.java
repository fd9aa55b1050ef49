package dev.edx.provider.jdbc;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The statements each SQL dialect provisions schemas with. Ownership is the schema's comment,
 * {@code edx.dev/environment=NAME}: PostgreSQL writes it with {@code COMMENT ON SCHEMA} in the
 * transaction that creates the schema, MariaDB with the {@code COMMENT} clause of {@code CREATE
 * DATABASE}, so a schema is never created unmarked.
 */
public enum SqlDialect {
  /** PostgreSQL: schemas in one database; DDL is transactional. */
  POSTGRESQL("postgresql", List.of("jdbc:postgresql:")) {
    @Override
    String quote(String identifier) {
      return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    List<String> createSchema(String name, String marker) {
      return List.of("CREATE SCHEMA " + quote(name), markSchema(name, marker));
    }

    @Override
    String markSchema(String name, String marker) {
      return "COMMENT ON SCHEMA " + quote(name) + " IS " + literal(marker);
    }

    @Override
    String dropSchema(String name) {
      return "DROP SCHEMA " + quote(name) + " CASCADE";
    }

    @Override
    String listSchemas() {
      return "SELECT nspname, obj_description(oid, 'pg_namespace') FROM pg_namespace"
          + " WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'";
    }

    @Override
    String countRelations() {
      return "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')";
    }
  },
  /** MariaDB: a schema is a database; DDL commits at once, so the comment is in the create. */
  MARIADB("mariadb", List.of("jdbc:mariadb:", "jdbc:mysql:")) {
    @Override
    String quote(String identifier) {
      return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    List<String> createSchema(String name, String marker) {
      return List.of("CREATE DATABASE " + quote(name) + " COMMENT " + literal(marker));
    }

    @Override
    String markSchema(String name, String marker) {
      return "ALTER DATABASE " + quote(name) + " COMMENT " + literal(marker);
    }

    @Override
    String dropSchema(String name) {
      return "DROP DATABASE " + quote(name);
    }

    @Override
    String listSchemas() {
      return "SELECT SCHEMA_NAME, SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE"
          + " SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')";
    }

    @Override
    String countRelations() {
      return "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?";
    }

    @Override
    String literal(String text) {
      return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }
  };

  /** What a schema's comment holds when edx owns it. */
  static final String MARKER_PREFIX = "edx.dev/environment=";
  private static final Pattern MARKER =
      Pattern.compile("^" + Pattern.quote(MARKER_PREFIX) + "([a-z0-9][a-z0-9-]*)");

  private final String key;
  private final List<String> urlPrefixes;

  SqlDialect(String key, List<String> urlPrefixes) {
    this.key = key;
    this.urlPrefixes = urlPrefixes;
  }

  /** The name specs use: {@code postgresql}, {@code mariadb}. */
  public String key() {
    return key;
  }

  /** Whether a JDBC URL is for this dialect's drivers. */
  public boolean accepts(String url) {
    return urlPrefixes.stream().anyMatch(url::startsWith);
  }

  List<String> urlPrefixes() {
    return urlPrefixes;
  }

  /** A quoted identifier. */
  abstract String quote(String identifier);

  /** The statements that create a schema marked with {@code marker}, in one transaction. */
  abstract List<String> createSchema(String name, String marker);

  /** The statement that sets a schema's ownership mark (adoption). */
  abstract String markSchema(String name, String marker);

  /** The statement that drops a schema with everything in it. */
  abstract String dropSchema(String name);

  /** A query of every user schema: its name and its comment (null when none). */
  abstract String listSchemas();

  /** A query of how many tables and views a schema (the one parameter) holds. */
  abstract String countRelations();

  /** A string literal. */
  String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** The ownership mark of an environment. */
  static String marker(String environment) {
    return MARKER_PREFIX + environment;
  }

  /** The environment a schema comment names as owner; empty when edx does not own it. */
  static Optional<String> owner(String comment) {
    if (comment == null) {
      return Optional.empty();
    }
    Matcher m = MARKER.matcher(comment);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The dialect a spec names. */
  static SqlDialect of(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    for (SqlDialect d : values()) {
      if (d.key.equals(key)) {
        return d;
      }
    }
    if (List.of("sqlserver", "oracle", "snowflake", "teradata").contains(key)) {
      throw new IllegalArgumentException("dialect '" + key + "' is not supported yet; supported: "
          + names());
    }
    throw new IllegalArgumentException("unknown dialect '" + name + "'; supported: " + names());
  }

  static String names() {
    return Arrays.stream(values()).map(SqlDialect::key)
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
