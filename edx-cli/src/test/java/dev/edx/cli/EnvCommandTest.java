package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;
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

  private JsonNode json() throws IOException {
    return new ObjectMapper().readTree(out.toString());
  }

  @Test
  void everyOutputJsonIsOneValidDocumentWithAFormatVersionAndCounts() throws IOException {
    String spec = spec("[gha-raw, gha-lake]").toString();
    assertThat(run("env", "validate", "--env", spec, "--output", "json")).isZero();
    assertThat(json().get("formatVersion").asInt()).isEqualTo(1);
    assertThat(json().get("valid").asBoolean()).isTrue();

    assertThat(run("env", "render", "--env", spec, "--output", "json")).isZero();
    assertThat(json().get("formatVersion").asInt()).isEqualTo(1);
    assertThat(json().at("/environment/metadata/name").asText()).isEqualTo("dev");
    assertThat(json().at("/environment/spec/storage/buckets/1").asText()).isEqualTo("gha-lake");

    assertThat(run("env", "plan", "--env", spec, "--output", "json")).isZero();
    assertThat(json().get("command").asText()).isEqualTo("env plan");
    assertThat(json().at("/counts/create").asInt()).isEqualTo(3);
    assertThat(json().get("changes")).hasSize(3);

    assertThat(run("env", "status", "--env", spec, "--output", "json")).isZero();
    assertThat(json().at("/counts/none").asInt()).isZero();

    // A command that would ask refuses with --output json unless told --auto-approve.
    assertThat(run("env", "apply", "--env", spec, "--output", "json")).isEqualTo(64);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("--output json needs --auto-approve");
    assertThat(dir.resolve("data/gha-raw")).doesNotExist();
    assertThat(run("env", "destroy", "--env", spec, "--output", "json")).isEqualTo(64);

    assertThat(run("env", "apply", "--env", spec, "--output", "json", "--auto-approve"))
        .isZero();
    assertThat(json().at("/counts/create").asInt()).isEqualTo(3);
    assertThat(run("env", "apply", "--env", spec, "--output", "json", "--auto-approve"))
        .isZero();
    assertThat(json().at("/counts/none").asInt()).isEqualTo(3);
    assertThat(json().get("changed").asBoolean()).isFalse();

    Path envs = dir.resolve("envs");
    assertThat(run("env", "new", "pr1", "--from", spec, "--ttl", "0s", "--dir", envs.toString(),
        "--output", "json")).isZero();
    assertThat(json().get("environment").asText()).isEqualTo("pr1");
    assertThat(json().at("/counts/create").asInt()).isEqualTo(3);
    assertThat(run("env", "gc", "--dir", envs.toString(), "--output", "json", "--auto-approve"))
        .isZero();
    assertThat(json().get("count").asInt()).isEqualTo(1);
    assertThat(json().at("/destroyed/0/file").asText()).endsWith("pr1.yaml");

    assertThat(run("env", "destroy", "--env", spec, "--output", "json", "--auto-approve"))
        .isZero();
    assertThat(json().at("/counts/delete").asInt()).isEqualTo(3);
  }

  @Test
  void applyAsksOnTheTerminalAfterShowingThePlan() throws IOException {
    String spec = spec("[gha-raw]").toString();
    assertThat(answering("yes\n", () -> run("env", "apply", "--env", spec))).isZero();
    assertThat(out.toString()).startsWith("edx will make these changes for " + spec)
        .containsPattern("\\+ storage +bucket gha-raw")
        .contains("Applied " + spec)
        .doesNotContain("Only 'yes'");
    assertThat(err.toString()).contains("Apply these changes? Only 'yes' will be accepted");
    assertThat(dir.resolve("data/gha-raw")).isDirectory();

    assertThat(answering("no\n", () -> run("env", "destroy", "--env", spec))).isEqualTo(1);
    assertThat(out.toString()).contains("edx will destroy what environment " + spec)
        .containsPattern("- storage +bucket gha-raw")
        .contains("Destroy cancelled.");
    assertThat(dir.resolve("data/gha-raw")).isDirectory();
  }

  @Test
  void destroyShowsWhatItWillKeepAndDeleteBeforeAsking() throws IOException {
    String spec = spec("[gha-lake, gha-raw]").toString();
    assertThat(run("env", "apply", "--env", spec, "--auto-approve")).isZero();
    Files.writeString(dir.resolve("data/gha-lake/kept.txt"), "data");

    assertThat(answering("no\n", () -> run("env", "destroy", "--env", spec))).isEqualTo(1);
    assertThat(out.toString()).startsWith("edx will destroy what environment " + spec)
        .containsPattern("! storage +bucket gha-lake +kept: holds 1 objects")
        .containsPattern("- storage +bucket gha-raw +is empty")
        .containsPattern("- metastore +database gha_dm")
        .contains("to delete, 1 kept")
        .contains("Destroy cancelled.");
    assertThat(dir.resolve("data/gha-raw")).isDirectory();

    assertThat(answering("yes\n", () -> run("env", "destroy", "--env", spec))).isZero();
    assertThat(out.toString()).containsPattern("! storage +bucket gha-lake +kept: holds 1 objects")
        .containsPattern("- storage +bucket gha-raw +was empty");
    assertThat(dir.resolve("data/gha-lake/kept.txt")).exists();
    assertThat(dir.resolve("data/gha-raw")).doesNotExist();

    assertThat(run("env", "destroy", "--env", spec, "--purge", "--output", "json",
        "--auto-approve")).isZero();
    assertThat(json().at("/planned/changes/0/action").asText()).isNotEmpty();
    assertThat(json().at("/planned/counts/delete").asInt())
        .isEqualTo(json().at("/counts/delete").asInt()).isPositive();
    assertThat(dir.resolve("data/gha-lake")).doesNotExist();
  }

  @Test
  void applyAndDestroyStopWhenTheWorldChangedAfterThePlanWasShown() throws IOException {
    String spec = spec("[gha-raw, gha-lake]").toString();
    // The answer arrives after someone else created gha-raw: the plan shown is stale.
    assertThat(answering("yes\n", () -> run("env", "apply", "--env", spec),
        () -> Files.createDirectories(dir.resolve("data/gha-raw")))).isEqualTo(1);
    assertThat(err.toString()).contains("Cannot apply: the environment changed after the plan"
        + " was shown").contains("bucket gha-raw").contains("nothing was done");
    assertThat(dir.resolve("data/gha-lake")).doesNotExist();

    assertThat(run("env", "apply", "--env", spec, "--auto-approve")).isZero();
    assertThat(answering("yes\n", () -> run("env", "destroy", "--env", spec),
        () -> Files.delete(dir.resolve("data/gha-lake")))).isEqualTo(1);
    assertThat(err.toString()).contains("Cannot destroy: the environment changed");
    assertThat(dir.resolve("data/gha-raw")).isDirectory();
  }

  private interface Action {
    void run() throws IOException;
  }

  private int answering(String answer, IntSupplier command) {
    return answering(answer, command, () -> { });
  }

  /** Runs {@code command} with {@code answer} on stdin, doing {@code meanwhile} before it. */
  private int answering(String answer, IntSupplier command, Action meanwhile) {
    InputStream stdin = System.in;
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    System.setIn(new InputStream() {
      private final InputStream in = new ByteArrayInputStream(bytes);
      private boolean asked;

      @Override
      public int read() throws IOException {
        before();
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        before();
        return in.read(b, off, len);
      }

      private void before() throws IOException {
        if (!asked) {
          asked = true;
          meanwhile.run();
        }
      }
    });
    try {
      return command.getAsInt();
    } finally {
      System.setIn(stdin);
    }
  }
}
