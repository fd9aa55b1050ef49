package dev.edx.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.edx.api.Column;
import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plan, apply and destroy on local providers, from nothing: each step of an environment's life
 * asserted, including an interrupted apply and resources edx does not own.
 */
class EnvironmentLifecycleTest {
  @TempDir
  Path dir;

  private final EnvironmentLoader loader = EnvironmentLoader.builder()
      .setEnvironmentVariables(Map.of()).build();

  private EnvironmentSpec spec(String buckets, String databases) {
    return EnvironmentSpec.parse(new StringReader("""
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: dev}
        spec:
          storage: {provider: local, root: data, buckets: %s}
          metastore: {provider: local, directory: metastore, databases: %s}
          compute: {provider: local}
        """.formatted(buckets, databases)), "dev.yaml", dir);
  }

  private static List<Change> changed(List<Change> changes) {
    return changes.stream().filter(c -> c.action() != Action.NONE).toList();
  }

  @Test
  void applyFromNothingThenNoChangesThenChangeTheSpecThenDestroy() {
    EnvironmentSpec v1 = spec("[gha-raw, gha-lake]", "[gha_dm]");

    assertThat(loader.plan(v1)).extracting(Change::resource, Change::action).containsExactly(
        tuple("bucket gha-raw", Action.CREATE), tuple("bucket gha-lake", Action.CREATE),
        tuple("database gha_dm", Action.CREATE));
    assertThat(Files.exists(dir.resolve("data/gha-raw"))).as("plan changes nothing").isFalse();

    assertThat(changed(loader.apply(v1))).hasSize(3);
    assertThat(dir.resolve("data/gha-raw")).isDirectory();
    assertThat(changed(loader.apply(v1))).as("a second apply changes nothing").isEmpty();
    assertThat(changed(loader.plan(v1))).isEmpty();

    // v2: gha-datamart added, gha-raw removed.
    EnvironmentSpec v2 = spec("[gha-lake, gha-datamart]", "[gha_dm]");
    assertThat(changed(loader.plan(v2))).extracting(Change::resource, Change::action)
        .containsExactly(tuple("bucket gha-datamart", Action.CREATE),
            tuple("bucket gha-raw", Action.DELETE));
    loader.apply(v2);
    assertThat(dir.resolve("data/gha-raw")).doesNotExist();
    assertThat(dir.resolve("data/gha-datamart")).isDirectory();
    assertThat(changed(loader.plan(v2))).isEmpty();

    try (Environment env = loader.open(v2)) {
      env.storage().put(ObjectRef.of("gha-lake", "events/x.parquet"), "x".getBytes(UTF_8));
      env.metastore().createTable(TableDefinition.of(TableId.of("gha_dm", "t1"), "file:/x",
          "parquet", List.of(Column.of("id", "bigint")), List.of()));
    }

    List<Change> retained = loader.destroy(v2, DataPolicy.RETAIN);
    // Destroy goes in reverse dependency order: the metastore before storage.
    assertThat(retained).extracting(Change::resource, Change::action).containsExactly(
        tuple("database gha_dm", Action.RETAIN), tuple("bucket gha-lake", Action.RETAIN),
        tuple("bucket gha-datamart", Action.DELETE));
    assertThat(retained.get(1).detail()).contains("holds 1 objects");
    assertThat(dir.resolve("data/gha-lake/events/x.parquet")).hasContent("x");

    assertThat(loader.destroy(v2, DataPolicy.PURGE)).extracting(Change::resource,
        Change::action).containsExactly(tuple("database gha_dm", Action.DELETE),
        tuple("bucket gha-lake", Action.DELETE), tuple("bucket gha-datamart", Action.NONE));
    assertThat(dir.resolve("data/gha-lake")).doesNotExist();
    assertThat(loader.plan(v2)).extracting(Change::action).containsOnly(Action.CREATE);
  }

  @Test
  void interruptedApplyIsCompletedByTheNextApply() throws IOException {
    EnvironmentSpec spec = spec("[gha-raw, gha-lake, gha-datamart]", "[]");
    // Something in the way of the second bucket makes the first apply fail half-way.
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/gha-lake"), "in the way");

    assertThatThrownBy(() -> loader.apply(spec)).hasMessageContaining("gha-lake");
    assertThat(dir.resolve("data/gha-raw")).isDirectory();
    assertThat(dir.resolve("data/gha-datamart")).doesNotExist();

    Files.delete(dir.resolve("data/gha-lake"));
    assertThat(loader.apply(spec)).extracting(Change::resource, Change::action).containsExactly(
        tuple("bucket gha-raw", Action.NONE), tuple("bucket gha-lake", Action.CREATE),
        tuple("bucket gha-datamart", Action.CREATE));
    assertThat(changed(loader.apply(spec))).isEmpty();
  }

  @Test
  void resourcesEdxDoesNotOwnAreNeverTouchedUnlessAdopted() throws IOException {
    // A bucket made by hand, holding data, and declared in the spec.
    Files.createDirectories(dir.resolve("data/shared"));
    Files.writeString(dir.resolve("data/shared/keep.txt"), "precious");
    EnvironmentSpec spec = spec("[shared, gha-raw]", "[]");

    assertThat(loader.apply(spec)).extracting(Change::resource, Change::action, Change::detail)
        .contains(tuple("bucket shared", Action.NONE, "exists, not managed by edx: left alone"
            + " (declare it with adopt: true to manage it)"));
    assertThat(loader.destroy(spec, DataPolicy.PURGE)).extracting(Change::resource,
        Change::action).containsExactly(tuple("bucket shared", Action.NONE),
        tuple("bucket gha-raw", Action.DELETE));
    assertThat(dir.resolve("data/shared/keep.txt")).hasContent("precious");

    // Another environment's bucket is left alone too.
    EnvironmentSpec other = EnvironmentSpec.parse(new StringReader("""
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: other}
        spec:
          storage: {provider: local, root: data, buckets: [theirs]}
        """), "other.yaml", dir);
    loader.apply(other);
    EnvironmentSpec mine = spec("[theirs]", "[]");
    assertThat(loader.destroy(mine, DataPolicy.PURGE)).extracting(Change::action)
        .containsExactly(Action.NONE);
    assertThat(dir.resolve("data/theirs")).isDirectory();

    // Adopting makes it ours: destroy may then remove it.
    EnvironmentSpec adopting = spec("[{name: shared, adopt: true}]", "[]");
    assertThat(loader.plan(adopting)).extracting(Change::action).containsExactly(Action.UPDATE);
    loader.apply(adopting);
    assertThat(changed(loader.plan(adopting))).isEmpty();
    assertThat(loader.destroy(adopting, DataPolicy.RETAIN)).extracting(Change::action)
        .containsExactly(Action.RETAIN);
    assertThat(dir.resolve("data/shared/keep.txt")).hasContent("precious");
  }

  @Test
  void databaseMadeByHandIsLeftAloneUntilAdopted() {
    try (Environment env = loader.open(spec("[]", "[]"))) {
      env.metastore().createDatabase(dev.edx.api.Database.of("legacy"));
    }
    assertThat(loader.apply(spec("[]", "[legacy]"))).extracting(Change::action)
        .containsExactly(Action.NONE);
    assertThat(loader.destroy(spec("[]", "[legacy]"), DataPolicy.PURGE))
        .extracting(Change::action).containsExactly(Action.NONE);

    EnvironmentSpec adopting = spec("[]", "[{name: legacy, adopt: true}]");
    assertThat(loader.apply(adopting)).extracting(Change::action).containsExactly(Action.UPDATE);
    try (Environment env = loader.open(adopting)) {
      assertThat(env.metastore().loadDatabase("legacy").orElseThrow().properties())
          .containsEntry("edx.dev/managed-by", "edx").containsEntry("edx.dev/environment", "dev");
    }
    assertThat(changed(loader.plan(adopting))).isEmpty();
    assertThat(loader.destroy(adopting, DataPolicy.RETAIN)).extracting(Change::action)
        .containsExactly(Action.DELETE);
  }

  @Test
  void driftBehindEdxsBackShowsInThePlan() throws IOException {
    EnvironmentSpec spec = spec("[gha-raw]", "[gha_dm]");
    loader.apply(spec);
    Files.delete(dir.resolve("data/gha-raw"));
    assertThat(changed(loader.plan(spec))).extracting(Change::resource, Change::action)
        .containsExactly(tuple("bucket gha-raw", Action.CREATE));
  }

  @Test
  void removedBucketHoldingDataIsKeptNotDeleted() {
    EnvironmentSpec v1 = spec("[gha-raw, gha-lake]", "[]");
    loader.apply(v1);
    try (Environment env = loader.open(v1)) {
      env.storage().put(ObjectRef.of("gha-raw", "2015/01/01/1.json.gz"), new byte[] {1});
    }
    EnvironmentSpec v2 = spec("[gha-lake]", "[]");
    assertThat(changed(loader.apply(v2))).singleElement().satisfies(c -> {
      assertThat(c.resource()).isEqualTo("bucket gha-raw");
      assertThat(c.action()).isEqualTo(Action.RETAIN);
      assertThat(c.detail()).contains("no longer in the spec, but holds 1 objects");
    });
    assertThat(dir.resolve("data/gha-raw/2015/01/01/1.json.gz")).exists();
  }
}
