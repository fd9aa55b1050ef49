package dev.edx.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.api.Secret;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two environments derived from one base share nothing; gc removes only the expired one. */
class EphemeralEnvironmentsTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @TempDir
  Path dir;

  private final EnvironmentLoader loader = EnvironmentLoader.builder()
      .setEnvironmentVariables(Map.of()).build();

  private Path base() throws IOException {
    Path base = dir.resolve("base.yaml");
    Files.writeString(base, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: base}
        spec:
          secrets: {provider: local, directory: secrets}
          storage: {provider: local, root: data, buckets: [gha-raw]}
          metastore: {provider: local, directory: metastore, databases: [gha_dm]}
          compute: {provider: local, threads: 1}
        """);
    return base;
  }

  @Test
  void derivedEnvironmentsShareNothingAndGcRemovesOnlyTheExpiredOne() throws IOException {
    Path envs = dir.resolve(".edx/envs");
    Path pr1 = EphemeralEnvironments.derive(base(), "pr1", Optional.of(Duration.ofHours(1)),
        envs, NOW);
    Path pr2 = EphemeralEnvironments.derive(base(), "pr2", Optional.of(Duration.ofHours(48)),
        envs, NOW);

    for (Path spec : List.of(pr1, pr2)) {
      assertThat(loader.apply(EnvironmentSpec.parse(spec))).extracting(Change::action)
          .containsOnly(Change.Action.CREATE);
    }
    assertThat(dir.resolve("data/pr1-gha-raw")).isDirectory();
    assertThat(dir.resolve("data/pr2-gha-raw")).isDirectory();
    assertThat(dir.resolve("data/gha-raw")).doesNotExist();

    // The same code, with the same logical names, in both environments.
    for (String name : List.of("pr1", "pr2")) {
      try (Environment env = loader.open(EnvironmentSpec.parse(envs.resolve(name + ".yaml")))) {
        env.storage().put(ObjectRef.of("gha-raw", "who"), name.getBytes(UTF_8));
        env.metastore().createTable(TableDefinition.of(TableId.of("gha_dm", "events"),
            env.storage().uri(ObjectRef.of("gha-raw", "who")).toString(), "parquet",
            List.of(Column.of("id", "bigint")), List.of()));
        env.secrets().put(Secret.of("token", Map.of("value", name)));
      }
    }
    try (Environment env = loader.open(EnvironmentSpec.parse(pr1))) {
      assertThat(env.storage().readAllBytes(ObjectRef.of("gha-raw", "who")))
          .isEqualTo("pr1".getBytes(UTF_8));
      assertThat(env.storage().listBuckets()).containsExactly("gha-raw");
      assertThat(env.metastore().listDatabases()).containsExactly("gha_dm");
      assertThat(env.metastore().listTables("gha_dm"))
          .containsExactly(TableId.of("gha_dm", "events"));
      assertThat(env.metastore().loadTable(TableId.of("gha_dm", "events")).orElseThrow()
          .definition().location()).contains("pr1-gha-raw");
      assertThat(env.secrets().get("token").orElseThrow().require("value")).isEqualTo("pr1");
      assertThat(env.secrets().list()).containsExactly("token");
      assertThat(env.metastore().loadDatabase("gha_dm").map(Database::name)).contains("gha_dm");
    }

    assertThat(EphemeralEnvironments.expired(envs, NOW.plus(Duration.ofHours(2))))
        .containsExactly(pr1);
    assertThat(EphemeralEnvironments.expired(envs, NOW)).isEmpty();
    loader.destroy(EnvironmentSpec.parse(pr1), DataPolicy.PURGE);
    assertThat(dir.resolve("data/pr1-gha-raw")).doesNotExist();
    assertThat(dir.resolve("data/pr2-gha-raw/who")).hasContent("pr2");
    assertThat(dir.resolve("metastore/pr2_gha_dm")).isDirectory();
    assertThat(dir.resolve("metastore/pr1_gha_dm")).doesNotExist();
  }

  @Test
  void derivingTwiceUnderOneNameOrWithABadNameFailsClearly() throws IOException {
    Path envs = dir.resolve("envs");
    EphemeralEnvironments.derive(base(), "pr1", Optional.empty(), envs, NOW);
    assertThatThrownBy(() -> EphemeralEnvironments.derive(base(), "pr1", Optional.empty(), envs,
        NOW)).hasMessageContaining("already exists; pick another name");
    assertThatThrownBy(() -> EphemeralEnvironments.derive(base(), "PR_1", Optional.empty(), envs,
        NOW)).hasMessageContaining("Invalid metadata.namePrefix 'PR_1'");
    assertThat(EphemeralEnvironments.expired(envs, NOW.plus(Duration.ofDays(999)))).isEmpty();
  }
}
