package dev.edx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Base specs and overlays ({@code extends}), and rendering the effective spec. */
class SpecOverlayTest {
  @TempDir
  Path dir;

  private static final String BASE = """
      apiVersion: edx.dev/v1
      kind: Environment
      metadata:
        name: base
        labels: {team: data}
      spec:
        secrets: {provider: memory}
        storage:
          provider: recording
          endpoint: http://minio.dev:9000
          accessKey: "${secret:minio/accessKey}"
          secretKey: literal-secret-in-base
          buckets: [gha-raw, gha-lake]
          threads: 2
      """;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  @Test
  void overlayMergesMapsReplacesListsAndRemovesNulls() throws IOException {
    write("base.yaml", BASE);
    Path prod = write("envs/prod.yaml", """
        extends: ../base.yaml
        metadata:
          name: prod
          labels: {tier: prod}
        spec:
          storage:
            endpoint: https://minio.prod:9000
            buckets: [prod-raw]
            threads: null
        """);

    EnvironmentSpec spec = EnvironmentSpec.parse(prod);
    ServiceSpec storage = spec.service("storage").orElseThrow();

    assertThat(spec.name()).isEqualTo("prod");
    assertThat(spec.labels()).isEqualTo(Map.of("team", "data", "tier", "prod"));
    assertThat(storage.provider()).isEqualTo("recording");
    assertThat(Specs.requireString(storage, "endpoint")).isEqualTo("https://minio.prod:9000");
    assertThat(Specs.getStringList(storage, "buckets")).containsExactly("prod-raw");
    assertThat(storage.has("threads")).as("null removes a base key").isFalse();
    assertThat(Specs.requireString(storage, "accessKey")).isEqualTo("${secret:minio/accessKey}");
    assertThat(spec.baseDirectory()).as("relative paths resolve against the base's folder")
        .isEqualTo(dir);
  }

  @Test
  void errorsInInheritedKeysNameTheBaseFileAndLine() throws IOException {
    write("base.yaml", BASE.replace("threads: 2", "threads: two"));
    Path dev = write("dev.yaml", """
        extends: base.yaml
        metadata: {name: dev}
        spec:
          storage: {endpoint: "http://localhost:9000"}
        """);
    EnvironmentSpec spec = EnvironmentSpec.parse(dev);
    ServiceSpec storage = spec.service("storage").orElseThrow();

    assertThatThrownBy(() -> Specs.getInt(storage, "threads", 1))
        .hasMessageStartingWith("Invalid spec.storage.threads (" + dir.resolve("base.yaml")
            + " line 14)");
    assertThat(storage.error("endpoint", "x").getMessage())
        .startsWith("Invalid spec.storage.endpoint (" + dev + " line 4)");
  }

  @Test
  void missingOrCyclicBaseIsAClearError() throws IOException {
    Path lonely = write("lonely.yaml", "extends: nope.yaml\n" + BASE);
    assertThatThrownBy(() -> EnvironmentSpec.parse(lonely))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("Invalid extends (" + lonely + " line 1): Cannot read"
            + " environment spec " + dir.resolve("nope.yaml") + ": no such file");
    Path a = write("a.yaml", "extends: b.yaml\n" + BASE);
    write("b.yaml", "extends: a.yaml\n" + BASE);
    assertThatThrownBy(() -> EnvironmentSpec.parse(a)).hasMessageContaining("extends itself");
  }

  @Test
  void renderKeepsReferencesAndMasksLiteralSecrets() throws IOException {
    Path base = write("base.yaml", BASE);
    String rendered = EnvironmentLoader.builder().setEnvironmentVariables(Map.of()).build()
        .render(EnvironmentSpec.parse(base));

    assertThat(rendered)
        .contains("name: base")
        .contains("accessKey: \"${secret:minio/accessKey}\"")
        .contains("secretKey: '****'")
        .doesNotContain("literal-secret-in-base")
        .contains("- gha-raw");
    // The rendering is itself a valid spec.
    Path again = write("again.yaml", rendered);
    assertThat(Specs.getStringList(EnvironmentSpec.parse(again).service("storage").orElseThrow(),
        "buckets")).containsExactly("gha-raw", "gha-lake");
  }
}
