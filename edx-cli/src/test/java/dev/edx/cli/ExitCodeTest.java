package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.gha.cli.GhaCommands;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

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

  @Test
  void everyOptionAndParameterOfEveryCommandIsDescribed() {
    assertThat(run("--help")).isZero();
    CommandLine root = new CommandLine(new EdxMain());
    GhaCommands.create().forEach(root::addSubcommand);
    root.addSubcommand(new EnvCommand());
    root.addSubcommand(new TablesCommand());
    root.addSubcommand(new DoctorCommand());
    List<String> undescribed = new ArrayList<>();
    collect(root, undescribed);
    assertThat(undescribed).isEmpty();
  }

  private static void collect(CommandLine command, List<String> undescribed) {
    CommandSpec spec = command.getCommandSpec();
    spec.options().stream().filter(o -> String.join("", o.description()).isBlank())
        .forEach(o -> undescribed.add(spec.qualifiedName() + " " + o.longestName()));
    spec.positionalParameters().stream()
        .filter(p -> String.join("", p.description()).isBlank())
        .forEach(p -> undescribed.add(spec.qualifiedName() + " " + p.paramLabel()));
    command.getSubcommands().values().forEach(sub -> collect(sub, undescribed));
  }
}
