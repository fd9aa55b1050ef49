package dev.edx.core.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Partition;
import dev.edx.api.Table;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import dev.edx.toolkit.DeclaredResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMetastoreTest {
  @TempDir
  Path folder;

  private static TableDefinition events(String db) {
    return TableDefinition.of(TableId.of(db, "events"), "file:/lake/events", "parquet",
        List.of(Column.of("id", "bigint")), List.of(Column.of("year", "string")));
  }

  @Test
  void aSecondInstanceOnTheSameFolderSeesTheFirstsMetadata() throws IOException {
    LocalMetastore first = new LocalMetastore(folder, List.of(), "test");
    first.createDatabase(Database.of("gha"));
    Table created = first.createTable(events("gha"));
    Table updated = first.updateTable(created.definition(), created.version());
    first.addPartitions(created.id(), List.of(Partition.of(List.of("2024"), "file:/lake/2024"),
        Partition.of(List.of("2015"), "file:/lake/2015")), false);

    LocalMetastore second = new LocalMetastore(folder, List.of(), "test");

    assertThat(second.listDatabases()).containsExactly("gha");
    assertThat(second.loadTable(created.id())).contains(updated);
    try (Stream<Partition> partitions = second.listPartitions(created.id(), Map.of())) {
      assertThat(partitions).containsExactly(Partition.of(List.of("2015"), "file:/lake/2015"),
          Partition.of(List.of("2024"), "file:/lake/2024"));
    }
    try (Stream<Path> files = Files.list(folder.resolve("gha"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "database.json", "events.table.json", "events.partitions.json");
    }
  }

  @Test
  void dropTableLeavesTheDataAlone() throws IOException {
    Path data = Files.createDirectories(folder.resolve("lake/events"));
    Files.writeString(data.resolve("part-0.parquet"), "data");
    LocalMetastore metastore = new LocalMetastore(folder.resolve("meta"), List.of(), "test");
    metastore.createDatabase(Database.of("gha"));
    metastore.createTable(TableDefinition.of(TableId.of("gha", "events"), data.toUri().toString(),
        "parquet", List.of(Column.of("id", "bigint")), List.of()));

    metastore.dropTable(TableId.of("gha", "events"));
    metastore.dropDatabase("gha", false);

    assertThat(data.resolve("part-0.parquet")).hasContent("data");
  }

  @Test
  void destroyRetainsDatabasesWithTablesUnlessPurged() {
    LocalMetastore metastore = new LocalMetastore(folder, declared("gha_dm", "scratch"), "test");
    metastore.apply();
    metastore.createTable(events("gha_dm"));

    List<Change> retained = metastore.destroy(DataPolicy.RETAIN);

    assertThat(retained).containsExactly(
        new Change("metastore", "database gha_dm", Action.RETAIN, "kept: holds 1 table(s)"
            + " (metadata only: their data stays in storage) (destroy with purge to delete them)"),
        new Change("metastore", "database scratch", Action.DELETE, "was empty"));
    assertThat(metastore.listDatabases()).containsExactly("gha_dm");
    assertThat(metastore.loadTable(TableId.of("gha_dm", "events"))).isPresent();

    List<Change> purged = metastore.destroy(DataPolicy.PURGE);

    assertThat(purged).extracting(Change::action).containsExactly(Action.DELETE, Action.NONE);
    assertThat(purged.get(0).detail()).contains("1 table(s)");
    assertThat(metastore.listDatabases()).isEmpty();
  }

  private static List<DeclaredResource> declared(String... names) {
    return java.util.Arrays.stream(names).map(n -> new DeclaredResource(n, false)).toList();
  }
}
