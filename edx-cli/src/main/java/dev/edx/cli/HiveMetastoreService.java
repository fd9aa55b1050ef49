package dev.edx.cli;

import dev.edx.embedded.PlatformService;
import dev.edx.embedded.S3Endpoint;
import dev.edx.hive.metastore.HiveMetastoreServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's Hive Metastore (Thrift, loopback only): edx-hive-metastore's {@link
 * HiveMetastoreServer} on database {@code hive_metastore} of the platform's PostgreSQL, its
 * warehouse folder in {@code <dir>/hive/warehouse}. A service of the platform that {@code edx up}
 * starts because the launcher's class path carries it (registered as a {@link
 * PlatformService.Factory}); library users and the runner image do not get it. Its section of
 * {@code platform.json}: {@code hiveMetastore} ({@code uri}, {@code database}, {@code
 * warehouse}); the platform's {@code environment.yaml} declares the {@code hive} metastore
 * provider on it, so the tables edx commands register are the ones Spark and Trino see.
 */
final class HiveMetastoreService implements PlatformService {
  static final String NAME = "hiveMetastore";
  /** Its database on the platform's PostgreSQL. */
  static final String DATABASE = "hive_metastore";

  private final HiveMetastoreServer server;
  private final String warehouse;

  private HiveMetastoreService(HiveMetastoreServer server, String warehouse) {
    this.server = server;
    this.warehouse = warehouse;
  }

  /** The factory {@code META-INF/services} names. */
  public static final class Factory implements PlatformService.Factory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public PlatformService start(Context context) {
      Path warehouse = context.directory().resolve("hive").resolve("warehouse");
      try {
        Files.createDirectories(warehouse);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create the Hive warehouse folder " + warehouse, e);
      }
      String jdbcUrl = context.postgres().database(DATABASE);
      String location = warehouse.toUri().toString();
      // The metastore checks table locations (s3a://bucket/...) on the platform's S3 endpoint.
      S3Endpoint s3 = context.s3();
      HiveMetastoreServer.Config config = HiveMetastoreServer.Config.of(jdbcUrl,
          context.postgres().user(), context.postgres().password(), location)
          .withProperties(Map.of(
              "fs.s3a.endpoint", s3.endpoint().toString(),
              "fs.s3a.endpoint.region", s3.region(),
              "fs.s3a.access.key", s3.accessKey(),
              "fs.s3a.secret.key", s3.secretKey(),
              "fs.s3a.path.style.access", "true",
              "fs.s3a.connection.ssl.enabled", "false"));
      return new HiveMetastoreService(HiveMetastoreServer.start(config), location);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> contract() {
    Map<String, Object> contract = new LinkedHashMap<>();
    contract.put("uri", server.uri());
    contract.put("database", DATABASE);
    contract.put("warehouse", warehouse);
    return contract;
  }

  /** The platform's spec declares the {@code hive} metastore provider on this server. */
  @Override
  public Optional<String> metastoreSpec() {
    return Optional.of("provider: hive, uri: \"" + server.uri() + "\"");
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "HiveMetastoreService{" + server.uri() + "}";
  }
}
