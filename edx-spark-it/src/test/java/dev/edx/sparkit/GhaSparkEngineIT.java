package dev.edx.sparkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edx gha run --engine spark} for real: on local compute, the convert and tables steps run
 * as Spark jobs of the pipeline's Spark application (its shaded jar, {@code edx.gha.spark.jar})
 * in a child JVM on Spark's class path ({@code edx.spark.classpath}, the spec's {@code
 * sparkClassPath}), on a real GH Archive hour, and build the same tables, with the same rows and
 * partitions, as the default engine on the same hour. The commands run from the launcher jar
 * ({@code edx.launcher}) in processes of their own, as {@code ./edx} runs them. Runs only under
 * {@code -Pspark}; skipped without the samples ({@code EDX_GHA_SAMPLES} or {@code
 * -Dedx.gha.samples}).
 */
class GhaSparkEngineIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOUR = "2021-01-01T01";

  private static EdxLauncher.Result edx(Path dir, String... args)
      throws IOException, InterruptedException {
    return EdxLauncher.run(dir, Duration.ofMinutes(15), args);
  }

  private static Optional<Path> samples() {
    String folder = Optional.ofNullable(System.getenv("EDX_GHA_SAMPLES"))
        .orElse(System.getProperty("edx.gha.samples", ""));
    Path path = Path.of(folder.isEmpty() ? "none" : folder);
    return Files.isRegularFile(path.resolve("2021-01-01-1.json.gz")) ? Optional.of(path)
        : Optional.empty();
  }

  /** Runs the pipeline on the hour with {@code engine} in a folder of its own; its report. */
  private static JsonNode run(Path dir, Path samples, String engine) throws Exception {
    Path home = Files.createDirectories(dir.resolve(engine));
    String classPath = EdxLauncher.sparkClassPath();
    Path spec = home.resolve("env.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: gha-%s}
        spec:
          secrets: {provider: local, directory: secrets}
          storage: {provider: local, root: data}
          metastore: {provider: local, directory: metastore}
          compute:
            provider: local
            threads: 2
            sparkMaster: "local[2]"
            sparkClassPath: "%s"
        """.formatted(engine, classPath));
    Path report = home.resolve("report.json");
    List<String> args = new ArrayList<>(List.of("gha", "run", "--env", spec.toString(),
        "--source", samples.toString(), "--from", HOUR, "--report", report.toString(),
        "--engine", engine));
    if (engine.equals("spark")) {
      args.addAll(List.of("--spark-app-jar", System.getProperty("edx.gha.spark.jar"),
          "--spark-memory", "2g"));
    }
    EdxLauncher.Result result = edx(home, args.toArray(String[]::new));
    assertThat(result.code()).as(engine + ":\n" + result.out() + result.err()).isZero();
    return JSON.readTree(report.toFile());
  }

  private static Map<String, String> tables(JsonNode report) {
    Map<String, String> tables = new TreeMap<>();
    report.get("tables").forEach(t -> tables.put(t.get("name").asText(),
        t.get("rows").asLong() + " rows, " + t.get("partitions").asLong() + " partitions"));
    return tables;
  }

  @Test
  void theSparkEngineBuildsTheTablesTheJavaEngineBuilds(@TempDir Path dir) throws Exception {
    Optional<Path> samples = samples();
    assumeTrue(samples.isPresent(), "no GH Archive samples: set EDX_GHA_SAMPLES");
    Path jar = Path.of(System.getProperty("edx.gha.spark.jar"));
    assertThat(jar).as("the application jar (mvn -Pspark package -pl edx-pipeline-gha-spark -am)")
        .isRegularFile();

    JsonNode java = run(dir, samples.get(), "java");
    JsonNode spark = run(dir, samples.get(), "spark");

    assertThat(spark.get("hours").get(0).get("status").asText()).isEqualTo("converted");
    assertThat(spark.get("hours").get(0).get("events").asLong()).isEqualTo(1000L)
        .isEqualTo(java.get("hours").get(0).get("events").asLong());
    assertThat(spark.get("totals").get("quarantined").asLong())
        .isEqualTo(java.get("totals").get("quarantined").asLong());
    assertThat(tables(java)).containsEntry("gha.events", "1000 rows, 1 partitions")
        .containsEntry("gha_dm.t1", "1000 rows, 1 partitions");
    assertThat(tables(spark)).isEqualTo(tables(java));
  }
}
