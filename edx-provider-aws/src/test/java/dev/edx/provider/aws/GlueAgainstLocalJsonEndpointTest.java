package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Column;
import dev.edx.api.Metastore;
import dev.edx.api.Partition;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.exceptions.AccessDeniedException;
import dev.edx.api.exceptions.CommitConflictException;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.MetastoreContract;
import dev.edx.toolkit.Specs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metastore contract, and the request shapes, batching, pagination and error mapping, of the
 * {@code glue} provider: the real SDK {@code GlueClient} against a <b>local HTTP endpoint speaking
 * Glue's JSON 1.1 protocol</b> ({@link LocalGlue} on {@link LocalJsonEndpoint}), not against AWS.
 * No Glue runs here.
 */
class GlueAgainstLocalJsonEndpointTest extends MetastoreContract<GlueMetastore> {
  private static LocalJsonEndpoint endpoint;
  private static GlueMetastore metastore;

  @BeforeAll
  static void start() {
    endpoint = new LocalJsonEndpoint(new LocalGlue());
    metastore = open("test", b -> b);
  }

  @AfterAll
  static void stop() {
    metastore.close();
    endpoint.close();
  }

  static GlueMetastore open(String environment, UnaryOperator<ServiceSpec.Builder> more) {
    return open(endpoint, environment, more);
  }

  /** The {@code glue} metastore of {@code environment} on a local endpoint. */
  static GlueMetastore open(LocalJsonEndpoint endpoint, String environment,
      UnaryOperator<ServiceSpec.Builder> more) {
    MetastoreProvider provider = ServiceLoader.load(MetastoreProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("glue"))
        .findFirst().orElseThrow();
    ServiceSpec.Builder spec = ServiceSpec.builder("metastore", "glue")
        .set(AwsProperties.ENDPOINT.key(), endpoint.uri().toString())
        .set(AwsProperties.REGION.key(), "eu-west-1")
        .set(AwsProperties.RETRY_BASE_DELAY.key(), "10ms")
        .setSensitive(AwsProperties.ACCESS_KEY_ID.key(), "AKIDEXAMPLE")
        .setSensitive(AwsProperties.SECRET_ACCESS_KEY.key(), "local-endpoint-secret-key");
    Metastore created = Specs.create(provider, more.apply(spec).build(),
        new TestContext(environment));
    return (GlueMetastore) created;
  }

  @Override
  protected GlueMetastore metastore() {
    return metastore;
  }

  private TableId partitioned() {
    TableId id = TableId.of(newDatabase(), "events");
    metastore.createTable(new TableDefinition(id, "s3a://lake/events", "parquet",
        List.of(Column.of("id", "bigint"), Column.of("actor", "struct<login:string>")),
        List.of(Column.of("year", "string"), Column.of("hour", "string")), Map.of(),
        Optional.empty()));
    return id;
  }

  @Test
  void tablesAreParquetExternalTablesWithAHiveStorageDescriptor() {
    TableId id = partitioned();
    var request = endpoint.requests("CreateTable").get(endpoint.requests("CreateTable").size() - 1);

    assertThat(request.header("X-Amz-Target")).isEqualTo("AWSGlue.CreateTable");
    var input = request.body().get("TableInput");
    assertThat(input.get("Name").asText()).isEqualTo("events");
    assertThat(input.get("TableType").asText()).isEqualTo("EXTERNAL_TABLE");
    assertThat(input.get("Parameters").get("classification").asText()).isEqualTo("parquet");
    var sd = input.get("StorageDescriptor");
    assertThat(sd.get("Location").asText()).isEqualTo("s3a://lake/events");
    assertThat(sd.get("InputFormat").asText())
        .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
    assertThat(sd.get("SerdeInfo").get("SerializationLibrary").asText())
        .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
    assertThat(sd.get("Columns").get(1).get("Type").asText()).isEqualTo("struct<login:string>");
    assertThat(input.get("PartitionKeys").get(0).get("Name").asText()).isEqualTo("year");
    assertThat(metastore.loadTable(id).orElseThrow().definition().format()).isEqualTo("parquet");
  }

  @Test
  void partitionsAreCreatedInChunksOf100ListedThroughPagesAndDeletedInChunksOf25() {
    TableId id = partitioned();
    List<Partition> partitions = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      String year = String.valueOf(2000 + i / 24);
      String hour = String.format("%02d", i % 24);
      partitions.add(Partition.of(List.of(year, hour), "s3a://lake/events/year=" + year
          + "/hour=" + hour));
    }
    endpoint.clearRequests();

    metastore.addPartitions(id, partitions, false);

    var creates = endpoint.requests("BatchCreatePartition");
    assertThat(creates).extracting(r -> r.body().get("PartitionInputList").size())
        .containsExactly(100, 100, 50);
    var first = creates.get(0).body().get("PartitionInputList").get(0);
    assertThat(first.get("StorageDescriptor").get("Location").asText())
        .isEqualTo("s3a://lake/events/year=2000/hour=00");
    assertThat(first.get("StorageDescriptor").get("SerdeInfo").get("SerializationLibrary")
        .asText()).endsWith("ParquetHiveSerDe");

    endpoint.clearRequests();
    try (Stream<Partition> listed = metastore.listPartitions(id, Map.of("year", "2001"))) {
      assertThat(listed.map(p -> p.values().get(1)).toList()).hasSize(24).isSorted();
    }
    var gets = endpoint.requests("GetPartitions");
    assertThat(gets.size()).isGreaterThan(1);
    assertThat(gets.get(0).body().get("Expression").asText()).isEqualTo("year = '2001'");

    endpoint.clearRequests();
    metastore.dropPartitions(id, partitions.stream().map(Partition::values).toList());
    assertThat(endpoint.requests("BatchDeletePartition")).hasSize(10);
    try (Stream<Partition> listed = metastore.listPartitions(id, Map.of())) {
      assertThat(listed).isEmpty();
    }
  }

  @Test
  void updateSendsTheGlueVersionIdAndAConcurrentModificationIsAConflict() {
    TableId id = partitioned();
    var table = metastore.loadTable(id).orElseThrow();
    endpoint.clearRequests();
    endpoint.failNext("UpdateTable", 1, "ConcurrentModificationException", 400,
        "Update table failed due to concurrent modifications.");

    assertThatThrownBy(() -> metastore.updateTable(table.definition(), table.version()))
        .isInstanceOfSatisfying(CommitConflictException.class,
            e -> assertThat(e.expectedVersion()).isEqualTo(1))
        .hasMessageContaining(id.toString());
    assertThat(endpoint.requests("UpdateTable")).hasSize(1)
        .allSatisfy(r -> assertThat(r.body().get("VersionId").asText()).isEqualTo("0"));
  }

  @Test
  void throttlingIsRetriedWithBackoff() {
    String db = newDatabase();
    endpoint.clearRequests();
    endpoint.failNext("GetTables", 4, "ThrottlingException", 400, "Rate exceeded");

    assertThat(metastore.listTables(db)).isEmpty();
    assertThat(endpoint.requests("GetTables")).hasSize(5);
  }

  @Test
  void otherErrorsAreMapped() {
    endpoint.failNext("GetDatabases", 1, "AccessDeniedException", 400,
        "User is not authorized to perform: glue:GetDatabases");
    assertThatThrownBy(metastore::listDatabases).isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("Cannot list databases")
        .hasMessageNotContaining("local-endpoint-secret-key");
  }
}
