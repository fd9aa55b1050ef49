package dev.edx.provider.neo4j;

import dev.edx.toolkit.Setting;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The settings of the {@code neo4j} data store provider ({@code spec.datastores.NAME}), each
 * declared once: key, type, default, sensitivity and description ({@code
 * docs/providers/neo4j.md}).
 */
public final class Neo4jProperties {
  static final List<String> SCHEMES =
      List.of("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc");
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

  /** The server's URI: {@code neo4j://host:7687} (routing) or {@code bolt://host:7687}. */
  public static final Setting<String> URI = Setting.string("uri",
          "The server: neo4j://host:7687 (routing), bolt://host:7687 (one server); +s for TLS.")
      .required().map(Neo4jProperties::uri);

  /** The user to connect as; without it the driver connects without authentication. */
  public static final Setting<String> USER = Setting.string("user", "The user to connect as.");

  /** The user's password. Sensitive. */
  public static final Setting<String> PASSWORD =
      Setting.string("password", "The user's password.").sensitive();

  /** The database sessions and provisioning use; the server's default database when absent. */
  public static final Setting<String> DATABASE = Setting.string("database",
          "The database to use; the server's default database when absent.")
      .check(d -> Pattern.matches("[A-Za-z][A-Za-z0-9.-]{2,62}", d),
          "must be a database name: a letter, then letters, digits, '.' or '-' (3 to 63)");

  /** How long to wait for a connection (to open one, or to get one from the pool). */
  public static final Setting<Duration> CONNECT_TIMEOUT = Setting.duration("connectTimeout",
          "How long to wait for a connection.")
      .check(d -> d.toMillis() >= 250, "must be at least 250ms")
      .withDefault(Duration.ofSeconds(10), "10s");

  /** The label of the nodes recording which environment owns which constraint. */
  public static final Setting<String> OWNERSHIP_LABEL = Setting.string("ownershipLabel",
          "The label of the nodes recording which environment owns which constraint.")
      .check(l -> NAME.matcher(l).matches(),
          "must be a label: a letter, then letters, digits or '_' (at most 63)")
      .withDefault(Neo4jConstraints.DEFAULT_OWNERSHIP_LABEL);

  /** Constraints apply creates and destroy removes. */
  public static final Setting<Object> CONSTRAINTS = Setting.any("constraints", "Constraints"
      + " apply creates and destroy removes: {label, property or properties, type (unique,"
      + " exists, key), name, adopt} maps.");

  private Neo4jProperties() {}

  /** Checks a URI; the messages never show it, as it may carry a password. */
  private static String uri(String text) {
    String uri = text.trim();
    java.net.URI parsed;
    try {
      parsed = new java.net.URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a URI: write it as neo4j://host:7687 or"
          + " bolt://host:7687");
    }
    if (parsed.getScheme() == null || !SCHEMES.contains(parsed.getScheme())) {
      throw new IllegalArgumentException("must use one of the schemes " + SCHEMES
          + ", as in neo4j://host:7687");
    }
    if (parsed.getRawUserInfo() != null) {
      throw new IllegalArgumentException("must not carry a user or password; set them with the"
          + " 'user' and 'password' keys, the password from a ${secret:...} reference, so it is"
          + " never shown");
    }
    if (parsed.getHost() == null) {
      throw new IllegalArgumentException("names no host: write it as neo4j://host:7687");
    }
    return uri;
  }

  /** Whether a name is a valid label, property or constraint name for edx. */
  static boolean validName(String name) {
    return NAME.matcher(name).matches();
  }
}
