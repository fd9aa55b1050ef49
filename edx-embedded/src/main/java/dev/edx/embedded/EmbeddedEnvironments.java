package dev.edx.embedded;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Environment;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.core.EnvironmentSpec;
import dev.edx.core.Environments;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedEnvironments.class);

  private EmbeddedEnvironments() {}

  /** Where the time of opening went, phase by phase, for the DEBUG log ({@code edx --debug}). */
  private static final class Timings {
    private final long start = System.nanoTime();
    private final Map<String, Long> phases = new LinkedHashMap<>();
    private long last = start;

    void lap(String phase) {
      long now = System.nanoTime();
      phases.merge(phase, now - last, Long::sum);
      last = now;
    }

    /** A phase that ran beside others (on a thread of its own): its time, not the clock's. */
    void beside(String phase, long nanos) {
      phases.merge(phase, nanos, Long::sum);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder().append((last - start) / 1_000_000).append(" ms:");
      phases.forEach((phase, nanos) -> sb.append(' ').append(phase).append(' ')
          .append(nanos / 1_000_000).append(" ms;"));
      return sb.substring(0, sb.length() - 1);
    }
  }

  /** Opens an embedded environment whose data lives under {@code directory}. Close it. */
  public static Environment open(Path directory) {
    return open(directory, null, null, List.of());
  }

  /** The metastore database of {@link #openPersistent}. */
  static final String DATABASE = "edx";

  /** The folder, under the data folder, of the embedded S3 endpoint's store. */
  static final String S3_FOLDER = "s3";

  /**
   * Opens the embedded environment whose data, metastore included, lives under {@code directory}.
   * When a {@link Platform} runs on {@code directory} ({@code edx up}), this opens its spec: the
   * environment uses the platform's servers, and any number of processes can do so at once.
   * Otherwise this process starts its own servers: the {@code postgres} metastore on an embedded
   * PostgreSQL in {@code <directory>/postgres}, so a second run sees the first run's tables, and
   * holds the directory's {@link DataDirectoryLock} until the environment closes, which stops the
   * servers.
   *
   * @throws DataDirectoryBusyException when another process runs its own servers on it
   */
  public static Environment openPersistent(Path directory) {
    requireNonNull(directory, "directory is null");
    Path dir = directory.toAbsolutePath().normalize();
    Timings timings = new Timings();
    for (int attempt = 0; ; attempt++) {
      Optional<DataDirectoryLock> lock = DataDirectoryLock.tryAcquire(dir, thisProcess());
      if (lock.isPresent()) {
        timings.lap("data directory lock");
        return openOwn(directory, lock.get(), timings);
      }
      Optional<PlatformInfo> platform = Platform.await(dir, PLATFORM_START_PATIENCE);
      if (platform.isPresent()) {
        return Environments.open(platform.get().spec());
      }
      // The holder may have ended between the two looks: try once more, then say who holds it.
      if (attempt > 0) {
        throw DataDirectoryBusyException.of(directory, "open the embedded environment");
      }
    }
  }

  /** How long a command waits for a platform that is starting on its data directory. */
  private static final Duration PLATFORM_START_PATIENCE = Duration.ofSeconds(90);

  private static Environment openOwn(Path directory, DataDirectoryLock lock, Timings timings) {
    List<AutoCloseable> servers = new ArrayList<>();
    servers.add(lock);
    try {
      // What a platform that died left behind would mislead other processes: remove it.
      Platform.removeFiles(directory.toAbsolutePath().normalize());
      secure(directory);
      timings.lap("data directory");
      Supplier<PostgresEndpoint> startPostgres =
          () -> PostgresEndpoint.persistent(directory.resolve("postgres"));
      PostgresEndpoint postgres;
      S3Endpoint endpoint = null;
      if (EmbeddedS3Storage.available()) {
        // Neither server needs the other: start them at once.
        ServerStarts.Both<PostgresEndpoint, S3Endpoint> both = ServerStarts.together(
            startPostgres, "s3-endpoint", () -> startS3(directory));
        postgres = both.first();
        endpoint = both.second();
        servers.add(postgres);
        servers.add(endpoint);
        timings.lap(SERVERS_START);
        timings.beside("of which PostgreSQL start", both.firstNanos());
        timings.beside("of which S3 endpoint start", both.secondNanos());
      } else {
        postgres = startPostgres.get();
        servers.add(postgres);
        timings.lap("PostgreSQL start");
      }
      String jdbcUrl = postgres.database(DATABASE);
      timings.lap("metastore database");
      Environment environment = open(directory, postgres, jdbcUrl, servers,
          UnaryOperator.identity(), timings, Optional.ofNullable(endpoint), false);
      LOG.debug("Opened the embedded environment in {}", timings);
      return environment;
    } catch (RuntimeException | Error e) {
      RuntimeException stopFailure = OwningEnvironment.closeAll(servers, null);
      if (stopFailure != null) {
        e.addSuppressed(stopFailure);
      }
      throw e;
    }
  }

  /** The phase of {@link #openPersistent}'s log in which both servers start. */
  static final String SERVERS_START = "servers start (PostgreSQL and S3 endpoint at once)";

  private static S3Endpoint startS3(Path directory) {
    return S3Endpoint.start(Optional.of(directory.resolve(S3_FOLDER)));
  }

  /** This process as the lock file names it: the command line after the JVM's options. */
  static String thisProcess() {
    String command = System.getProperty("sun.java.command", "java").strip();
    int space = command.indexOf(' ');
    String main = space < 0 ? command : command.substring(0, space);
    String args = space < 0 ? "" : command.substring(space);
    if (main.endsWith(".jar")) {
      main = Path.of(main).getFileName().toString();
    }
    return main.matches("edx-cli-.*-all\\.jar|dev\\.edx\\.cli\\.EdxMain") ? "edx" + args
        : main + args;
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
  public static Environment open(Path directory, UnaryOperator<URI> storageRoute) {
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
    return open(directory, postgres, jdbcUrl, servers, UnaryOperator.identity());
  }

  private static Environment open(Path directory, PostgresEndpoint postgres, String jdbcUrl,
      List<AutoCloseable> servers, UnaryOperator<URI> storageRoute) {
    return open(directory, postgres, jdbcUrl, servers, storageRoute, new Timings(),
        Optional.empty(), true);
  }

  /**
   * The environment on {@code directory} (made owner-only first when {@code secure}); its storage
   * on {@code endpoint} when one was started (it is in {@code servers} then), else on an S3
   * endpoint started here when the {@code minio} provider is on the class path.
   */
  private static Environment open(Path directory, PostgresEndpoint postgres, String jdbcUrl,
      List<AutoCloseable> servers, UnaryOperator<URI> storageRoute, Timings timings,
      Optional<S3Endpoint> endpoint, boolean secure) {
    EnvironmentSpec embedded = Environments.embeddedSpec(directory);
    Map<String, ServiceSpec> services = new LinkedHashMap<>(embedded.services());
    List<AutoCloseable> owned = new ArrayList<>(servers);
    try {
      if (secure) {
        secure(directory);
        timings.lap("data directory");
      }
      if (postgres != null) {
        services.put("metastore", ServiceSpec.builder("metastore", "postgres")
            .setSource(embedded.source())
            .set("jdbcUrl", jdbcUrl)
            .set("user", postgres.user())
            .setSensitive("password", postgres.password())
            .build());
      }
      Optional<S3Endpoint> s3 = endpoint;
      if (s3.isEmpty() && EmbeddedS3Storage.available()) {
        S3Endpoint started = startS3(directory);
        owned.add(started);
        s3 = Optional.of(started);
        timings.lap("S3 endpoint start");
      }
      s3.ifPresent(e -> services.put("storage", EmbeddedS3Storage.storageSpec(e,
          storageRoute.apply(e.endpoint()), embedded.source())));
      Environment environment = Environments.open(new EnvironmentSpec(embedded.name(),
          embedded.labels(), services, embedded.source(), embedded.baseDirectory(),
          embedded.namePrefix()));
      timings.lap("services (providers, clients, metastore migrations check)");
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
