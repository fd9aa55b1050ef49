package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.gha.Hour;
import dev.edx.gha.cli.CommandLines;
import dev.edx.gha.demo.GhArchiveGenerator;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's {@code edx gha} steps on a running platform run in the platform's JVM ({@link
 * PlatformClient} to {@link CommandServer}): output and exit code come back, a failing command's
 * error and exit code are those of the same command run here, and without a platform the command
 * runs here.
 */
class GhaOnPlatformTest {
  private static final Hour HOUR = Hour.of(2024, 3, 5, 14);

  @TempDir
  static Path dir;
  private static Path data;

  record Result(OptionalInt code, String out, String err) {}

  @BeforeAll
  static void up() {
    data = dir.resolve("data");
    StringWriter out = new StringWriter();
    int code = EdxMain.run(new String[] {"up", "--data-dir", data.toString()},
        new PrintWriter(out, true), new PrintWriter(out, true));
    assertThat(code).as(out.toString()).isZero();
  }

  @AfterAll
  static void down() {
    EdxMain.run(new String[] {"down", "--data-dir", data.toString()},
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
  }

  private static Result forward(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    OptionalInt code = PlatformClient.forward(args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private static Result here(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = EdxMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(OptionalInt.of(code), out.toString(), err.toString());
  }

  @Test
  void ingestAndConvertRunOnThePlatformWithTheirOutputAndExitCode() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(
        source.resolve("2024-03-05-14.json.gz")))) {
      GhArchiveGenerator.writeModern(HOUR, 300, out);
    }
    // A relative --source is this process's: the client makes it absolute for the platform.
    String relative = Path.of("").toAbsolutePath().relativize(source).toString();
    Result ingest = forward("gha", "ingest", "--data-dir", data.toString(), "--source", relative,
        "--from", HOUR.toString());
    assertThat(ingest.code()).as(ingest.out() + ingest.err()).hasValue(0);
    assertThat(ingest.out()).contains("ingest: 1 hour(s) from " + source)
        .containsPattern("ingest " + HOUR + " ingested ");

    Path report = dir.resolve("convert.json");
    Result convert = forward("gha", "convert", "--force", "--data-dir", data.toString(),
        "--from", HOUR.toString(), "--report=" + Path.of("").toAbsolutePath().relativize(report));
    assertThat(convert.code()).as(convert.out() + convert.err()).hasValue(0);
    assertThat(convert.out()).contains("convert: 1 hour(s) from gha-raw to gha-lake")
        .containsPattern("convert " + HOUR + " converted\\s+\\d+ bytes\\s+300 events");
    assertThat(convert.err()).isEmpty();
    assertThat(Files.readString(report)).contains("\"events\" : 300");
    try (var lake = Files.walk(data.resolve("s3").resolve("gha-lake"))) {
      assertThat(lake.filter(p -> p.toString().endsWith(".parquet"))).hasSize(1);
    }
  }

  @Test
  void aFailingCommandGetsTheErrorAndExitCodeItGetsHere() {
    String[] usage = {"gha", "convert", "--data-dir", data.toString(), "--from", "2024-13-01T00"};
    Result there = forward(usage);
    Result local = here(usage);
    assertThat(there.code()).hasValue(CommandLines.USAGE);
    assertThat(there).isEqualTo(local);
    assertThat(there.err()).startsWith("edx: Invalid --from '2024-13-01T00'");

    // A runtime failure: the hour is not in the raw bucket (each run gets the same one line).
    String[] missing = {"gha", "convert", "--data-dir", data.toString(), "--from",
        "2011-02-12T03", "--raw-bucket", "no-such-raw"};
    there = forward(missing);
    local = here(missing);
    assertThat(there.code()).hasValue(1);
    assertThat(local.code()).hasValue(1);
    assertThat(there.err()).isEqualTo(local.err());
    assertThat(there.out()).contains("1 hour(s) FAILED:").contains("2011-02-12T03 convert");
    assertThat(there.out().lines().filter(l -> l.contains("FAILED") || l.startsWith("  20")))
        .isEqualTo(local.out().lines().filter(l -> l.contains("FAILED")
            || l.startsWith("  20")).toList());
  }

  @Test
  void withoutAPlatformOrWithEnvTheCommandRunsHere() throws Exception {
    Path none = Files.createDirectories(dir.resolve("no-platform"));
    assertThat(forward("gha", "convert", "--data-dir", none.toString(), "--from",
        HOUR.toString()).code()).isEmpty();
    assertThat(forward("gha", "convert", "--data-dir", data.toString(), "--env",
        "x.yaml", "--from", HOUR.toString()).code()).isEmpty();
    assertThat(forward("gha", "convert", "--data-dir", data.toString(), "--engine", "spark",
        "--from", HOUR.toString()).code()).isEmpty();
    assertThat(forward("gha", "export", "--data-dir", data.toString()).code()).isEmpty();
    assertThat(forward("gha", "convert", "--data-dir", data.toString(), "--debug", "--from",
        HOUR.toString()).code()).isEmpty();

    Path cwd = Path.of("/work/somewhere");
    assertThat(PlatformClient.forwardable(new String[] {"gha", "run", "--from", "2015-01-01T15",
        "--source", "hours", "--tables=t.yaml", "--report", "r.json", "--engine", "java"}, cwd))
        .hasValue(List.of("gha", "run", "--data-dir", "/work/somewhere/.edx/embedded", "--from",
            "2015-01-01T15", "--source", "/work/somewhere/hours", "--tables",
            "/work/somewhere/t.yaml", "--report", "/work/somewhere/r.json", "--engine", "java"));
    assertThat(PlatformClient.forwardable(new String[] {"gha", "ingest", "--data-dir=d",
        "--source", "https://data.gharchive.org"}, cwd)).hasValue(List.of("gha", "ingest",
            "--data-dir", "/work/somewhere/d", "--source", "https://data.gharchive.org"));
    assertThat(PlatformClient.forwardable(new String[] {"gha", "publish", "--store", "e"}, cwd))
        .isEqualTo(Optional.empty());
  }
}
