package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Partition;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code glue} metastore reads GetDatabases, GetTables and GetPartitions through all their
 * pages. Glue pages its answers (GetPartitions up to 1,000 partitions a page); moto answers each
 * in one page, so this runs against a <b>double</b> that pages by {@value LocalGlue#PAGE}
 * ({@link LocalGlue} on {@link LocalJsonEndpoint}).
 */
class GluePagesAgainstDoubleTest {
  private static LocalGlue glue;
  private static LocalJsonEndpoint endpoint;

  @BeforeAll
  static void start() {
    glue = new LocalGlue();
    endpoint = new LocalJsonEndpoint(glue);
  }

  @AfterAll
  static void stop() {
    endpoint.close();
  }

  @Test
  void databasesTablesAndPartitionsAreReadThroughAllPages() {
    try (GlueMetastore metastore = GlueStaleVersionAgainstDoubleTest.open(endpoint, List.of())) {
      List<String> databases = IntStream.range(0, 7).mapToObj(i -> "paged_" + i).toList();
      databases.forEach(d -> metastore.createDatabase(Database.of(d)));
      for (int i = 6; i >= 0; i--) {
        metastore.createTable(TableDefinition.of(TableId.of("paged_0", "t" + i),
            "s3a://lake/t" + i, "parquet", List.of(Column.of("id", "bigint")),
            List.of(Column.of("day", "string"))));
      }
      Map<String, String> days = new LinkedHashMap<>();
      for (int day = 8; day >= 1; day--) {
        days.put("0" + day, "s3://lake/t0/day=0" + day);
      }
      glue.seedPartitions("paged_0", "t0", days);
      endpoint.clearRequests();

      assertThat(metastore.listDatabases()).containsExactlyElementsOf(databases);
      assertThat(metastore.listTables("paged_0")).extracting(TableId::table)
          .containsExactly("t0", "t1", "t2", "t3", "t4", "t5", "t6");
      try (Stream<Partition> partitions = metastore.listPartitions(TableId.of("paged_0", "t0"),
          Map.of())) {
        assertThat(partitions.toList()).extracting(p -> p.values().get(0))
            .containsExactly("01", "02", "03", "04", "05", "06", "07", "08");
      }

      assertThat(endpoint.requests("GetDatabases")).hasSize(3);
      assertThat(endpoint.requests("GetDatabases").get(1).body().get("NextToken").asText())
          .isEqualTo("3");
      assertThat(endpoint.requests("GetTables")).hasSize(3);
      assertThat(endpoint.requests("GetPartitions")).hasSize(3);
    }
  }
}
