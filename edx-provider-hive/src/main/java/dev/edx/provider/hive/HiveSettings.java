package dev.edx.provider.hive;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Database;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.DeclaredResource;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The {@code hive} provider's spec, parsed once.
 *
 * @param uri the metastore's {@code thrift://host:port}
 * @param connectTimeout how long to wait for a connection
 * @param socketTimeout how long to wait for one call's answer
 * @param poolSize connections kept open
 * @param lockTimeout how long an update waits for the table lock
 * @param user the user named in locks and as owner
 * @param databases the databases the provisioner manages
 */
record HiveSettings(URI uri, Duration connectTimeout, Duration socketTimeout, int poolSize,
    Duration lockTimeout, String user, List<DeclaredResource> databases) {

  HiveSettings {
    requireNonNull(uri, "uri is null");
    requireNonNull(connectTimeout, "connectTimeout is null");
    requireNonNull(socketTimeout, "socketTimeout is null");
    requireNonNull(lockTimeout, "lockTimeout is null");
    requireNonNull(user, "user is null");
    databases = List.copyOf(requireNonNull(databases, "databases is null"));
  }

  /** Reads a spec edx has checked against {@link HiveProperties}. */
  static HiveSettings parse(ServiceSpec spec) {
    return new HiveSettings(HiveProperties.THRIFT_URI.get(spec),
        HiveProperties.CONNECT_TIMEOUT.get(spec),
        HiveProperties.SOCKET_TIMEOUT.get(spec),
        HiveProperties.POOL_SIZE.get(spec),
        HiveProperties.LOCK_TIMEOUT.get(spec),
        HiveProperties.USER.get(spec),
        HiveProperties.DATABASES.get(spec).stream()
            .map(d -> new DeclaredResource(Database.of(d.name()).name(), d.adopt())).toList());
  }

  /** {@code thrift://host:port}, for messages. */
  String where() {
    return uri.toString();
  }

  @Override
  public String toString() {
    return uri + ", pool " + poolSize + ", databases "
        + databases.stream().map(DeclaredResource::name).toList();
  }
}
