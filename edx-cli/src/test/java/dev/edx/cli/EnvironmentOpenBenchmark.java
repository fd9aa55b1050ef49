package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.embedded.EmbeddedEnvironments;
import dev.edx.testkit.BenchmarkReport;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the time of opening the embedded environment goes (issue 17), as every {@code edx}
 * command without {@code --env} pays it: each run a JVM of its own on the launcher's class path
 * (here the test class path) that opens the persistent embedded environment on an existing data
 * directory (the warm case: PostgreSQL's data is there) and closes it, with DEBUG timings of
 * {@code dev.edx.embedded} and the {@code postgres} metastore on. Reports the median of each
 * phase and of the whole open, and the JVM's time before it (start-up, class loading of the
 * command). No peer runs the same work; the figure is the breakdown. Smoke: 1 run; full: 5.
 */
class EnvironmentOpenBenchmark {
  private static final Pattern TOTAL = Pattern.compile(
      "Opened the embedded environment in (\\d+) ms:(.*)");
  private static final Pattern PHASE = Pattern.compile(" ([^;]+?) (\\d+) ms");
  private static final Pattern METASTORE = Pattern.compile(
      "pool (\\d+) ms, migrations checked (\\d+) ms");
  private static final Pattern PROBE = Pattern.compile("jvm-before-open-ms=(\\d+) open-ms=(\\d+)"
      + " close-ms=(\\d+)");

  @Test
  void openingTheEmbeddedEnvironment(@TempDir Path dir) throws Exception {
    int runs = BenchmarkReport.scaled(1, 5);
    Path data = dir.resolve("data");
    // First open: initdb and the schema's migrations, not measured.
    BenchmarkReport.runProcess(probe(data));
    Map<String, List<Long>> phases = new LinkedHashMap<>();
    for (int i = 0; i < runs; i++) {
      BenchmarkReport.ProcessRun run = BenchmarkReport.runProcess(probe(data));
      String out = run.output();
      Matcher probe = PROBE.matcher(out);
      Matcher total = TOTAL.matcher(out);
      Matcher metastore = METASTORE.matcher(out);
      assertThat(probe.find() && total.find() && metastore.find()).as(out).isTrue();
      add(phases, "JVM start and class loading before the open", probe.group(1));
      Matcher phase = PHASE.matcher(total.group(2));
      while (phase.find()) {
        add(phases, phase.group(1), phase.group(2));
      }
      add(phases, "  of which: metastore connection pool", metastore.group(1));
      add(phases, "  of which: metastore migrations check (Flyway)", metastore.group(2));
      add(phases, "open, in all", probe.group(2));
      add(phases, "close (stops the servers)", probe.group(3));
      add(phases, "whole process", String.valueOf(run.wallNanos() / 1_000_000));
    }
    BenchmarkReport report = BenchmarkReport.named("environment-open");
    phases.forEach((name, values) -> report.record(String.format(Locale.ROOT,
        "open the embedded environment (warm data directory), %s, median of %d", name, runs),
        values.stream().sorted().toList().get(values.size() / 2) + " ms"));
    report.print();
  }

  private static void add(Map<String, List<Long>> phases, String name, String millis) {
    phases.computeIfAbsent(name, k -> new ArrayList<>()).add(Long.parseLong(millis));
  }

  private static List<String> probe(Path data) {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-Dorg.slf4j.simpleLogger.log.dev.edx.embedded=debug",
        "-Dorg.slf4j.simpleLogger.log.dev.edx.core.postgres=debug",
        "-cp", System.getProperty("java.class.path"), EnvironmentOpenBenchmark.class.getName(),
        data.toString());
  }

  /** Opens and closes the persistent embedded environment on {@code args[0]}; prints times. */
  public static void main(String[] args) throws Exception {
    long jvm = ManagementFactory.getRuntimeMXBean().getUptime();
    Files.createDirectories(Path.of(args[0]));
    long start = System.nanoTime();
    Environment env = EmbeddedEnvironments.openPersistent(Path.of(args[0]));
    long opened = System.nanoTime();
    env.close();
    long closed = System.nanoTime();
    System.out.println("jvm-before-open-ms=" + jvm + " open-ms=" + (opened - start) / 1_000_000
        + " close-ms=" + (closed - opened) / 1_000_000);
  }
}
