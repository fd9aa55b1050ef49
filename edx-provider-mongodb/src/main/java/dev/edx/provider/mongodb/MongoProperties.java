package dev.edx.provider.mongodb;

import dev.edx.toolkit.Setting;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The settings of the {@code mongodb} data store provider ({@code spec.datastores.NAME}), each
 * declared once: key, type, default, sensitivity and description ({@code
 * docs/providers/mongodb.md}).
 */
public final class MongoProperties {
  private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,63}");

  /** The connection string. Required; sensitive, as it can carry a password. */
  public static final Setting<String> URI = Setting.string("uri", "The connection string:"
          + " mongodb://host:27017 or mongodb+srv://cluster; it may carry the user and password.")
      .required().sensitive().map(MongoProperties::uri);

  /** The database {@code database()} returns and collections without their own go in. */
  public static final Setting<String> DATABASE = Setting.string("database",
          "The default database: the handle's, and that of collections that name none.")
      .check(MongoProperties::validDatabase,
          "must be a database name: letters, digits, '_' or '-' (at most 63)");

  /** How long to wait for a server to be selected (and a connection to open). */
  public static final Setting<Duration> CONNECT_TIMEOUT = Setting.duration("connectTimeout",
          "How long to wait for a server (and a connection).")
      .check(d -> d.toMillis() >= 250, "must be at least 250ms")
      .withDefault(Duration.ofSeconds(10), "10s");

  /** Where ownership is recorded: {@code database.collection}. */
  public static final Setting<String> OWNERSHIP_COLLECTION = Setting.string(
          "ownershipCollection", "The database.collection recording which environment owns"
          + " which collection.")
      .check(n -> n.indexOf('.') > 0 && validDatabase(n.substring(0, n.indexOf('.')))
          && MongoCollections.validCollection(n.substring(n.indexOf('.') + 1)),
          "must be database.collection")
      .withDefault(MongoCollections.DEFAULT_OWNERSHIP_COLLECTION);

  /** Collections apply creates (with their indexes) and destroy removes. */
  public static final Setting<Object> COLLECTIONS = Setting.any("collections", "Collections"
      + " apply creates and destroy removes: names, or {database, name, indexes, adopt} maps.");

  private MongoProperties() {}

  /** Checks a connection string; the messages never show it, as it may carry a password. */
  private static String uri(String text) {
    String uri = text.trim();
    if (!uri.startsWith("mongodb://") && !uri.startsWith("mongodb+srv://")) {
      throw new IllegalArgumentException("must be a MongoDB connection string, starting with"
          + " mongodb:// or mongodb+srv://");
    }
    try {
      new com.mongodb.ConnectionString(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("is not a valid MongoDB connection string (its text is"
          + " not shown: it may hold a password)");
    }
    return uri;
  }

  static boolean validDatabase(String name) {
    return DATABASE_NAME.matcher(name).matches();
  }
}
