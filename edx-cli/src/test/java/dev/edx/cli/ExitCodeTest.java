package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes a script can trust, and errors as one line ({@code --debug} for the trace). */
class ExitCodeTest {
  @TempDir
  Path dir;

  private StringWriter out;
  private StringWriter err;

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return EdxMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private String spec() throws IOException {
    Path file = dir.resolve("dev.yaml");
    Files.writeString(file, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: dev}
        spec:
          secrets: {provider: local, directory: secrets}
          storage: {provider: local, root: data, buckets: [gha-raw]}
          metastore: {provider: local, directory: metastore, databases: [gha_dm]}
          compute: {provider: local, threads: 1}
        """);
    return file.toString();
  }

  @Test
  void aTypoIsAUsageErrorNotChanges() throws IOException {
    String spec = spec();
    assertThat(run("env", "plan", "--env", spec, "--detailed-exitcode", "--outptu", "json"))
        .isEqualTo(64);
    assertThat(err.toString().strip()).doesNotContain("\n")
        .startsWith("edx: Unknown options: '--outptu', 'json'")
        .contains("did you mean --output?")
        .endsWith("(see 'edx env plan --help')");
    assertThat(out.toString()).isEmpty();

    assertThat(run("env", "plan", "--env", spec, "--detailed-exitcode")).isEqualTo(2);
    assertThat(run("env", "plan")).isEqualTo(64);
    assertThat(err.toString()).contains("Missing required option: '--env=SPEC'");
    assertThat(run("env", "plan", "--env", spec, "--output", "xml")).isEqualTo(64);
    assertThat(run("nosuchcommand")).isEqualTo(64);
  }

  @Test
  void helpDocumentsTheExitCodesAndDebug() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Exit codes:")
        .containsPattern(" 0 +Success")
        .containsPattern(" 1 +Error")
        .containsPattern(" 2 +Only with --detailed-exitcode")
        .containsPattern("64 +Usage error")
        .contains("--debug");
    assertThat(run("env", "plan", "--help")).isZero();
    assertThat(out.toString()).contains("--debug");
  }

  @Test
  void anSqlErrorIsOneLineAndDebugShowsTheTrace() throws IOException {
    String spec = spec();
    assertThat(run("sql", "--env", spec, "SELECT * FROM gha.evnts")).isEqualTo(1);
    assertThat(err.toString().strip()).doesNotContain("\n").doesNotContain("\tat ")
        .startsWith("edx: Cannot run the query: ")
        .contains("evnts")
        .doesNotContain("LINE 1")
        .endsWith("(the metastore has no tables yet)");

    assertThat(run("sql", "--env", spec, "--debug", "SELECT * FROM gha.evnts")).isEqualTo(1);
    assertThat(err.toString()).startsWith("edx: Cannot run the query: ").contains("\tat ")
        .contains("SQLException");
  }

  @Test
  void anUnexpectedErrorNamesItsTypeOnOneLine() throws IOException {
    Path notASpec = Files.createDirectory(dir.resolve("folder.yaml"));
    assertThat(run("env", "validate", "--env", notASpec.toString())).isEqualTo(1);
    assertThat(err.toString().strip()).doesNotContain("\n").doesNotContain("\tat ")
        .startsWith("edx: ");
  }
}
