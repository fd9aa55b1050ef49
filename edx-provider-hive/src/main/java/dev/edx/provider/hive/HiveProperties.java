package dev.edx.provider.hive;

import dev.edx.api.Database;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The settings of the {@code hive} metastore provider ({@code spec.metastore}), each declared
 * once: key, type, default, sensitivity and description ({@code docs/providers/hive.md}).
 */
public final class HiveProperties {
  /** {@code thrift://host:port} of the Hive Metastore. Required. */
  public static final Setting<URI> THRIFT_URI = Setting.string("uri",
          "The Hive Metastore's Thrift address: thrift://host:port.").required()
      .map(HiveProperties::thriftUri);

  /** How long to wait for a connection to the metastore. */
  public static final Setting<Duration> CONNECT_TIMEOUT = Setting.duration("connectTimeout",
          "How long to wait for a connection to the metastore.")
      .check(d -> d.toMillis() >= 100, "must be at least 100ms")
      .withDefault(Duration.ofSeconds(10), "10s");

  /** How long to wait for the answer to one call. */
  public static final Setting<Duration> SOCKET_TIMEOUT = Setting.duration("socketTimeout",
          "How long to wait for the answer to one metastore call.")
      .check(d -> d.toMillis() >= 100, "must be at least 100ms")
      .withDefault(Duration.ofSeconds(60), "60s");

  /** Connections kept open to the metastore (one call at a time each). */
  public static final Setting<Integer> POOL_SIZE = Setting.integer("poolSize",
          "Connections kept open to the metastore; calls beyond that many wait for one.")
      .check(n -> n >= 1, "must be at least 1").withDefault(4);

  /** How long {@code updateTable} waits for the metastore's lock on the table. */
  public static final Setting<Duration> LOCK_TIMEOUT = Setting.duration("lockTimeout",
          "How long a table update waits for the metastore's lock on the table.")
      .check(d -> d.toMillis() >= 100, "must be at least 100ms")
      .withDefault(Duration.ofMinutes(2), "2m");

  /** The user named in the metastore's locks and as the owner of what edx creates. */
  public static final Setting<String> USER = Setting.string("user",
          "The user named in metastore locks and as the owner of new databases and tables.")
      .map(String::trim)
      .check(u -> !u.isEmpty(), "must not be blank")
      .withDefault("edx");

  /** Databases the provisioner creates. */
  public static final Setting<List<DeclaredResource>> DATABASES = Setting.resources("databases",
      "database", Database::of, "Databases apply creates (marked as owned) and destroy removes.");

  private HiveProperties() {}

  private static URI thriftUri(String text) {
    URI uri;
    try {
      uri = URI.create(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a URI; give thrift://host:port, for example"
          + " thrift://127.0.0.1:9083");
    }
    if (!"thrift".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
      throw new IllegalArgumentException("must be thrift://host:port, for example"
          + " thrift://127.0.0.1:9083");
    }
    return uri;
  }
}
