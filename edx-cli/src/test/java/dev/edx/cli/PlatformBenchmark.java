package dev.edx.cli;

import static dev.edx.cli.CliRuns.deleteTree;
import static dev.edx.cli.CliRuns.edxInProcess;
import static dev.edx.cli.CliRuns.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.testkit.BenchmarkReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The platform's benchmark (issue 14): {@code edx sql} on a small table with the platform up, as a
 * whole process (JVM start, opening the environment on the platform, staging, DuckDB, printing),
 * against the same query in a DuckDB process over the same Parquet files (goal: edx under 1 s);
 * and {@code edx up} as a whole process, cold (a new data directory: initdb) and warm (the same
 * directory again). Each process runs the launcher's class path here (the test class path).
 */
class PlatformBenchmark {
  private static final String EDX_SQL = "SELECT type, count(*) AS n FROM gha_dm.t1 GROUP BY type"
      + " ORDER BY type";

  @Test
  void edxSqlOnThePlatformAgainstDuckDbAndUpTimes() throws Exception {
    int runs = BenchmarkReport.scaled(1, 5);
    int warmups = BenchmarkReport.scaled(0, 1);
    int events = BenchmarkReport.scaled(100, 400);
    Path root = Files.createDirectories(Path.of("target", "platform-bench")).toAbsolutePath();
    // The last warm `edx up` leaves its platform running: the demo and the queries run on it
    // (one platform start fewer than a directory of their own).
    Path dir = root.resolve("cold-" + (runs - 1));
    BenchmarkReport report = BenchmarkReport.named("platform");
    try {
      // edx up, cold: a new data directory (initdb), then warm: the same directory again.
      List<Long> cold = new ArrayList<>();
      List<Long> warm = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        Path fresh = root.resolve("cold-" + i);
        deleteTree(fresh);
        try {
          cold.add(BenchmarkReport.runProcess(edx("up", "--data-dir", fresh.toString()))
              .wallNanos());
          edxInProcess("down", "--data-dir", fresh.toString());
          warm.add(BenchmarkReport.runProcess(edx("up", "--data-dir", fresh.toString()))
              .wallNanos());
        } finally {
          if (!fresh.equals(dir)) {
            edxInProcess("down", "--data-dir", fresh.toString());
            deleteTree(fresh);
          }
        }
      }
      report.record("`edx up` cold (new data directory), whole process, median of " + runs,
          seconds(median(cold)));
      report.record("`edx up` warm (existing data directory), whole process, median of " + runs,
          seconds(median(warm)));

      // A small table: the demo on the running platform.
      String demo = edxInProcess("demo", "--events", String.valueOf(events), "--data-dir",
          dir.toString());
      Matcher rows = Pattern.compile("== gha_dm\\.t1: (\\d+) rows").matcher(demo);
      assertThat(rows.find()).as(demo).isTrue();
      Path files = dir.resolve("s3").resolve("gha-datamart");
      List<Path> parquet;
      try (Stream<Path> walk = Files.walk(files)) {
        parquet = walk.filter(p -> p.toString().endsWith(".parquet")
            && p.toString().contains("/t1/")).toList();
      }
      assertThat(parquet).isNotEmpty();
      String glob = parquet.get(0).toString().replaceAll("/t1/.*", "/t1/**/*.parquet");
      String duckSql = "SELECT type, count(*) AS n FROM read_parquet('" + glob
          + "', hive_partitioning = true) GROUP BY type ORDER BY type";
      String expected = String.join("\n", List.of(
          BenchmarkReport.runProcess(duck(duckSql)).output().strip().split("\n")));
      BenchmarkReport.ProcessComparison c = report.compareProcesses(String.format(Locale.ROOT,
          "`edx sql` (%s rows of gha_dm.t1 in %d Parquet files) with the platform up, whole"
              + " process", rows.group(1), parquet.size()), "DuckDB process over the same"
              + " Parquet files (DuckDB JDBC in a JVM)", warmups, runs,
          edx("sql", "--data-dir", dir.toString(), "--format", "csv", EDX_SQL), duck(duckSql),
          run -> {
            String out = run.output().strip().replace("\r\n", "\n").replace(',', '|');
            assertThat(out.endsWith(expected)).as(run.output()).isTrue();
          });
      report.record("`edx sql` with the platform up: goal under 1 s", String.format(Locale.ROOT,
          "%.2f s (%s)", c.edx().wallNanos() / 1e9, c.edx().wallNanos() < 1_000_000_000L
              ? "met" : "not met"));
      report.print();
    } finally {
      edxInProcess("down", "--data-dir", dir.toString());
    }
  }

  private static List<String> edx(String... args) {
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m",
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp",
        System.getProperty("java.class.path"), EdxMain.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  private static List<String> duck(String sql) {
    return List.of(java(), "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp",
        System.getProperty("java.class.path"), DuckDbQuery.class.getName(), sql);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
