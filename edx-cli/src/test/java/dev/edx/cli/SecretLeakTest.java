package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.embedded.PostgresEndpoint;
import dev.edx.embedded.S3Endpoint;
import dev.edx.gha.Hour;
import dev.edx.gha.demo.GhArchiveGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full pipeline run (ingest, json2parquet, tables) in its own JVM at DEBUG logging, on MinIO
 * storage and a PostgreSQL metastore whose keys and password are known to the test: none of the
 * values appears in any log line, the run's output or report, the rendered spec
 * ({@code edx env render}), or the message of a run that fails on a wrong password.
 */
class SecretLeakTest {
  private static final Hour HOUR = Hour.parse("2015-01-01T05");

  @Test
  void noSecretValueAppearsInLogsReportsErrorsOrTheRenderedSpec(@TempDir Path dir)
      throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    Files.write(source.resolve(HOUR.fileName()), GhArchiveGenerator.gzip(HOUR, 300));
    try (S3Endpoint s3 = S3Endpoint.inMemory();
        PostgresEndpoint pg = PostgresEndpoint.ephemeral()) {
      String jdbcUrl = pg.database("leak");
      List<String> secrets = List.of(s3.accessKey(), s3.secretKey(), pg.password());
      assertThat(secrets).allSatisfy(s -> assertThat(s).hasSizeGreaterThanOrEqualTo(8));
      Path spec = dir.resolve("env.yaml");
      Files.writeString(spec, """
          apiVersion: edx.dev/v1
          kind: Environment
          metadata: {name: leak}
          spec:
            secrets: {provider: local, directory: secrets}
            storage: {provider: minio, endpoint: "%s", region: "%s",
                      accessKey: "${env:LEAK_S3_ACCESS}", secretKey: "${env:LEAK_S3_SECRET}"}
            metastore: {provider: postgres, jdbcUrl: "%s", user: "%s",
                        password: "${env:LEAK_PG_PASSWORD}"}
            compute: {provider: local, threads: 2}
          """.formatted(s3.endpoint(), s3.region(), jdbcUrl, pg.user()));
      Map<String, String> env = Map.of("LEAK_S3_ACCESS", s3.accessKey(), "LEAK_S3_SECRET",
          s3.secretKey(), "LEAK_PG_PASSWORD", pg.password());
      Path report = dir.resolve("report.json");

      Run run = edx(dir, env, "gha", "run", "--env", spec.toString(), "--source",
          source.toString(), "--from", HOUR.toString(), "--report", report.toString());
      assertThat(run.exit()).as(run.output()).isZero();
      assertThat(run.log()).as("the run logs at DEBUG").contains("DEBUG");
      Run render = edx(dir, env, "env", "render", "--env", spec.toString());
      assertThat(render.exit()).as(render.output()).isZero();
      Run wrong = edx(dir, Map.of("LEAK_S3_ACCESS", s3.accessKey(), "LEAK_S3_SECRET",
          s3.secretKey(), "LEAK_PG_PASSWORD", "Wr0ng-" + pg.password()), "gha", "run",
          "--env", spec.toString(), "--source", source.toString(), "--from", HOUR.toString());
      assertThat(wrong.exit()).as(wrong.output()).isNotZero();

      List<String> texts = List.of(run.log(), run.output(), Files.readString(report),
          render.log(), render.output(), wrong.log(), wrong.output());
      for (String secret : secrets) {
        for (String text : texts) {
          assertThat(text).doesNotContain(secret);
        }
      }
      assertThat(wrong.output()).doesNotContain("Wr0ng-");
    }
  }

  record Run(int exit, String output, String log) {}

  /** Runs {@code edx args} in its own JVM, logging at DEBUG to a file of its own. */
  private static Run edx(Path dir, Map<String, String> env, String... args)
      throws Exception {
    Path log = dir.resolve("debug-" + System.nanoTime() + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m",
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
        "-Dorg.slf4j.simpleLogger.logFile=" + log, "-cp", System.getProperty("java.class.path"),
        EdxMain.class.getName()));
    command.addAll(List.of(args));
    Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(out),
        Files.exists(log) ? Files.readString(log) : "");
  }
}
