package dev.edx.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.Partition;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.core.local.LocalMetastore;
import dev.edx.core.postgres.PostgresMetastore;
import dev.edx.embedded.PostgresEndpoint;
import dev.edx.testkit.BenchmarkReport;
import dev.edx.testkit.EdxTest;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitions added and listed per second by the postgres metastore on the embedded server, with
 * the local (folder) metastore as the peer: GH Archive-shaped hourly partitions (year, month, day,
 * hour), 1,000 at smoke scale and 100,000 at full scale. Asserts counts, never timings.
 */
@EdxTest
class PostgresMetastoreBenchmark {
  private final AtomicInteger tables = new AtomicInteger();

  @Test
  void partitionsAddedAndListedPerSecond(PostgresEndpoint postgres, @TempDir Path folder)
      throws Exception {
    int n = BenchmarkReport.scaled(1_000, 100_000);
    int warmups = BenchmarkReport.scaled(0, 1);
    int runs = BenchmarkReport.scaled(1, 3);
    List<Partition> partitions = hourly(n);
    BenchmarkReport report = BenchmarkReport.named("postgres-metastore");
    try (PostgresMetastore pg = PostgresTesting.open(postgres,
        PostgresTesting.freshDatabase(postgres, "bench"), Map.of())) {
      LocalMetastore local =
          new LocalMetastore(folder.resolve("metastore"), List.of(), "benchmark");
      pg.createDatabase(Database.of("bench"));
      local.createDatabase(Database.of("bench"));

      report.compare("add " + n + " partitions (one call)", "local metastore", warmups, runs, n,
          "partitions", () -> add(pg, partitions), () -> add(local, partitions));

      TableId pgTable = add(pg, partitions);
      TableId localTable = add(local, partitions);
      report.compare("list " + n + " partitions", "local metastore", warmups, runs, n,
          "partitions", () -> list(pg, pgTable, n), () -> list(local, localTable, n));
      report.compare("list one day of " + n + " partitions (filtered)", "local metastore",
          warmups, runs, 24, "partitions",
          () -> listDay(pg, pgTable), () -> listDay(local, localTable));
    }
    report.print();
  }

  /** Creates a fresh table, adds every partition in one call, and checks they are all there. */
  private TableId add(Metastore metastore, List<Partition> partitions) {
    TableId id = TableId.of("bench", "events_" + tables.incrementAndGet());
    metastore.createTable(TableDefinition.of(id, "file:/tmp/edx-bench/" + id.table(), "parquet",
        List.of(Column.of("id", "bigint"), Column.of("payload", "string")),
        List.of(Column.of("year", "string"), Column.of("month", "string"),
            Column.of("day", "string"), Column.of("hour", "string"))));
    metastore.addPartitions(id, partitions, false);
    return id;
  }

  private static long list(Metastore metastore, TableId id, int expected) {
    long count;
    try (Stream<Partition> stream = metastore.listPartitions(id, Map.of())) {
      count = stream.count();
    }
    assertThat(count).isEqualTo(expected);
    return count;
  }

  private static long listDay(Metastore metastore, TableId id) {
    long count;
    try (Stream<Partition> stream = metastore.listPartitions(id,
        Map.of("year", "2011", "month", "03", "day", "01"))) {
      count = stream.count();
    }
    assertThat(count).isEqualTo(24);
    return count;
  }

  private static List<Partition> hourly(int n) {
    LocalDateTime start = LocalDateTime.of(2011, 2, 12, 0, 0);
    return IntStream.range(0, n).mapToObj(i -> {
      LocalDateTime t = start.plusHours(i);
      List<String> values = List.of(String.valueOf(t.getYear()),
          String.format("%02d", t.getMonthValue()), String.format("%02d", t.getDayOfMonth()),
          String.format("%02d", t.getHour()));
      return Partition.of(values, "file:/tmp/edx-bench/events/year=" + values.get(0) + "/month="
          + values.get(1) + "/day=" + values.get(2) + "/hour=" + values.get(3));
    }).toList();
  }
}
