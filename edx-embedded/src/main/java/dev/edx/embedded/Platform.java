package dev.edx.embedded;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.edx.api.exceptions.EdxException;
import dev.edx.core.Environments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded data platform of a data directory, running in this JVM: an S3 endpoint (objects in
 * {@code <dir>/s3}), PostgreSQL ({@code <dir>/postgres}, durable) and any further {@link
 * PlatformService}s (a Hive Metastore on that PostgreSQL), for as long as it is open. This is what
 * {@code edx up} runs in a background process.
 *
 * <p>While it runs the platform holds the directory's {@link DataDirectoryLock} and publishes two
 * files, written once every service is ready:
 *
 * <ul>
 *   <li>{@code <dir>/platform.json}, readable by its owner only: {@code s3} ({@code endpoint},
 *       {@code region}, {@code accessKey}, {@code secretKey}), {@code postgres} ({@code jdbcUrl},
 *       {@code user}, {@code password}, {@code host}, {@code port}, {@code database}), {@code
 *       hiveMetastore} ({@code uri}) when a Hive Metastore runs, {@code kafka} ({@code
 *       bootstrapServers}, {@code directory}) when a Kafka broker runs ({@code edx up --with
 *       kafka}), {@code with} (the optional services asked for, {@link PlatformOptions}), {@code
 *       spec} (the path of the spec below), {@code pid}, {@code startedAt}, {@code
 *       dataDirectory}, {@code formatVersion}. These key names are a contract.
 *   <li>{@code <dir>/environment.yaml}: an environment spec on the platform's servers (storage
 *       {@code minio} on the S3 endpoint, the platform's metastore, local compute and secrets,
 *       and the data stores its services declare, such as {@code events} on the Kafka broker),
 *       its credentials read from files under {@code <dir>/platform/} that only the owner can
 *       read. {@link EmbeddedEnvironments#openPersistent} opens it while the platform runs, and
 *       so can any {@code Environments.open}.
 * </ul>
 *
 * <p>Closing removes both files, stops the services in reverse order (PostgreSQL with a clean
 * shutdown, so its data survives) and releases the lock. Idempotent.
 */
public final class Platform implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  /** The descriptor's file name in the data directory. */
  public static final String DESCRIPTOR = "platform.json";
  /** The spec's file name in the data directory. */
  public static final String SPEC = "environment.yaml";
  /** The folder of the credential files the spec reads. */
  static final String SECRETS_FOLDER = "platform";
  /** What the lock file says of a platform's process. */
  public static final String LOCK_OWNER = "edx platform";
  /** The version of the descriptor's layout. */
  public static final int FORMAT_VERSION = 1;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path directory;
  private final List<AutoCloseable> resources;
  private final PlatformInfo info;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Platform(Path directory, List<AutoCloseable> resources, PlatformInfo info) {
    this.directory = directory;
    this.resources = List.copyOf(resources);
    this.info = info;
  }

  /**
   * Starts the platform of {@code directory}: takes its lock, starts PostgreSQL and the S3 endpoint
   * (at once), then {@code services} in order (an {@linkplain PlatformService.Factory#independent()
   * independent} one beside those before it), then writes {@code environment.yaml} and {@code
   * platform.json}. Close it.
   *
   * @throws DataDirectoryBusyException when another process holds the directory
   */
  public static Platform start(Path directory, List<PlatformService.Factory> services) {
    return start(directory, services, line -> { });
  }

  /**
   * As {@link #start(Path, List)}, telling {@code progress} what it starts as it goes (one short
   * line each, such as {@code starting kafka}). Optional services ({@link
   * PlatformService.Factory#optional()}) start only when the directory's {@link PlatformOptions}
   * name them.
   *
   * @throws EdxException when the options name a service none of {@code services} provides
   */
  public static Platform start(Path directory, List<PlatformService.Factory> services,
      Consumer<String> progress) {
    requireNonNull(services, "services is null");
    requireNonNull(progress, "progress is null");
    Path dir = directory.toAbsolutePath().normalize();
    PlatformOptions options = PlatformOptions.read(dir);
    Set<String> optional = new TreeSet<>();
    services.stream().filter(PlatformService.Factory::optional)
        .forEach(f -> optional.add(f.name()));
    for (String wanted : options.with()) {
      if (!optional.contains(wanted)) {
        throw new EdxException("Cannot start the platform in " + dir + ": its "
            + PlatformOptions.FILE + " asks for '" + wanted + "', which this class path does"
            + " not provide (known: " + (optional.isEmpty() ? "none" : String.join(", ", optional))
            + "); start it without: edx up --without " + wanted);
      }
    }
    List<PlatformService.Factory> chosen = services.stream()
        .filter(f -> !f.optional() || options.with().contains(f.name())).toList();
    DataDirectoryLock lock = acquire(dir, Duration.ofSeconds(3));
    List<AutoCloseable> resources = new ArrayList<>();
    resources.add(lock);
    Map<Integer, CompletableFuture<PlatformService>> beside = new LinkedHashMap<>();
    try {
      removeFiles(dir);
      // Owner-only, as every embedded data folder: tightened when an existing one was looser.
      OwnerOnlyFiles.secureTree(dir, dir.resolve("s3"));
      long start = System.nanoTime();
      progress.accept("starting postgres and s3");
      // Neither server needs the other: they start at once.
      ServerStarts.Both<PostgresEndpoint, S3Endpoint> servers = ServerStarts.together(
          () -> PostgresEndpoint.persistent(dir.resolve("postgres")), "s3-endpoint",
          () -> S3Endpoint.inFolder(dir.resolve("s3")));
      PostgresEndpoint postgres = servers.first();
      resources.add(postgres);
      S3Endpoint s3 = servers.second();
      resources.add(s3);
      String jdbcUrl = postgres.database(EmbeddedEnvironments.DATABASE);
      PlatformService.Context context = new PlatformService.Context(dir, postgres, s3);
      Map<String, String> failed = new LinkedHashMap<>();
      PlatformService[] byIndex = new PlatformService[chosen.size()];
      // Independent services start at once, each on its own thread (see Factory.independent()).
      for (int i = 0; i < chosen.size(); i++) {
        PlatformService.Factory factory = chosen.get(i);
        if (factory.independent()) {
          progress.accept("starting " + factory.name());
          beside.put(i, startBeside(factory, context));
        }
      }
      for (int i = 0; i <= chosen.size(); i++) {
        // Those listed before this one have started (or failed) first.
        for (int before : List.copyOf(beside.keySet())) {
          if (before < i) {
            CompletableFuture<PlatformService> pending = beside.remove(before);
            byIndex[before] = started(chosen.get(before), () -> join(pending), resources,
                failed);
          }
        }
        if (i < chosen.size() && !chosen.get(i).independent()) {
          PlatformService.Factory factory = chosen.get(i);
          progress.accept("starting " + factory.name());
          byIndex[i] = started(factory, () -> factory.start(context), resources, failed);
        }
      }
      List<PlatformService> started = new ArrayList<>();
      for (PlatformService service : byIndex) {
        if (service != null) {
          started.add(service);
        }
      }
      Path spec = writeSpec(dir, s3, postgres, jdbcUrl, started);
      PlatformInfo info = writeDescriptor(dir, s3, postgres, jdbcUrl, started, failed, spec,
          options);
      LOG.info("Platform in {} ready in {} ms: {}", dir, (System.nanoTime() - start) / 1_000_000,
          info);
      return new Platform(dir, resources, info);
    } catch (RuntimeException | Error e) {
      // A service still starting beside the others is waited for, then stopped with them.
      for (CompletableFuture<PlatformService> pending : beside.values()) {
        try {
          resources.add(join(pending));
        } catch (RuntimeException | Error startFailure) {
          e.addSuppressed(startFailure);
        }
      }
      removeFiles(dir);
      RuntimeException stopFailure = OwningEnvironment.closeAll(resources, null);
      if (stopFailure != null) {
        e.addSuppressed(stopFailure);
      }
      throw e;
    }
  }

  /**
   * The service {@code start} starts, added to {@code resources}; null when it cannot start: a
   * further service that cannot start is reported (its section in platform.json holds the error,
   * and the log the stack trace); the S3 endpoint and PostgreSQL still serve.
   */
  private static PlatformService started(PlatformService.Factory factory,
      Supplier<PlatformService> start, List<AutoCloseable> resources, Map<String, String> failed) {
    try {
      PlatformService service = requireNonNull(start.get(), "a service start returned null");
      resources.add(service);
      return service;
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("Cannot start the platform's service {}", factory.name(), e);
      failed.put(factory.name(), String.valueOf(e.getMessage()));
      return null;
    }
  }

  /** Starts {@code factory}'s service on a thread of its own (this thread's class loader). */
  private static CompletableFuture<PlatformService> startBeside(PlatformService.Factory factory,
      PlatformService.Context context) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return CompletableFuture.supplyAsync(() -> factory.start(context), task -> {
      Thread thread = new Thread(task, "edx-start-" + factory.name());
      thread.setDaemon(true);
      thread.setContextClassLoader(loader);
      thread.start();
    });
  }

  /** Waits for a start, uninterruptibly; its failure as thrown, not wrapped. */
  private static PlatformService join(CompletableFuture<PlatformService> start) {
    try {
      return start.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error r) {
        throw r;
      }
      throw e;
    }
  }

  private static DataDirectoryLock acquire(Path dir, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      Optional<DataDirectoryLock> lock = DataDirectoryLock.tryAcquire(dir, LOCK_OWNER);
      if (lock.isPresent()) {
        return lock.get();
      }
      // A probe (edx status) holds the lock for an instant: try again for a little while.
      if (System.nanoTime() > deadline) {
        throw DataDirectoryBusyException.of(dir, "start the platform");
      }
      sleep(100);
    }
  }

  /** What {@code platform.json} says. */
  public PlatformInfo info() {
    return info;
  }

  /** The data directory. */
  public Path directory() {
    return directory;
  }

  /**
   * The platform running on {@code directory}, if one does: {@code platform.json} is there, its
   * process is alive and holds the directory's lock. A descriptor left by a platform that died is
   * not reported.
   */
  public static Optional<PlatformInfo> find(Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    Path descriptor = dir.resolve(DESCRIPTOR);
    if (!Files.exists(descriptor)) {
      return Optional.empty();
    }
    PlatformInfo info;
    try {
      info = PlatformInfo.read(descriptor);
    } catch (RuntimeException e) {
      LOG.debug("Ignoring {}: {}", descriptor, e.getMessage());
      return Optional.empty();
    }
    boolean alive = ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false);
    if (!alive || !DataDirectoryLock.held(dir)) {
      return Optional.empty();
    }
    Optional<DataDirectoryLock.Holder> holder = DataDirectoryLock.holder(dir);
    if (holder.isPresent() && holder.get().pid() != info.pid()) {
      return Optional.empty();
    }
    return Optional.of(info);
  }

  /**
   * As {@link #find}, but while the directory's lock is held by a platform that is still
   * starting, waits for it to be ready, for at most {@code patience}.
   */
  public static Optional<PlatformInfo> await(Path directory, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      Optional<PlatformInfo> info = find(directory);
      if (info.isPresent() || System.nanoTime() > deadline || !starting(directory)) {
        return info;
      }
      sleep(100);
    }
  }

  /** Whether a platform's process holds {@code directory} without being ready yet. */
  public static boolean starting(Path directory) {
    Optional<DataDirectoryLock.Holder> holder = DataDirectoryLock.holder(directory);
    return holder.isPresent() && holder.get().what().equals(LOCK_OWNER)
        && ProcessHandle.of(holder.get().pid()).map(ProcessHandle::isAlive).orElse(false)
        && DataDirectoryLock.held(directory);
  }

  private static Path writeSpec(Path dir, S3Endpoint s3, PostgresEndpoint postgres,
      String jdbcUrl, List<PlatformService> services) {
    Path secrets = dir.resolve(SECRETS_FOLDER);
    try {
      Files.createDirectories(secrets);
      restrict(secrets, PosixFilePermissions.fromString("rwx------"));
      writePrivate(secrets.resolve("s3-access-key"), s3.accessKey());
      writePrivate(secrets.resolve("s3-secret-key"), s3.secretKey());
      writePrivate(secrets.resolve("postgres-password"), postgres.password());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the platform's credential files in " + secrets,
          e);
    }
    String metastore = services.stream().map(PlatformService::metastoreSpec)
        .flatMap(Optional::stream).findFirst()
        .orElse("provider: postgres, jdbcUrl: " + quote(jdbcUrl) + ", user: "
            + quote(postgres.user()) + ", password: \"${file:" + SECRETS_FOLDER
            + "/postgres-password}\"");
    // The embedded environment's name, so that ownership marks match with or without platform.
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    String yaml = "# Written by `edx up` (edx-embedded's Platform) at " + Instant.now() + ": the\n"
        + "# embedded platform in " + dir + ", as an environment spec. edx commands on this data\n"
        + "# directory open it while the platform runs; so can any tool:\n"
        + "#   ./edx doctor --env " + dir.resolve(SPEC) + "\n"
        + "# The credentials are read from the files in " + SECRETS_FOLDER + "/ (owner only).\n"
        + "# Removed when the platform stops (`edx down`); addresses change at each start.\n"
        + "apiVersion: edx.dev/v1\n"
        + "kind: Environment\n"
        + "metadata: {name: " + Environments.embeddedSpec(dir).name() + "}\n"
        + "spec:\n"
        + "  secrets: {provider: local, directory: secrets}\n"
        + "  storage: {provider: " + EmbeddedS3Storage.MINIO + ", endpoint: "
        + quote(s3.endpoint().toString()) + ", region: " + quote(s3.region())
        + ", accessKey: \"${file:" + SECRETS_FOLDER + "/s3-access-key}\", secretKey: \"${file:"
        + SECRETS_FOLDER + "/s3-secret-key}\"}\n"
        + "  metastore: {" + metastore + "}\n"
        + "  compute: {provider: local, threads: " + threads + "}\n"
        + datastores(services);
    Path spec = dir.resolve(SPEC);
    writeAtomically(spec, yaml);
    return spec;
  }

  /** The spec's {@code datastores} section, from the services that declare stores. */
  private static String datastores(List<PlatformService> services) {
    Map<String, String> stores = new LinkedHashMap<>();
    for (PlatformService service : services) {
      service.datastoreSpecs().forEach((name, section) -> {
        if (stores.putIfAbsent(name, section) != null) {
          throw new EdxException("Cannot write the platform's spec: two services declare the"
              + " data store '" + name + "'");
        }
      });
    }
    if (stores.isEmpty()) {
      return "";
    }
    StringBuilder yaml = new StringBuilder("  datastores:\n");
    stores.forEach((name, section) -> yaml.append("    ").append(name).append(": {")
        .append(section).append("}\n"));
    return yaml.toString();
  }

  private static PlatformInfo writeDescriptor(Path dir, S3Endpoint s3, PostgresEndpoint postgres,
      String jdbcUrl, List<PlatformService> services, Map<String, String> failed, Path spec,
      PlatformOptions options) {
    Instant now = Instant.now();
    long pid = ProcessHandle.current().pid();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("formatVersion", FORMAT_VERSION);
    Map<String, Object> s3Section = new LinkedHashMap<>();
    s3Section.put("endpoint", s3.endpoint().toString());
    s3Section.put("region", s3.region());
    s3Section.put("accessKey", s3.accessKey());
    s3Section.put("secretKey", s3.secretKey());
    root.put("s3", s3Section);
    PlatformInfo partial = new PlatformInfo(pid, now, dir, s3.endpoint(), s3.region(),
        s3.accessKey(), s3.secretKey(), jdbcUrl, postgres.user(), postgres.password(),
        Optional.empty(), spec, Optional.empty(), Optional.empty(), Optional.empty(), Set.of());
    Map<String, Object> pg = new LinkedHashMap<>();
    pg.put("jdbcUrl", jdbcUrl);
    pg.put("user", postgres.user());
    pg.put("password", postgres.password());
    pg.put("host", partial.postgresHost());
    pg.put("port", partial.postgresPort());
    pg.put("database", partial.postgresDatabase());
    root.put("postgres", pg);
    for (PlatformService service : services) {
      root.put(service.name(), service.contract());
    }
    failed.forEach((name, error) -> root.put(name, Map.of("error", error)));
    root.put("with", new TreeSet<>(options.with()));
    root.put("spec", spec.toString());
    root.put("pid", pid);
    root.put("startedAt", now.toString());
    root.put("dataDirectory", dir.toString());
    String json;
    try {
      json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + DESCRIPTOR, e);
    }
    Path file = dir.resolve(DESCRIPTOR);
    writeAtomically(file, json);
    return PlatformInfo.read(file);
  }

  /** Writes {@code text} to a new owner-only file beside {@code file}, then moves it there. */
  private static void writeAtomically(Path file, String text) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      writePrivate(tmp, text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /** Creates {@code file} readable by its owner only from the start, then writes it. */
  private static void writePrivate(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      restrict(file, OWNER_ONLY);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static void restrict(Path path, Set<PosixFilePermission> permissions)
      throws IOException {
    try {
      Files.setPosixFilePermissions(path, permissions);
    } catch (UnsupportedOperationException e) {
      LOG.debug("Cannot restrict the permissions of {}: not a POSIX file system", path);
    }
  }

  /** A YAML double-quoted scalar. */
  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Removes what a platform publishes (also what a platform that died left behind). */
  static void removeFiles(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(DESCRIPTOR));
      Files.deleteIfExists(dir.resolve(SPEC));
      Path secrets = dir.resolve(SECRETS_FOLDER);
      if (Files.isDirectory(secrets)) {
        try (var files = Files.list(secrets)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            Files.deleteIfExists(f);
          }
        }
        Files.deleteIfExists(secrets);
      }
    } catch (IOException e) {
      LOG.warn("Cannot remove the platform files of {}: {}", dir, e.toString());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EdxException("Interrupted while waiting for the platform", e);
    }
  }

  /** Removes the published files, stops the services last first, releases the lock. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    removeFiles(directory);
    RuntimeException failure = OwningEnvironment.closeAll(resources, null);
    LOG.info("Platform in {} stopped", directory);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "Platform{" + directory + ", " + info + "}";
  }
}
