package dev.edx.cli;

import dev.edx.api.exceptions.EdxException;
import dev.edx.api.spi.Change;
import dev.edx.core.EnvironmentSpec;
import dev.edx.core.Environments;
import dev.edx.embedded.DataDirectoryBusyException;
import dev.edx.embedded.DataDirectoryLock;
import dev.edx.embedded.Platform;
import dev.edx.embedded.PlatformInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What {@code edx up}, {@code edx down} and {@code edx status} do: the platform of a data
 * directory runs in a background JVM (this same class path, the hidden {@code platform-daemon}
 * command) that writes {@code platform.json} when it is ready and holds the directory's lock while
 * it runs; it stops on SIGTERM, shutting PostgreSQL down cleanly.
 */
final class PlatformControl {
  /** The daemon's log, in the data directory. */
  static final String LOG = "platform.log";
  static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  /** The least maximum heap the platform's JVM gets (see {@link #heapOption}). */
  static final long MIN_HEAP_MIB = 1024;

  /** How the daemon's log marks a step of its start, which {@link #up} relays. */
  static final String PROGRESS = "edx platform starting: ";

  /** A platform that runs, and whether this call started it (and how long that took). */
  record Started(PlatformInfo info, boolean started, Duration took) {}

  /** Starts the platform of {@code directory} unless it runs; returns when it is ready. */
  Started up(Path directory, Duration timeout) {
    return up(directory, timeout, step -> { });
  }

  /**
   * As {@link #up(Path, Duration)}, telling {@code progress} each step of the start as the
   * platform's process reports it (such as {@code starting kafka}), then, when the platform runs
   * a Kafka broker, creating the topics its spec declares ({@code edx env apply}).
   */
  Started up(Path directory, Duration timeout, Consumer<String> progress) {
    Path dir = directory.toAbsolutePath().normalize();
    long start = System.nanoTime();
    Optional<PlatformInfo> running = Platform.await(dir, timeout);
    if (running.isPresent()) {
      return new Started(running.get(), false, Duration.ZERO);
    }
    if (DataDirectoryLock.held(dir)) {
      throw DataDirectoryBusyException.of(directory, "start the platform");
    }
    long logOffset = logSize(dir);
    Process daemon = spawn(dir);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      logOffset = relayProgress(dir, logOffset, progress);
      Optional<PlatformInfo> info = Platform.find(dir);
      if (info.isPresent()) {
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        info.get().kafkaBootstrapServers().ifPresent(k -> applyTopics(info.get(), progress));
        return new Started(info.get(), true, took);
      }
      if (!daemon.isAlive() && daemon.exitValue() != 0) {
        throw new EdxException("Cannot start the platform in " + dir + ": its process ended"
            + " with exit code " + daemon.exitValue() + lastLine(dir) + " (the whole log: "
            + dir.resolve(LOG) + ")");
      }
      if (System.nanoTime() > deadline) {
        daemon.destroy();
        throw new EdxException("Cannot start the platform in " + dir + ": not ready after "
            + timeout.toSeconds() + " s" + lastLine(dir) + " (the whole log: "
            + dir.resolve(LOG) + ")");
      }
      sleep(50);
    }
  }

  private static long logSize(Path dir) {
    try {
      return Files.exists(dir.resolve(LOG)) ? Files.size(dir.resolve(LOG)) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Relays the progress lines the log gained since {@code offset}; returns the new offset. */
  private static long relayProgress(Path dir, long offset, Consumer<String> progress) {
    Path log = dir.resolve(LOG);
    try (java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(log)) {
      if (channel.size() <= offset) {
        return offset;
      }
      channel.position(offset);
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(
          (int) Math.min(channel.size() - offset, 1 << 20));
      channel.read(buffer);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      if (end < 0) {
        return offset;
      }
      text.substring(0, end).lines().filter(l -> l.startsWith(PROGRESS))
          .forEach(l -> progress.accept(l.substring(PROGRESS.length())));
      return offset + text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
    } catch (IOException e) {
      return offset;
    }
  }

  /**
   * Creates the topics the platform's spec declares on its Kafka broker ({@code edx env apply}
   * on {@code environment.yaml}); a failure is reported, not thrown: the platform runs.
   */
  private static void applyTopics(PlatformInfo info, Consumer<String> progress) {
    progress.accept("creating the topics of data store " + KafkaBrokerService.STORE);
    try {
      List<Change> changes = Environments.apply(EnvironmentSpec.parse(info.spec())).stream()
          .filter(c -> c.action() != Change.Action.NONE).toList();
      progress.accept(changes.isEmpty() ? "topics ready (nothing to change)"
          : "topics ready: " + changes.stream().map(Change::toString)
              .collect(java.util.stream.Collectors.joining("; ")));
    } catch (RuntimeException e) {
      progress.accept("cannot create the topics of data store " + KafkaBrokerService.STORE
          + ": " + e.getMessage() + " (try ./edx env apply --env " + info.spec() + ")");
    }
  }

  /** Starts the daemon JVM, detached (its own session where {@code setsid} exists). */
  private static Process spawn(Path dir) {
    List<String> command = new ArrayList<>();
    for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
      if (Files.isExecutable(Path.of(setsid))) {
        command.add(setsid);
        break;
      }
    }
    command.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    String options = System.getenv("EDX_PLATFORM_JAVA_OPTS");
    if (options != null && !options.isBlank()) {
      command.addAll(List.of(options.strip().split("\\s+")));
    }
    if (options == null || !options.matches(".*-(Xmx|XX:MaxRAM|XX:MaxHeapSize).*")) {
      command.add(heapOption());
    }
    for (String property : List.of("java.io.tmpdir", "ot.epg.working-dir")) {
      String value = System.getProperty(property);
      if (value != null) {
        command.add("-D" + property + "=" + value);
      }
    }
    try {
      Files.createDirectories(dir);
      command.addAll(List.of("-cp", classPath(dir), EdxMain.class.getName(),
          PlatformDaemonCommand.NAME, "--data-dir", dir.toString()));
      Path log = dir.resolve(LOG);
      return new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the platform's process in " + dir, e);
    }
  }

  /**
   * The daemon's maximum heap: the JVM's default (a quarter of the machine's memory), but at least
   * {@link #MIN_HEAP_MIB} MiB, since the pipeline's commands run in it ({@code edx gha convert}
   * peaks under 512 MiB per hour beside the platform's own services).
   */
  static String heapOption() {
    long total = ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    return "-Xmx" + Math.max(MIN_HEAP_MIB, (total >> 20) / 4) + "m";
  }

  /**
   * The daemon's class path: this JVM's, except that the launcher's jar is first copied into the
   * data directory ({@code platform.jar}, again only when it changed), so that rebuilding the
   * launcher while the platform runs does not pull classes from under it; with it the jars the
   * launcher keeps whole beside it ({@code lib/}: DataNucleus, which the Hive Metastore needs and
   * which cannot be shaded), copied into {@code platform-lib/} the same way.
   */
  private static String classPath(Path dir) throws IOException {
    String classPath = System.getProperty("java.class.path");
    Path jar = Path.of(classPath);
    if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")
        || !Files.isRegularFile(jar)) {
      return classPath;
    }
    List<String> entries = new ArrayList<>();
    entries.add(copyIfChanged(jar, dir.resolve("platform.jar")).toString());
    Path lib = jar.toAbsolutePath().getParent().resolve("lib");
    if (Files.isDirectory(lib)) {
      Path copies = Files.createDirectories(dir.resolve("platform-lib"));
      try (java.util.stream.Stream<Path> jars = Files.list(lib)) {
        for (Path each : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
          entries.add(copyIfChanged(each, copies.resolve(each.getFileName())).toString());
        }
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static Path copyIfChanged(Path from, Path to) throws IOException {
    if (!Files.exists(to) || Files.size(to) != Files.size(from)
        || !Files.getLastModifiedTime(to).equals(Files.getLastModifiedTime(from))) {
      Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
      Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.COPY_ATTRIBUTES);
      Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING);
    }
    return to;
  }

  /**
   * Stops the platform of {@code directory} and waits until its process has ended; empty when
   * none runs.
   */
  Optional<Duration> down(Path directory, Duration timeout) {
    Path dir = directory.toAbsolutePath().normalize();
    Optional<PlatformInfo> running = Platform.await(dir, timeout);
    if (running.isEmpty()) {
      return Optional.empty();
    }
    long start = System.nanoTime();
    Optional<ProcessHandle> process = ProcessHandle.of(running.get().pid());
    if (process.isPresent()) {
      process.get().destroy();
      try {
        process.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new EdxException("Cannot stop the platform in " + dir + ": process "
            + running.get().pid() + " still runs after " + timeout.toSeconds() + " s; see "
            + dir.resolve(LOG));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EdxException("Interrupted while stopping the platform in " + dir, e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new EdxException("Cannot stop the platform in " + dir + ": " + e.getMessage(), e);
      }
    }
    // PostgreSQL may finish its shutdown checkpoint after the daemon's pg_ctl stopped waiting
    // (it waits 5 s): wait for the server's pid file to go, so that the next up starts cleanly.
    Path postmaster = dir.resolve("postgres").resolve("data").resolve("postmaster.pid");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (Files.exists(postmaster)) {
      if (System.nanoTime() > deadline) {
        throw new EdxException("Cannot stop the platform in " + dir + ": its PostgreSQL server"
            + " still runs after " + timeout.toSeconds() + " s (" + postmaster + " is there)");
      }
      sleep(100);
    }
    return Optional.of(Duration.ofNanos(System.nanoTime() - start));
  }

  /** Whether something accepts TCP connections at {@code host:port} within a second. */
  static boolean reachable(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether the server at {@code uri} accepts connections. */
  static boolean reachable(URI uri) {
    return reachable(uri.getHost(), uri.getPort());
  }

  /** The platform's addresses, one per line, as {@code edx up} and {@code edx status} show. */
  static List<String> describe(PlatformInfo info) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("  %-14s %s (region %s)%s", "s3", info.s3Endpoint(),
        info.s3Region(), reachable(info.s3Endpoint()) ? "" : "  NOT REACHABLE"));
    lines.add(String.format("  %-14s %s (user %s)%s", "postgres", info.jdbcUrl(),
        info.postgresUser(), reachable(info.postgresHost(), info.postgresPort())
            ? "" : "  NOT REACHABLE"));
    info.hiveMetastoreUri().ifPresent(uri -> lines.add(String.format("  %-14s %s%s",
        "hiveMetastore", uri, reachable(URI.create(uri)) ? "" : "  NOT REACHABLE")));
    info.hiveMetastoreError().ifPresent(error -> lines.add(String.format("  %-14s NOT STARTED:"
        + " %s (the spec keeps the postgres metastore; see the log)", "hiveMetastore", error)));
    info.kafkaBootstrapServers().ifPresent(bootstrap -> lines.add(String.format(
        "  %-14s %s (bootstrap servers; data store '%s' of the spec)%s", "kafka", bootstrap,
        KafkaBrokerService.STORE, reachable(URI.create("kafka://" + bootstrap))
            ? "" : "  NOT REACHABLE")));
    info.kafkaError().ifPresent(error -> lines.add(String.format("  %-14s NOT STARTED: %s (see"
        + " the log)", "kafka", error)));
    lines.add(String.format("  %-14s %s", "spec", info.spec()));
    lines.add(String.format("  %-14s %s (owner only: credentials)", "descriptor",
        info.dataDirectory().resolve(Platform.DESCRIPTOR)));
    lines.add(String.format("  %-14s %s", "log", info.dataDirectory().resolve(LOG)));
    return lines;
  }

  /**
   * The settings Spark needs to reach the platform: the S3A connector on the S3 endpoint, and the
   * Hive Metastore when the platform runs one.
   */
  static Map<String, String> sparkConf(PlatformInfo info) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.hadoop.fs.s3a.endpoint", info.s3Endpoint().toString());
    conf.put("spark.hadoop.fs.s3a.endpoint.region", info.s3Region());
    conf.put("spark.hadoop.fs.s3a.access.key", info.s3AccessKey());
    conf.put("spark.hadoop.fs.s3a.secret.key", info.s3SecretKey());
    conf.put("spark.hadoop.fs.s3a.path.style.access", "true");
    conf.put("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
    conf.put("spark.hadoop.fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    info.hiveMetastoreUri().ifPresent(uri -> {
      conf.put("spark.sql.catalogImplementation", "hive");
      conf.put("spark.hadoop.hive.metastore.uris", uri);
    });
    return conf;
  }

  /** Shell exports for the AWS CLI, psql and Spark ({@code edx up --output env}). */
  static String exports(PlatformInfo info) {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("AWS_ENDPOINT_URL", info.s3Endpoint().toString());
    vars.put("AWS_ACCESS_KEY_ID", info.s3AccessKey());
    vars.put("AWS_SECRET_ACCESS_KEY", info.s3SecretKey());
    vars.put("AWS_REGION", info.s3Region());
    vars.put("AWS_DEFAULT_REGION", info.s3Region());
    vars.put("PGHOST", info.postgresHost());
    vars.put("PGPORT", String.valueOf(info.postgresPort()));
    vars.put("PGDATABASE", info.postgresDatabase());
    vars.put("PGUSER", info.postgresUser());
    vars.put("PGPASSWORD", info.postgresPassword());
    info.hiveMetastoreUri().ifPresent(uri -> vars.put("HIVE_METASTORE_URIS", uri));
    info.kafkaBootstrapServers().ifPresent(k -> vars.put("KAFKA_BOOTSTRAP_SERVERS", k));
    vars.put("EDX_PLATFORM_SPEC", info.spec().toString());
    StringBuilder conf = new StringBuilder();
    sparkConf(info).forEach((k, v) -> conf.append(conf.length() == 0 ? "" : " ")
        .append("--conf ").append(k).append('=').append(v));
    vars.put("EDX_SPARK_CONF", conf.toString());
    StringBuilder text = new StringBuilder("# The edx platform in " + info.dataDirectory()
        + " (pid " + info.pid() + "): eval \"$(edx up --output env)\"\n");
    vars.forEach((k, v) -> text.append("export ").append(k).append('=').append(shellQuote(v))
        .append('\n'));
    text.append("# Spark (spark-submit, spark-sql, pyspark; hadoop-aws on the class path,"
        + " e.g. --packages org.apache.hadoop:hadoop-aws:3.4.1): $EDX_SPARK_CONF, that is\n");
    sparkConf(info).forEach((k, v) -> text.append("#   --conf ").append(k).append('=')
        .append(k.endsWith("secret.key") ? "$AWS_SECRET_ACCESS_KEY" : v).append('\n'));
    return text.toString();
  }

  /** How to reach the platform with Spark, the AWS CLI and psql (the end of {@code edx demo}). */
  static List<String> howToReach(PlatformInfo info, String dataDirOption) {
    String up = "./edx up" + dataDirOption;
    List<String> lines = new ArrayList<>();
    lines.add("The platform keeps running (./edx status" + dataDirOption + "; ./edx down"
        + dataDirOption + " stops it). Reach it from a shell:");
    lines.add("  eval \"$(" + up + " --output env)\"   # AWS_*, PG*, EDX_SPARK_CONF");
    lines.add("  aws s3 ls s3://gha-datamart/ --recursive | head       # the AWS CLI");
    if (info.hiveMetastoreUri().isPresent()) {
      lines.add("  psql -d " + HiveMetastoreService.DATABASE + " -c '\\dt'"
          + "   # psql: the Hive Metastore's catalogue, on the platform's PostgreSQL");
      lines.add("  spark-sql --packages org.apache.hadoop:hadoop-aws:3.4.1 $EDX_SPARK_CONF \\");
      lines.add("    -e 'SELECT type, count(*) FROM gha_dm.t1 GROUP BY type'   # Spark, through"
          + " the Hive Metastore " + info.hiveMetastoreUri().get());
    } else {
      lines.add("  psql -c 'SELECT database_name, table_name, location FROM"
          + " edx_metastore.tables'   # psql, database " + info.postgresDatabase());
      lines.add("  spark-sql --packages org.apache.hadoop:hadoop-aws:3.4.1 $EDX_SPARK_CONF \\");
      lines.add("    -e 'SELECT type, count(*) FROM parquet.`s3a://gha-datamart/gha_dm/t1/`"
          + " GROUP BY type'   # Spark");
    }
    lines.add("  ./edx doctor --env " + info.spec() + "   # any edx command or"
        + " Environments.open");
    return lines;
  }

  /** Single-quoted for a POSIX shell. */
  static String shellQuote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  private static String lastLine(Path dir) {
    Path log = dir.resolve(LOG);
    try (InputStream in = Files.newInputStream(log)) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.isBlank()).toList();
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).startsWith("edx: ")) {
          return "; it said: " + lines.get(i).substring(5);
        }
      }
      return lines.isEmpty() ? "" : "; its log ends with: " + lines.get(lines.size() - 1);
    } catch (IOException e) {
      return "";
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
}
