package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edx env ...} in-process, on specs of local providers in a temporary folder. */
class EnvCommandTest {
  @TempDir
  Path dir;

  private StringWriter out;
  private StringWriter err;

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return EdxMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private Path spec(String buckets) throws IOException {
    Path file = dir.resolve("dev.yaml");
    Files.writeString(file, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: dev}
        spec:
          secrets: {provider: local, directory: secrets}
          storage: {provider: local, root: data, buckets: %s}
          metastore: {provider: local, directory: metastore, databases: [gha_dm]}
          compute: {provider: local, threads: 1}
        """.formatted(buckets));
    return file;
  }

  @Test
  void planApplyChangeDestroy() throws IOException {
    String spec = spec("[gha-raw, gha-lake]").toString();

    assertThat(run("env", "plan", "--env", spec, "--detailed-exitcode")).isEqualTo(2);
    assertThat(out.toString()).containsPattern("\\+ storage +bucket gha-raw")
        .containsPattern("\\+ metastore +database gha_dm")
        .contains("3 to create, 0 to update, 0 to delete, 0 kept, 0 unchanged.");

    assertThat(run("env", "apply", "--env", spec, "--auto-approve")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Applied " + spec);
    assertThat(dir.resolve("data/gha-lake")).isDirectory();

    assertThat(run("env", "plan", "--env", spec, "--detailed-exitcode")).isZero();
    assertThat(run("env", "apply", "--env", spec, "--auto-approve")).isZero();
    assertThat(out.toString()).startsWith("No changes");

    spec = spec("[gha-lake, gha-datamart]").toString();
    assertThat(run("env", "plan", "--env", spec, "--detailed-exitcode", "--output", "json"))
        .isEqualTo(2);
    assertThat(out.toString().strip())
        .contains("{\"service\":\"storage\",\"resource\":\"bucket gha-datamart\","
            + "\"action\":\"create\"")
        .contains("{\"service\":\"storage\",\"resource\":\"bucket gha-raw\",\"action\":\"delete\"")
        .endsWith("\"changed\":true}");
    assertThat(run("env", "apply", "--env", spec, "--auto-approve")).isZero();
    assertThat(dir.resolve("data/gha-raw")).doesNotExist();

    Files.writeString(dir.resolve("data/gha-lake/kept.txt"), "data");
    assertThat(run("env", "status", "--env", spec)).isZero();
    assertThat(out.toString()).contains("(up to date)")
        .containsPattern("= storage +bucket gha-lake");

    assertThat(run("env", "destroy", "--env", spec, "--auto-approve")).isZero();
    assertThat(out.toString()).containsPattern("! storage +bucket gha-lake +kept: holds 1 objects")
        .containsPattern("- storage +bucket gha-datamart");
    assertThat(dir.resolve("data/gha-lake/kept.txt")).exists();
    assertThat(run("env", "destroy", "--env", spec, "--purge", "--auto-approve")).isZero();
    assertThat(dir.resolve("data/gha-lake")).doesNotExist();
  }

  @Test
  void validateAndRenderAndErrors() throws IOException {
    Path spec = spec("[gha-raw]");
    assertThat(run("env", "validate", "--env", spec.toString())).isZero();
    assertThat(out.toString()).contains("is valid: environment 'dev' opens");

    assertThat(run("env", "render", "--env", spec.toString())).isZero();
    assertThat(out.toString()).contains("name: dev").contains("- gha-raw");

    Files.writeString(spec, Files.readString(spec).replace("threads: 1", "thread: 1"));
    assertThat(run("env", "validate", "--env", spec.toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("edx: Invalid spec.compute.thread (" + spec + " line 8)")
        .contains("did you mean 'threads'?");

    assertThat(run("env", "plan", "--env", spec.toString(), "--output", "xml")).isEqualTo(64);
    assertThat(err.toString()).contains("Invalid --output 'xml': use text or json");
  }

  @Test
  void newTwiceFromOneBaseThenGcRemovesOnlyTheExpired() throws IOException {
    Path base = spec("[gha-raw]");
    Path envs = dir.resolve("envs");
    assertThat(run("env", "new", "pr1", "--from", base.toString(), "--ttl", "0s", "--dir",
        envs.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Created environment 'pr1'")
        .containsPattern("\\+ storage +bucket pr1-gha-raw");
    assertThat(run("env", "new", "pr2", "--from", base.toString(), "--ttl", "24h", "--dir",
        envs.toString())).isZero();
    assertThat(dir.resolve("data/pr1-gha-raw")).isDirectory();
    assertThat(dir.resolve("data/pr2-gha-raw")).isDirectory();
    assertThat(dir.resolve("metastore/pr2_gha_dm")).isDirectory();

    assertThat(run("env", "gc", "--dir", envs.toString(), "--auto-approve")).isZero();
    assertThat(out.toString()).contains("Destroyed expired " + envs.resolve("pr1.yaml"));
    assertThat(dir.resolve("data/pr1-gha-raw")).doesNotExist();
    assertThat(envs.resolve("pr1.yaml")).doesNotExist();
    assertThat(dir.resolve("data/pr2-gha-raw")).isDirectory();
    assertThat(envs.resolve("pr2.yaml")).exists();

    assertThat(run("env", "gc", "--dir", envs.toString())).isZero();
    assertThat(out.toString()).contains("No expired environments");
    assertThat(run("env", "new", "pr3", "--from", base.toString(), "--ttl", "soon", "--dir",
        envs.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("Invalid --ttl 'soon'");
  }
}
