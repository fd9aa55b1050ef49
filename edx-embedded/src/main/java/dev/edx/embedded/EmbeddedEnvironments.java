package dev.edx.embedded;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Environment;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.core.EnvironmentSpec;
import dev.edx.core.Environments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Embedded environments: every service in-process, its data under a folder the caller owns. When
 * the {@code minio} storage provider is on the class path, storage is that provider on an {@link
 * S3Endpoint} ({@code <directory>/s3}, or {@code EDX_TEST_S3_ENDPOINT}); otherwise it is local.
 * The data folder and everything below it are readable by their owner only ({@link
 * OwnerOnlyFiles}). Closing the environment stops the servers it started. This is what the {@code
 * edx} command line opens without {@code --env} ({@link #openPersistent}) and what edx-testkit's
 * {@code @EdxTest} injects ({@link #open(Path, PostgresEndpoint, String)}).
 */
public final class EmbeddedEnvironments {
  private EmbeddedEnvironments() {}

  /** Opens an embedded environment whose data lives under {@code directory}. Close it. */
  public static Environment open(Path directory) {
    return open(directory, null, null, List.of());
  }

  /** The metastore database of {@link #openPersistent}. */
  static final String DATABASE = "edx";

  /** The folder, under the data folder, of the embedded S3 endpoint's store. */
  static final String S3_FOLDER = "s3";

  /**
   * Opens the embedded environment whose data, metastore included, lives under {@code directory}:
   * the {@code postgres} metastore on an embedded PostgreSQL in {@code <directory>/postgres}, so a
   * second run sees the first run's tables. Closing the environment stops the server.
   */
  public static Environment openPersistent(Path directory) {
    requireNonNull(directory, "directory is null");
    secure(directory);
    PostgresEndpoint postgres = PostgresEndpoint.persistent(directory.resolve("postgres"));
    try {
      String jdbcUrl = postgres.database(DATABASE);
      return open(directory, postgres, jdbcUrl, List.of(postgres));
    } catch (RuntimeException e) {
      try {
        postgres.close();
      } catch (java.io.IOException | RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  /**
   * Opens an embedded environment whose data lives under {@code directory}, except its metastore:
   * the {@code postgres} provider on database {@code jdbcUrl} of {@code postgres}. Close it; the
   * PostgreSQL server stays up.
   */
  public static Environment open(Path directory, PostgresEndpoint postgres, String jdbcUrl) {
    requireNonNull(postgres, "postgres is null");
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    return open(directory, postgres, jdbcUrl, List.of());
  }

  /**
   * Opens an embedded environment whose storage clients reach the embedded S3 endpoint through
   * {@code storageRoute}: given the endpoint's address, it returns the address the clients use
   * (for example edx-testkit's {@code FaultProxy}). Without an S3 storage provider on the class
   * path the storage is local and the route is not used. Close it.
   */
  public static Environment open(Path directory, java.util.function.UnaryOperator<java.net.URI>
      storageRoute) {
    requireNonNull(storageRoute, "storageRoute is null");
    return open(directory, null, null, List.of(), storageRoute);
  }

  /**
   * Makes the data folder owner-only: created {@code 0700}, or, when it exists, it and everything
   * below it tightened (the S3 store's folder itself only: s3proxy keeps ACLs in the bits below).
   * Idempotent: a second call on an owner-only tree changes and logs nothing.
   */
  private static void secure(Path directory) {
    requireNonNull(directory, "directory is null");
    OwnerOnlyFiles.secureTree(directory, directory.resolve(S3_FOLDER));
  }

  /** As above; {@code servers} are stopped after the environment closes (or if it fails). */
  static Environment open(Path directory, PostgresEndpoint postgres, String jdbcUrl,
      List<AutoCloseable> servers) {
    return open(directory, postgres, jdbcUrl, servers, java.util.function.UnaryOperator.identity());
  }

  private static Environment open(Path directory, PostgresEndpoint postgres, String jdbcUrl,
      List<AutoCloseable> servers, java.util.function.UnaryOperator<java.net.URI> storageRoute) {
    EnvironmentSpec embedded = Environments.embeddedSpec(directory);
    Map<String, ServiceSpec> services = new LinkedHashMap<>(embedded.services());
    List<AutoCloseable> owned = new ArrayList<>(servers);
    try {
      secure(directory);
      if (postgres != null) {
        services.put("metastore", ServiceSpec.builder("metastore", "postgres")
            .setSource(embedded.source())
            .set("jdbcUrl", jdbcUrl)
            .set("user", postgres.user())
            .setSensitive("password", postgres.password())
            .build());
      }
      if (EmbeddedS3Storage.available()) {
        S3Endpoint endpoint = S3Endpoint.start(Optional.of(directory.resolve(S3_FOLDER)));
        owned.add(endpoint);
        services.put("storage", EmbeddedS3Storage.storageSpec(endpoint,
            storageRoute.apply(endpoint.endpoint()), embedded.source()));
      }
      Environment environment = Environments.open(new EnvironmentSpec(embedded.name(),
          embedded.labels(), services, embedded.source(), embedded.baseDirectory(),
          embedded.namePrefix()));
      return owned.isEmpty() ? environment : new OwningEnvironment(environment, owned);
    } catch (RuntimeException | Error e) {
      RuntimeException stopFailure = OwningEnvironment.closeAll(owned, null);
      if (stopFailure != null) {
        e.addSuppressed(stopFailure);
      }
      throw e;
    }
  }
}
