package dev.edx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.edx.api.Environment;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec parsing, reference resolution and provider discovery: each bad input gets one clear
 * message naming the key, the source and the line.
 */
class EnvironmentSpecTest {
  private static final String GOOD = """
      apiVersion: edx.dev/v1
      kind: Environment
      metadata:
        name: dev
        labels: {team: data}
      spec:
        secrets:
          provider: memory
          values:
            minio: {accessKey: edx-access, secretKey: s3cr3t-minio-value}
        storage:
          provider: recording
          endpoint: "http://${env:MINIO_HOST}:9000"
          accessKey: "${secret:minio/accessKey}"
          secretKey: "${secret:minio/secretKey}"
          buckets: [gha-raw, gha-lake]
      """;

  private final EnvironmentLoader loader = EnvironmentLoader.builder()
      .setEnvironmentVariables(Map.of("MINIO_HOST", "127.0.0.1")).build();

  @BeforeEach
  void clearEvents() {
    TestProviders.EVENTS.clear();
  }

  private static EnvironmentSpec parse(String yaml) {
    return EnvironmentSpec.parse(new StringReader(yaml), "dev.yaml", Path.of("/tmp"));
  }

  @SuppressWarnings("unchecked")
  private static ServiceSpec storageSpec(Environment env) {
    return ((Supplier<ServiceSpec>) env.storage()).get();
  }

  @Test
  void opensAndResolvesReferencesThroughTheSecretsProvider() {
    try (Environment env = loader.open(parse(GOOD))) {
      ServiceSpec storage = storageSpec(env);
      assertThat(env.name()).isEqualTo("dev");
      assertThat(Specs.requireString(storage, "endpoint")).isEqualTo("http://127.0.0.1:9000");
      assertThat(Specs.requireString(storage, "secretKey")).isEqualTo("s3cr3t-minio-value");
      assertThat(Specs.getStringList(storage, "buckets")).containsExactly("gha-raw", "gha-lake");
      // Values from ${secret:} are masked wherever the spec is printed.
      assertThat(storage.toString()).doesNotContain("s3cr3t-minio-value").doesNotContain(
          "edx-access").contains("secretKey=****").contains("accessKey=****");
      assertThat(env.toString()).doesNotContain("s3cr3t");
    }
  }

  @Test
  void envSecretsProviderReadsTheLoadersVariablesAndFeedsSecretReferences() {
    EnvironmentLoader withSecrets = EnvironmentLoader.builder().setEnvironmentVariables(Map.of(
        "MINIO_HOST", "minio", "EDX_SECRET_MINIO__ACCESSKEY", "ak",
        "EDX_SECRET_MINIO__SECRETKEY", "from-env-var")).build();
    String yaml = GOOD.replaceAll("(?s)    provider: memory.*?\n  storage:",
        "    provider: env\n  storage:").replace("minio/accessKey", "minio/accesskey")
        .replace("minio/secretKey", "minio/secretkey");
    try (Environment env = withSecrets.open(parse(yaml))) {
      assertThat(Specs.requireString(storageSpec(env), "secretKey")).isEqualTo("from-env-var");
      assertThat(Specs.requireString(storageSpec(env), "endpoint")).isEqualTo("http://minio:9000");
      assertThat(env.secrets().list()).containsExactly("minio");
    }
  }

  @Test
  void jsonSpecsWorkToo() {
    String json = """
        {"apiVersion": "edx.dev/v1", "kind": "Environment", "metadata": {"name": "j"},
         "spec": {"storage": {"provider": "recording", "threads": 4}}}
        """;
    try (Environment env = loader.open(new StringReader(json), "j.json")) {
      assertThat(Specs.getInt(storageSpec(env), "threads", 1)).isEqualTo(4);
    }
  }

  @Test
  void mistypedTopLevelKeyNamesKeyAndLine() {
    assertThatThrownBy(() -> parse(GOOD.replace("spec:\n", "sepc:\n")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("Invalid sepc (dev.yaml line 6): unknown key; the document takes"
            + " [apiVersion, extends, kind, metadata, spec]");
  }

  @Test
  void mistypedProviderKeyNamesKeyLineAndSuggestion() {
    EnvironmentSpec spec = parse(GOOD.replace("  buckets:", "  bucket:"));
    assertThatThrownBy(() -> loader.open(spec))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("Invalid spec.storage.bucket (dev.yaml line 16): is not a"
            + " setting of the 'recording' storage provider")
        .hasMessageContaining("did you mean 'buckets'?");
  }

  @Test
  void aSpecWithSeveralMistakesReportsAllOfThemWithTheirLines() {
    EnvironmentSpec spec = parse(GOOD.replace("provider: memory", "provider: memroy")
        .replace("  buckets:", "  bucket:").replace("  accessKey:", "  acessKey:"));

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> loader.open(spec));

    assertThat(e.problems()).extracting(p -> p.key().orElseThrow()).containsExactly(
        "spec.secrets.provider", "spec.storage.acessKey", "spec.storage.bucket");
    assertThat(e.getMessage()).startsWith("3 problems in the spec:\n  Invalid"
            + " spec.secrets.provider (dev.yaml line 8): unknown secrets provider 'memroy'")
        .contains("\n  Invalid spec.storage.acessKey (dev.yaml line 14): is not a setting of the"
            + " 'recording' storage provider")
        .contains("did you mean 'accessKey'?")
        .contains("\n  Invalid spec.storage.bucket (dev.yaml line 16)")
        .contains("did you mean 'buckets'?")
        .doesNotContain("s3cr3t");
    assertThat(e.key()).contains("spec.secrets.provider");
    assertThat(e.line()).isEqualTo(8);
  }

  @Test
  void wrongTypeNamesKeyAndLine() {
    EnvironmentSpec spec = parse(GOOD.replace("buckets: [gha-raw, gha-lake]",
        "buckets: [gha-raw]\n    threads: lots"));
    assertThatThrownBy(() -> loader.open(spec))
        .hasMessage("Invalid spec.storage.threads (dev.yaml line 17): must be a whole number,"
            + " not 'lots'");
  }

  @Test
  void missingRequiredValueSaysWhereToAddIt() {
    assertThatThrownBy(() -> parse(GOOD.replace("  name: dev\n", "")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("Missing metadata.name (dev.yaml, in the metadata section at line 3):"
            + " it is required; add it");
    assertThatThrownBy(() -> parse(GOOD.replace("provider: recording", "endpointx: y")))
        .hasMessageStartingWith("Missing spec.storage.provider");
  }

  @Test
  void unknownProviderListsTheKnownOnes() {
    EnvironmentSpec spec = parse(GOOD.replace("provider: recording", "provider: minoi"));
    assertThatThrownBy(() -> loader.open(spec))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("Invalid spec.storage.provider (dev.yaml line 12): unknown"
            + " storage provider 'minoi'; known storage providers: [")
        .hasMessageContaining("recording");
  }

  @Test
  void unresolvableSecretNamesKeyAndLineButNoValue() {
    EnvironmentSpec missingKey = parse(GOOD.replace("minio/secretKey", "minio/secretkey"));
    assertThatThrownBy(() -> loader.open(missingKey))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("Invalid spec.storage.secretKey (dev.yaml line 15): ${secret:minio/secretkey}"
            + " cannot be resolved: secret 'minio' has no key 'secretkey' (it has [accessKey,"
            + " secretKey])");
    EnvironmentSpec missingSecret = parse(GOOD.replace("minio/secretKey", "pg/password"));
    assertThatThrownBy(() -> loader.open(missingSecret))
        .hasMessageContaining("secret 'pg' does not exist")
        .hasMessageNotContaining("s3cr3t");
    EnvironmentSpec noSecrets = parse(GOOD.replaceAll("(?s)  secrets:.*?\n  storage:",
        "  storage:"));
    assertThatThrownBy(() -> loader.open(noSecrets))
        .hasMessageContaining("the spec declares no secrets service; add spec.secrets");
  }

  @Test
  void unresolvableEnvAndFileReferencesNameTheKey(@TempDir Path dir) throws IOException {
    EnvironmentLoader bare = EnvironmentLoader.builder().setEnvironmentVariables(Map.of()).build();
    assertThatThrownBy(() -> bare.open(parse(GOOD)))
        .hasMessage("Invalid spec.storage.endpoint (dev.yaml line 13): ${env:MINIO_HOST} cannot"
            + " be resolved: environment variable MINIO_HOST is not set");
    Files.writeString(dir.resolve("key.txt"), "from-a-file\n");
    String yaml = GOOD.replace("\"${secret:minio/accessKey}\"", "\"${file:key.txt}\"");
    try (Environment env = loader.open(EnvironmentSpec.parse(new StringReader(yaml), "dev.yaml",
        dir))) {
      assertThat(Specs.requireString(storageSpec(env), "accessKey")).isEqualTo("from-a-file");
      assertThat(storageSpec(env).isSensitive("accessKey")).isTrue();
    }
    assertThatThrownBy(() -> loader.open(EnvironmentSpec.parse(new StringReader(yaml.replace(
        "key.txt", "nope.txt")), "dev.yaml", dir)))
        .hasMessageContaining("${file:nope.txt} cannot be resolved: cannot read");
    assertThatThrownBy(() -> loader.open(parse(GOOD.replace("${env:MINIO_HOST}",
        "${MINIO_HOST}")))).hasMessageContaining("write ${env:MINIO_HOST}");
  }

  @Test
  void escapedReferenceIsLiteral() {
    try (Environment env = loader.open(parse(GOOD.replace("${env:MINIO_HOST}", "$${x}")))) {
      assertThat(Specs.requireString(storageSpec(env), "endpoint")).isEqualTo("http://${x}:9000");
    }
  }

  @Test
  void duplicateProviderNameNamesBothClasses(@TempDir Path dir) throws IOException {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(services.resolve("dev.edx.api.spi.StorageProvider"),
        "dev.edx.core.TestProviders$TwinA\ndev.edx.core.TestProviders$TwinB\n");
    try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        getClass().getClassLoader())) {
      assertThatThrownBy(() -> EnvironmentLoader.builder().setClassLoader(cl).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("Cannot register storage provider 'twin': two classes claim that name,"
              + " dev.edx.core.TestProviders$TwinA and dev.edx.core.TestProviders$TwinB; remove"
              + " one of them from the class path");
    }
  }

  @Test
  void noProvidersAtAllSaysWhichModuleToAdd() throws IOException {
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      EnvironmentLoader bare = EnvironmentLoader.builder().setClassLoader(empty).build();
      assertThat(bare.providers().names("storage")).isEmpty();
      assertThatThrownBy(() -> bare.open(parse(GOOD)))
          .hasMessageContaining("no secrets providers are on the class path")
          .hasMessageContaining("add edx-core for the local providers");
    }
  }

  @Test
  void badYamlNamesTheLine() {
    assertThatThrownBy(() -> parse("apiVersion: edx.dev/v1\nkind: [unclosed\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("Cannot parse environment spec dev.yaml line");
    assertThatThrownBy(() -> parse(GOOD.replace("kind: Environment", "kind: Cluster")))
        .hasMessage("Invalid kind (dev.yaml line 2): 'Cluster' is not supported; use Environment");
    assertThatThrownBy(() -> parse(GOOD + "  storage: {provider: x}\n"))
        .hasMessageContaining("duplicate key; it is already set on line 11");
    assertThatThrownBy(() -> parse(GOOD.replace("name: dev", "name: Dev_1")))
        .hasMessageContaining("Invalid metadata.name (dev.yaml line 4)");
  }

  @Test
  void closesServicesInReverseOrderOnceAndClosesCreatedOnesWhenOpenFails() {
    Environment env = loader.open(parse(GOOD));
    env.close();
    env.close();
    assertThat(TestProviders.EVENTS).containsExactly("create secrets", "create storage",
        "close storage", "close secrets");
    assertThatThrownBy(env::storage).hasMessageContaining("it is closed");

    TestProviders.EVENTS.clear();
    assertThatThrownBy(
        () -> loader.open(parse(GOOD.replace("buckets:", "fail: true\n    buckets:"))))
        .hasMessageContaining("storage backend unreachable");
    assertThat(TestProviders.EVENTS).containsExactly("create secrets", "close secrets");
  }

  @Test
  void undeclaredServiceSaysHowToAddIt() {
    try (Environment env = loader.open(parse(GOOD))) {
      assertThatThrownBy(env::metastore)
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("Cannot use metastore of environment 'dev': its spec declares no"
              + " spec.metastore; add one (for example 'provider: local')");
    }
  }

  @Test
  void specFileNotFoundSaysWhereItLooked() {
    assertThatThrownBy(() -> EnvironmentSpec.parse(Path.of("envs/nope.yaml")))
        .hasMessageStartingWith("Cannot read environment spec envs/nope.yaml: no such file");
    assertThat(List.of(parse(GOOD).labels())).containsExactly(Map.of("team", "data"));
  }
}
