package dev.edx.cli;

import static dev.edx.cli.CliRuns.deleteTree;
import static dev.edx.cli.CliRuns.edxInProcess;
import static dev.edx.cli.CliRuns.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.gha.Hour;
import dev.edx.gha.demo.GhArchiveGenerator;
import dev.edx.gha.tables.DuckDb;
import dev.edx.testkit.BenchmarkReport;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17's command-line figure: {@code edx gha convert --force} on the {@code edx up} platform,
 * as its own process the way a user runs it (the launcher jar, {@code java -jar}, when the build
 * has made it and it is not older than the module's classes; else the test class path, and the
 * report says so), against the DuckDB process of {@code Json2ParquetBenchmark} on the same
 * generated 2024-shaped hour, alternating; goal: a wall-time ratio of at most 1.1. Smoke scale
 * (every build): 2,000 events, one run each, on the run's {@link SharedPlatform}; full scale
 * ({@code ./benchmarks}): 390,000 events (as {@code Json2ParquetBenchmark}), median of 5 after one
 * warm-up each, on a platform of its own that it starts with {@code edx up} as a process. With
 * the platform up the command runs in the platform's JVM, so the report also gives the platform
 * process's CPU during each command and, at full scale only, the first convert after {@code edx
 * up} (the platform's JIT still cold) and, with {@code --debug} (which keeps a command in its own
 * process), the same command without the platform's JVM. It asserts that every run converts
 * every event and that edx's Parquet and DuckDB's hold the same rows (count, distinct ids,
 * checksums), never timings.
 */
@ExtendWith(SharedPlatform.class)
class CliConvertBenchmark {
  private static final Hour HOUR = Hour.of(2024, 3, 5, 14);

  @Test
  void edxGhaConvertOnThePlatformAgainstDuckDb(SharedPlatform.Handle shared) throws Exception {
    boolean full = BenchmarkReport.fullScale();
    int events = BenchmarkReport.scaled(2_000, 390_000);
    int runs = BenchmarkReport.scaled(1, 5);
    int warmups = BenchmarkReport.scaled(0, 1);
    int ownProcessRuns = BenchmarkReport.scaled(0, 3);
    Path root = Files.createDirectories(Path.of("target", "cli-convert-bench")).toAbsolutePath();
    Path input = hour(root, events);
    Path source = root.resolve("source");
    deleteTree(source);
    Files.createDirectories(source);
    Files.createLink(source.resolve(HOUR.fileName()), input);
    // Full scale: a platform of its own, started as a user does; smoke: the run's shared one.
    Path dir = full ? root.resolve("data") : shared.dataDirectory();
    if (full) {
      deleteTree(dir);
    }
    Optional<Path> launcher = launcherJar();
    BenchmarkReport report = BenchmarkReport.named("cli-convert");
    try {
      if (full) {
        BenchmarkReport.runProcess(edx(launcher, "up", "--data-dir", dir.toString()));
      }
      long pid = Long.parseLong(Files.readString(dir.resolve("platform.json"))
          .replaceAll("(?s).*\"pid\"\\s*:\\s*(\\d+).*", "$1"));
      // Not measured: from this process, handed to the platform as a command line would be.
      ByteArrayOutputStream ingest = new ByteArrayOutputStream();
      OptionalInt ingested = PlatformClient.forward(new String[] {"gha", "ingest", "--data-dir",
          dir.toString(), "--source", source.toString(), "--from", HOUR.toString()},
          new PrintStream(ingest, true, StandardCharsets.UTF_8),
          new PrintStream(ingest, true, StandardCharsets.UTF_8));
      assertThat(ingested).as(ingest.toString(StandardCharsets.UTF_8)).hasValue(0);

      List<String> convert = edx(launcher, "gha", "convert", "--force", "--data-dir",
          dir.toString(), "--from", HOUR.toString());
      Path duckOut = root.resolve("duckdb.parquet");
      List<String> duck = List.of(java(), "-Djava.io.tmpdir=" + System.getProperty(
          "java.io.tmpdir"), "-cp", System.getProperty("java.class.path"),
          "dev.edx.gha.convert.Json2ParquetBenchChild", "duckdb", input.toString(),
          duckOut.toString());
      Pattern converted = Pattern.compile("convert " + HOUR + " \\S+\\s+\\d+ bytes\\s+" + events
          + " events\\s+0 dup\\s+0 quarantined");
      String classPath = launcher.map(j -> "the launcher jar").orElse("the test class path (no"
          + " current launcher jar: run ./edx once)");

      // The first convert after edx up: the platform's JIT cold (full scale; at smoke scale the
      // platform is shared, and the one run below may be that first one).
      long before = cpu(pid);
      BenchmarkReport.ProcessRun cold = full ? BenchmarkReport.runProcess(convert) : null;
      long coldPlatform = cpu(pid) - before;
      if (full) {
        assertThat(cold.output()).containsPattern(converted);
      }

      List<Long> platformCpu = new ArrayList<>();
      AtomicLong last = new AtomicLong(cpu(pid));
      String size = String.format(Locale.ROOT, "%,d events, %.1f MB gzip", events,
          Files.size(input) / 1e6);
      BenchmarkReport.ProcessComparison c = report.compareProcesses("`edx gha convert --force`"
          + " on the `edx up` platform (" + size + "), whole client process on " + classPath
          + ", median of " + runs, "DuckDB process (Json2ParquetBenchmark's COPY from"
          + " read_ndjson)", warmups, runs, convert, duck, run -> {
            long now = cpu(pid);
            if (run.output().contains("convert: 1 hour(s)")) {
              assertThat(run.output()).containsPattern(converted);
              platformCpu.add(now - last.get());
            } else {
              assertThat(run.output()).contains("inner=");
            }
            last.set(now);
          });
      long platformMedian = platformCpu.stream().sorted().toList().get(platformCpu.size() / 2);
      report.record("the platform process's CPU during each command (median): the command's"
          + " work, done in the platform's warm JVM", seconds(platformMedian) + " CPU");
      if (full) {
        report.record("the first convert after `edx up` (the platform's JIT cold), one run",
            String.format(Locale.ROOT, "%s wall, %s CPU in the client, %s CPU in the platform"
                + " (%.2f of DuckDB's median)", seconds(cold.wallNanos()),
                seconds(cold.cpuNanos()), seconds(coldPlatform),
                (double) cold.wallNanos() / c.peerRun().wallNanos()));
      }
      report.record("goal: within 1.1x of the DuckDB process", String.format(Locale.ROOT,
          "%.2f (%s)", c.ratio(), c.ratio() <= 1.1 ? "met" : "not met"));

      // The same command in its own process (--debug keeps it there), on the same platform: at
      // full scale only (a cold command line takes longer than the rest of the smoke run).
      List<String> ownProcess = new ArrayList<>(convert);
      ownProcess.add("--debug");
      if (ownProcessRuns > 0) {
        report.compareProcesses("the same command in its own process (`--debug`: not handed"
            + " to the platform's JVM), median of " + ownProcessRuns, "DuckDB process", 0,
            ownProcessRuns, ownProcess, duck, run -> assertThat(run.output()).containsPattern(
                run.output().contains("inner=") ? Pattern.compile("inner=") : converted));
      }
      report.print();

      // Both engines wrote the same rows.
      try (Stream<Path> walk = Files.walk(dir.resolve("s3").resolve("gha-lake"))) {
        List<Path> lake = walk.filter(p -> p.toString().endsWith(".parquet")
            && p.toString().contains(HOUR.lakePrefix())).toList();
        assertThat(lake).hasSize(1);
        assertThat(rows(lake.get(0))).isEqualTo(rows(duckOut)).startsWith(events + "|");
      }
    } finally {
      if (full) {
        edxInProcess("down", "--data-dir", dir.toString());
      }
    }
  }

  /** The generated hour of {@code events} events, made once per size. */
  private static Path hour(Path root, int events) throws IOException {
    Path input = root.resolve("2024-03-05-14-" + events + ".json.gz");
    if (!Files.exists(input)) {
      Path tmp = root.resolve(input.getFileName() + ".tmp");
      try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(
          Files.newOutputStream(tmp), 1 << 16), 1 << 16)) {
        GhArchiveGenerator.writeModern(HOUR, events, out);
      }
      Files.move(tmp, input);
    }
    return input;
  }

  /**
   * The launcher jar ({@code edx-cli/target/edx-cli-*-all.jar}, what {@code ./edx} runs) when
   * no class of this module is newer than it.
   */
  private static Optional<Path> launcherJar() throws IOException {
    Path target = Path.of("target");
    Optional<Path> jar;
    try (Stream<Path> files = Files.list(target)) {
      jar = files.filter(p -> p.getFileName().toString().matches("edx-cli-.*-all\\.jar"))
          .findFirst();
    }
    if (jar.isEmpty()) {
      return jar;
    }
    long built = Files.getLastModifiedTime(jar.get()).toMillis();
    try (Stream<Path> classes = Files.walk(target.resolve("classes"))) {
      boolean stale = classes.anyMatch(p -> {
        try {
          return Files.getLastModifiedTime(p).toMillis() > built;
        } catch (IOException e) {
          return true;
        }
      });
      return stale ? Optional.empty() : Optional.of(jar.get().toAbsolutePath());
    }
  }

  private static List<String> edx(Optional<Path> launcher, String... args) {
    List<String> command = new ArrayList<>(List.of(java(),
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
    if (launcher.isPresent()) {
      command.addAll(List.of("-jar", launcher.get().toString()));
    } else {
      command.addAll(List.of("-cp", System.getProperty("java.class.path"),
          EdxMain.class.getName()));
    }
    command.addAll(List.of(args));
    return command;
  }

  /** The CPU time (user and system, all threads) process {@code pid} has used so far. */
  private static long cpu(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the CPU time of the platform's process " + pid
          + " (Linux /proc)", e);
    }
  }

  /** Row count, distinct ids and a checksum of the ids, read by DuckDB. */
  private static String rows(Path parquet) throws Exception {
    try (Connection c = DuckDb.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT id), sum(hash(id)),"
            + " sum(epoch_us(created_at)) FROM read_parquet("
            + DuckDb.literal(parquet.toString()) + ")")) {
      r.next();
      return r.getString(1) + "|" + r.getString(2) + "|" + r.getString(3) + "|"
          + r.getString(4);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
