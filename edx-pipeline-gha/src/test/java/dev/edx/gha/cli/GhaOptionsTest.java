package dev.edx.gha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The pipeline's options: checked before any work, each shown only where used, each described. */
class GhaOptionsTest {
  @TempDir
  Path dir;

  private StringWriter out;
  private StringWriter err;

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return GhaCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** A spec that does not exist: had the command opened it, the error would say so, with 1. */
  private String neverOpened() {
    return dir.resolve("never-opened.yaml").toString();
  }

  @Test
  void badOptionsAreUsageErrorsBeforeTheEnvironmentIsOpened() {
    assertThat(run("gha", "ingest", "--env", neverOpened(), "--from", "2015-01-01T00",
        "--parallel", "0")).isEqualTo(64);
    assertThat(err.toString()).startsWith("edx: Invalid --parallel 0").doesNotContain("never");

    assertThat(run("gha", "ingest", "--env", neverOpened(), "--back-days", "-1")).isEqualTo(64);
    assertThat(err.toString()).startsWith("edx: Invalid --back-days -1")
        .doesNotContain("--from");

    assertThat(run("gha", "ingest", "--env", neverOpened(), "--from", "2015-01-01T00",
        "--source", dir.resolve("nonexistent").toString())).isEqualTo(64);
    assertThat(err.toString()).contains("Invalid --source").contains("no such folder");

    assertThat(run("gha", "run", "--env", neverOpened(), "--from", "2015-01-01T05", "--to",
        "2015-01-01T01")).isEqualTo(64);
    assertThat(err.toString()).contains("--to 2015-01-01T01 is before --from 2015-01-01T05");

    assertThat(run("gha", "convert", "--env", neverOpened(), "--from", "yesterday"))
        .isEqualTo(64);
    assertThat(err.toString()).startsWith("edx: Invalid --from 'yesterday'");

    assertThat(run("gha", "tables", "--env", neverOpened(), "--tables",
        dir.resolve("none.yaml").toString())).isEqualTo(64);
    assertThat(run("gha", "ingest", "--env", neverOpened(), "--from", "2015-01-01T00",
        "--toleration-hours", "-2")).isEqualTo(64);
  }

  @Test
  void exportAndPublishCheckTheirOptionsBeforeTheEnvironmentIsOpened() {
    assertThat(run("gha", "export", "--env", neverOpened(), "--table", "gha_dm.repo_daily",
        "--store", "warehouse", "--method", "copy")).isEqualTo(64);
    assertThat(err.toString()).startsWith("edx: Invalid --method 'copy'");
    assertThat(run("gha", "export", "--env", neverOpened(), "--table", "gha_dm.repo_daily",
        "--store", "warehouse", "--schema", "Bad Name")).isEqualTo(64);
    assertThat(err.toString()).startsWith("edx: Invalid --schema 'Bad Name'");
    assertThat(run("gha", "export", "--env", neverOpened(), "--table", "gha_dm.repo_daily"))
        .isEqualTo(64);
    assertThat(err.toString()).contains("Give the data store: --store STORE");

    assertThat(run("gha", "publish", "--env", neverOpened(), "--from", "2015-01-01T00",
        "--to", "2015-01-01T03")).isEqualTo(64);
    assertThat(err.toString()).contains("Give the data store: --store STORE");
    assertThat(run("gha", "publish", "--env", neverOpened(), "--from", "2015-01-01T05",
        "--store", "events", "--to", "2015-01-01T01")).isEqualTo(64);
    assertThat(err.toString()).contains("--to 2015-01-01T01 is before --from 2015-01-01T05");
    assertThat(run("gha", "publish", "--env", neverOpened(), "--store", "events")).isEqualTo(64);
    assertThat(err.toString()).contains("Give the hours: --from YYYY-MM-DDTHH");
  }

  @Test
  void theOldStoreFormOfToSaysToUseStore() {
    // --to is the last hour in every command; the data store was once --to too.
    assertThat(run("gha", "publish", "--env", neverOpened(), "--to", "events", "--from",
        "2015-01-01T00")).isEqualTo(64);
    assertThat(err.toString()).startsWith("edx: --to is the last hour (YYYY-MM-DDTHH) in every"
        + " edx gha command; name the data store with --store: --store events");
    assertThat(run("gha", "export", "--env", neverOpened(), "--table", "gha_dm.repo_daily",
        "--to", "warehouse")).isEqualTo(64);
    assertThat(err.toString()).startsWith("edx: --to is the last hour (YYYY-MM-DDTHH) in every"
        + " edx gha command; name the data store with --store: --store warehouse");
    // Export has no hours: its --to is not shown.
    assertThat(run("gha", "export", "--help")).isZero();
    assertThat(out.toString()).contains("--store=STORE").doesNotContain("--to");
    assertThat(run("gha", "publish", "--help")).isZero();
    assertThat(out.toString()).contains("--store=STORE", "--to=YYYY-MM-DDTHH", "--back-days");
  }

  @Test
  void eachStepShowsOnlyItsOwnOptions() {
    assertThat(run("gha", "ingest", "--help")).isZero();
    assertThat(out.toString()).contains("--source", "--parallel", "--raw-bucket", "--from")
        .doesNotContain("--force").doesNotContain("--tables").doesNotContain("--datamart-bucket");
    assertThat(run("gha", "convert", "--help")).isZero();
    assertThat(out.toString()).contains("--force", "--raw-bucket", "--lake-bucket")
        .doesNotContain("--source").doesNotContain("--parallel").doesNotContain("--tables");
    assertThat(run("gha", "tables", "--help")).isZero();
    assertThat(out.toString()).contains("--tables", "--datamart-bucket")
        .doesNotContain("--from").doesNotContain("--source").doesNotContain("--force");
    assertThat(run("gha", "ingest", "--force", "--from", "2015-01-01T00")).isEqualTo(64);
  }

  @Test
  void everyOptionOfEveryCommandIsDescribed() {
    CommandLine root = new CommandLine(new GhaCli());
    GhaCommands.create().forEach(root::addSubcommand);
    List<String> undescribed = new ArrayList<>();
    collect(root, undescribed);
    assertThat(undescribed).isEmpty();
  }

  private static void collect(CommandLine command, List<String> undescribed) {
    for (OptionSpec option : command.getCommandSpec().options()) {
      if (String.join("", option.description()).isBlank()) {
        undescribed.add(command.getCommandSpec().qualifiedName() + " " + option.longestName());
      }
    }
    command.getSubcommands().values().forEach(sub -> collect(sub, undescribed));
  }
}
