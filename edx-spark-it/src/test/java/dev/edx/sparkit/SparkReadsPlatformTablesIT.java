package dev.edx.sparkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark (local mode, its built-in Hive 2.3 client and the S3A connector, in a JVM of its
 * own) reads the tables {@code edx demo} registered in the platform's Hive Metastore and counts
 * what {@code edx sql} counts.
 *
 * <p>Runs only under {@code -Pspark}. Spark's Hive classes clash with the platform's: the edx
 * commands run from the launcher jar ({@code edx.launcher}) in processes of their own, as
 * {@code ./edx} runs them (the platform in the daemon {@code demo} starts), and Spark in a child
 * JVM on the class path in the file {@code edx.spark.classpath}.
 */
class SparkReadsPlatformTablesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COUNT = "SELECT count(*) AS n FROM gha_dm.t1";
  private static final String BY_TYPE =
      "SELECT type, count(*) AS n FROM gha_dm.t1 GROUP BY type ORDER BY type";

  /** Runs the launcher jar (as {@code ./edx} does) in a process of its own. */
  private static EdxLauncher.Result edx(Path dir, String... args)
      throws IOException, InterruptedException {
    return EdxLauncher.run(dir.getParent(), Duration.ofMinutes(10), args);
  }

  @Test
  void sparkCountsWhatEdxSqlCounts(@TempDir Path dir) throws Exception {
    String data = dir.toString();
    try {
      EdxLauncher.Result demo = edx(dir, "demo", "--events", "60", "--data-dir", data);
      assertThat(demo.code()).as(demo.out() + demo.err()).isZero();
      assertThat(demo.out()).contains("== gha_dm.t1: 240 rows");

      long edxCount = Long.parseLong(csvRows(edxSql(dir, COUNT)).get(0).get(0));
      Map<String, Long> edxByType = new TreeMap<>();
      for (List<String> row : csvRows(edxSql(dir, BY_TYPE))) {
        edxByType.put(row.get(0), Long.parseLong(row.get(1)));
      }
      assertThat(edxCount).isEqualTo(240);
      assertThat(edxByType.values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(edxCount);
      assertThat(edxByType).hasSizeGreaterThan(1);

      List<List<String>> spark = spark(dir, COUNT, BY_TYPE);
      assertThat(spark.get(0)).containsExactly(Long.toString(edxCount));
      Map<String, Long> sparkByType = new TreeMap<>();
      for (List<String> row : spark.subList(1, spark.size())) {
        sparkByType.put(row.get(0), Long.parseLong(row.get(1)));
      }
      assertThat(sparkByType).isEqualTo(edxByType);
      System.out.printf("edx-spark-it: Spark and edx sql both count %d rows in gha_dm.t1, by type"
          + " %s%n", edxCount, sparkByType);
    } finally {
      // Stop the platform the demo started (if it got that far), and prove it stopped.
      if (Files.exists(dir.resolve("platform.json"))) {
        EdxLauncher.Result down = edx(dir, "down", "--data-dir", data);
        assertThat(down.code()).as(down.out() + down.err()).isZero();
      }
    }
  }

  private static String edxSql(Path dir, String query)
      throws IOException, InterruptedException {
    EdxLauncher.Result sql = edx(dir, "sql", "--data-dir", dir.toString(), "--format", "csv",
        query);
    assertThat(sql.code()).as(sql.out() + sql.err()).isZero();
    return sql.out();
  }

  /** The rows of {@code edx sql --format csv} output, its header dropped (no quoted fields). */
  private static List<List<String>> csvRows(String csv) {
    List<List<String>> rows = new ArrayList<>();
    List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
    for (String line : lines.subList(1, lines.size())) {
      rows.add(List.of(line.split(",", -1)));
    }
    return rows;
  }

  /**
   * Runs {@link SparkCount} in a child JVM on Spark's class path against the platform of
   * {@code dir}; the S3 keys reach it through its environment only. Answers the rows printed,
   * in order, over all queries.
   */
  private static List<List<String>> spark(Path dir, String... queries)
      throws IOException, InterruptedException {
    JsonNode platform = JSON.readTree(dir.resolve("platform.json").toFile());
    String sparkClassPath = EdxLauncher.sparkClassPath();
    String testClasses = Path.of(SparkCount.class.getProtectionDomain().getCodeSource()
        .getLocation().getPath()).toString();
    Path tmp = Files.createDirectories(dir.resolve("spark-tmp"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g",
        "-Djava.io.tmpdir=" + tmp,
        "-XX:+IgnoreUnrecognizedVMOptions",
        "-Djdk.reflect.useDirectMethodHandle=false",
        "-Dio.netty.tryReflectionSetAccessible=true"));
    // The --add-opens Spark's launcher passes on Java 17 (JavaModuleOptions).
    for (String pkg : List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
        "java.net", "java.nio", "java.util", "java.util.concurrent",
        "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs", "sun.security.action",
        "sun.util.calendar")) {
      command.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
    }
    command.addAll(List.of(
        "-cp", testClasses + File.pathSeparator + sparkClassPath,
        SparkCount.class.getName(),
        platform.at("/hiveMetastore/uri").asText(),
        platform.at("/s3/endpoint").asText(),
        platform.at("/s3/region").asText()));
    command.addAll(List.of(queries));
    Path out = dir.resolve("spark.out");
    Path err = dir.resolve("spark.err");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("EDX_S3_ACCESS_KEY", platform.at("/s3/accessKey").asText());
    builder.environment().put("EDX_S3_SECRET_KEY", platform.at("/s3/secretKey").asText());
    long started = System.nanoTime();
    Process process = builder.start();
    try {
      assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("Spark ended in 10 minutes").isTrue();
    } finally {
      process.destroyForcibly();
    }
    String printed = Files.readString(out);
    System.out.printf("edx-spark-it: Spark child JVM took %.1f s%n",
        (System.nanoTime() - started) / 1e9);
    assertThat(process.exitValue()).as(printed + EdxLauncher.tail(Files.readString(err))).isZero();
    List<List<String>> rows = new ArrayList<>();
    for (String line : printed.lines().toList()) {
      if (line.startsWith("ROW\t")) {
        rows.add(List.of(line.substring(4).split("\t", -1)));
      }
    }
    return rows;
  }
}
