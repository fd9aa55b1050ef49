package dev.edx.gha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --engine} and the {@code --spark-*} options: wrong ones are usage errors naming them. */
class GhaSparkOptionsTest {
  @TempDir
  Path dir;

  private StringWriter err;

  private int run(String... args) {
    err = new StringWriter();
    return GhaCli.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
  }

  private String neverOpened() {
    return dir.resolve("never-opened.yaml").toString();
  }

  @Test
  void badEngineOptionsAreUsageErrorsBeforeTheEnvironmentIsOpened() {
    assertThat(run("gha", "convert", "--env", neverOpened(), "--from", "2015-01-01T00",
        "--engine", "flink")).isEqualTo(64);
    assertThat(err.toString()).startsWith("edx: Invalid --engine 'flink': use java or spark");

    assertThat(run("gha", "tables", "--env", neverOpened(), "--spark-executors", "3"))
        .isEqualTo(64);
    assertThat(err.toString()).startsWith("edx: The --spark-* options need --engine spark");

    assertThat(run("gha", "run", "--env", neverOpened(), "--from", "2015-01-01T00",
        "--engine", "spark", "--spark-memory", "lots")).isEqualTo(64);
    assertThat(err.toString()).startsWith("edx: Invalid --spark-cores/--spark-memory: Invalid"
        + " memory 'lots'");

    assertThat(run("gha", "convert", "--env", neverOpened(), "--from", "2015-01-01T00",
        "--engine", "spark", "--spark-conf", "fs.s3a.access.key=x")).isEqualTo(64);
    assertThat(err.toString()).startsWith("edx: Invalid --spark-conf 'fs.s3a.access.key'");

    assertThat(run("gha", "ingest", "--env", neverOpened(), "--from", "2015-01-01T00",
        "--engine", "spark")).isEqualTo(64);
  }

  @Test
  void theSparkEngineNeedsASpecTheDriverCanOpen() {
    assertThat(run("gha", "convert", "--data-dir", dir.resolve("embedded").toString(),
        "--from", "2015-01-01T00", "--engine", "spark")).isEqualTo(64);
    assertThat(err.toString()).startsWith("edx: --engine spark needs an environment a Spark"
        + " driver can open: give --env SPEC, or start the platform (`edx up`) on --data-dir");
  }
}
