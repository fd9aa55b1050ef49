package dev.edx.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Environment;
import dev.edx.api.Partition;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.spi.EnvironmentFactory;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded factory wins over the core's, and its embedded metastore survives restarts. */
class EmbeddedEnvironmentFactoryTest {

  @Test
  void isTheFactoryOfHighestPriority() {
    EnvironmentFactory chosen = ServiceLoader.load(EnvironmentFactory.class).stream()
        .map(ServiceLoader.Provider::get)
        .max(Comparator.comparingInt(EnvironmentFactory::priority)).orElseThrow();

    assertThat(chosen).isInstanceOf(EmbeddedEnvironmentFactory.class);
    assertThat(chosen.priority()).isEqualTo(100);
  }

  @Test
  void aSecondRunSeesTheFirstRunsTablesAndTheServerStopsOnClose(@TempDir Path dir)
      throws Exception {
    TableId id = TableId.of("gha", "events");
    TableDefinition events = TableDefinition.of(id, "file:/tmp/gha/events", "parquet",
        List.of(Column.of("id", "bigint")), List.of(Column.of("day", "string")));
    String url;
    try (Environment first = new EmbeddedEnvironmentFactory().openEmbedded(dir)) {
      first.metastore().createDatabase(Database.of("gha"));
      first.metastore().createTable(events);
      first.metastore().addPartitions(id,
          List.of(Partition.of(List.of("2015-01-01"), "file:/tmp/gha/events/day=2015-01-01")),
          false);
      url = first.toString();
    }
    assertThat(url).doesNotContain(java.nio.file.Files.readString(
        dir.resolve("postgres/edx-password")));
    int port = Integer.parseInt(url.replaceAll(".*127\\.0\\.0\\.1:(\\d+)/.*", "$1"));
    assertThatThrownBy(() -> DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2", "postgres", ""))
        .as("the server stopped with the environment")
        .isInstanceOf(java.sql.SQLException.class);

    try (Environment second = new EmbeddedEnvironmentFactory().openEmbedded(dir)) {
      assertThat(second.metastore().loadTable(id)).hasValueSatisfying(
          t -> assertThat(t.definition()).isEqualTo(events));
      try (Stream<Partition> partitions = second.metastore().listPartitions(id, Map.of())) {
        assertThat(partitions.toList()).extracting(Partition::values)
            .containsExactly(List.of("2015-01-01"));
      }
    }
  }
}
