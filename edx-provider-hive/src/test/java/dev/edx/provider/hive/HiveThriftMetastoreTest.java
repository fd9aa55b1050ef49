package dev.edx.provider.hive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Partition;
import dev.edx.api.Table;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.exceptions.CommitConflictException;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.exceptions.ProviderException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.LockComponent;
import org.apache.hadoop.hive.metastore.api.LockLevel;
import org.apache.hadoop.hive.metastore.api.LockRequest;
import org.apache.hadoop.hive.metastore.api.LockResponse;
import org.apache.hadoop.hive.metastore.api.LockState;
import org.apache.hadoop.hive.metastore.api.LockType;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.hadoop.hive.metastore.api.UnlockRequest;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the {@code hive} provider writes into a real Hive Metastore (read back with the metastore's
 * own Thrift client, as engines read it), how it keeps optimistic concurrency with the
 * metastore's table lock, and its errors.
 */
@ExtendWith(EmbeddedHive.Resolver.class)
class HiveThriftMetastoreTest {
  private static EmbeddedHive hive;
  private static HiveThriftMetastore metastore;
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private final List<String> databases = new ArrayList<>();

  @BeforeAll
  static void open(EmbeddedHive embedded) {
    hive = embedded;
    metastore = hive.open("test", spec -> spec);
  }

  @AfterAll
  static void close() {
    if (metastore != null) {
      metastore.close();
    }
  }

  @AfterEach
  void dropDatabases() {
    databases.forEach(db -> metastore.dropDatabase(db, true));
  }

  private String newDatabase() {
    String name = "hive_test_" + COUNTER.incrementAndGet();
    metastore.createDatabase(Database.of(name));
    databases.add(name);
    return name;
  }

  private static TableDefinition events(TableId id) {
    return new TableDefinition(id, hive.warehouse().resolve("lake").resolve(id.table()).toUri()
        .toString(), "parquet", List.of(Column.of("id", "bigint"),
            new Column("actor", "struct<id:bigint,login:string>", Optional.of("who")),
            Column.of("created_at", "timestamp")),
        List.of(Column.of("year", "string"), Column.of("month", "string")),
        Map.of("owner", "gha"), Optional.of("GH Archive events"));
  }

  @Test
  void tablesAreHiveExternalParquetTablesWithHiveTypesPartitionKeysAndPartitions()
      throws Exception {
    TableId id = TableId.of(newDatabase(), "events");
    TableDefinition definition = events(id);
    metastore.createTable(definition);
    String location = definition.location() + "/year=2024/month=01";
    metastore.addPartitions(id, List.of(Partition.of(List.of("2024", "01"), location)), false);

    try (RawClient raw = RawClient.connect(hive)) {
      org.apache.hadoop.hive.metastore.api.Table t = raw.api().get_table(id.database(),
          id.table());
      assertThat(t.getTableType()).isEqualTo("EXTERNAL_TABLE");
      assertThat(t.getParameters()).containsEntry("EXTERNAL", "TRUE")
          .containsEntry("owner", "gha").containsEntry("comment", "GH Archive events")
          .containsEntry("edx.version", "1");
      assertThat(t.getSd().getSerdeInfo().getSerializationLib())
          .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
      assertThat(t.getSd().getInputFormat())
          .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
      assertThat(t.getSd().getOutputFormat())
          .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
      // the metastore keeps locations as Hadoop paths: file:///x is file:/x
      assertThat(definition.location()).startsWith("file:///");
      assertThat(t.getSd().getLocation()).isEqualTo(normalized(definition.location()));
      assertThat(t.getSd().getCols()).extracting(FieldSchema::getName, FieldSchema::getType)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("id", "bigint"),
              org.assertj.core.groups.Tuple.tuple("actor", "struct<id:bigint,login:string>"),
              org.assertj.core.groups.Tuple.tuple("created_at", "timestamp"));
      assertThat(t.getPartitionKeys()).extracting(FieldSchema::getName)
          .containsExactly("year", "month");
      org.apache.hadoop.hive.metastore.api.Partition p = raw.api().get_partition(id.database(),
          id.table(), List.of("2024", "01"));
      assertThat(p.getSd().getLocation()).isEqualTo(normalized(location));
      assertThat(p.getSd().getSerdeInfo().getSerializationLib())
          .isEqualTo(t.getSd().getSerdeInfo().getSerializationLib());
      assertThat(raw.api().get_partition_names(id.database(), id.table(), (short) -1))
          .containsExactly("year=2024/month=01");
    }
    // edx reads back what it wrote (the location as stored), without the metastore's own
    // parameters; adding the partition again in the other spelling changes nothing
    assertThat(metastore.loadTable(id)).contains(new Table(new TableDefinition(id,
        normalized(definition.location()), definition.format(), definition.columns(),
        definition.partitionKeys(), definition.properties(), definition.comment()), 1));
    metastore.addPartitions(id, List.of(Partition.of(List.of("2024", "01"), location)), false);
    try (Stream<Partition> listed = metastore.listPartitions(id, Map.of())) {
      assertThat(listed.toList()).containsExactly(Partition.of(List.of("2024", "01"),
          normalized(location)));
    }
  }

  @Test
  void ofTwoConcurrentUpdatesOfOneVersionOneWinsAndTheOtherConflicts() throws Exception {
    TableId id = TableId.of(newDatabase(), "contended");
    TableDefinition definition = events(id);
    metastore.createTable(definition);
    CyclicBarrier bothRead = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Table>> results = new ArrayList<>();
    try {
      for (String writer : List.of("a", "b")) {
        results.add(pool.submit(() -> {
          Table read = metastore.loadTable(id).orElseThrow();
          bothRead.await(30, TimeUnit.SECONDS);
          return metastore.updateTable(withProperty(read.definition(), "writer", writer),
              read.version());
        }));
      }
      int won = 0;
      int conflicted = 0;
      for (Future<Table> f : results) {
        try {
          assertThat(f.get(60, TimeUnit.SECONDS).version()).isEqualTo(2);
          won++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOfSatisfying(CommitConflictException.class, c -> {
            assertThat(c.expectedVersion()).isEqualTo(1);
            assertThat(c.actualVersion()).isEqualTo(2);
          });
          conflicted++;
        }
      }
      assertThat(won).isEqualTo(1);
      assertThat(conflicted).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    Table after = metastore.loadTable(id).orElseThrow();
    assertThat(after.version()).isEqualTo(2);
    assertThat(after.definition().properties().get("writer")).isIn("a", "b");
  }

  @Test
  void anUpdateWaitsForTheTableLockAndGivesUpAfterLockTimeout() throws Exception {
    TableId id = TableId.of(newDatabase(), "locked");
    metastore.createTable(events(id));
    try (HiveThriftMetastore impatient = hive.open("test",
            spec -> spec.set(HiveProperties.LOCK_TIMEOUT.key(), "300ms"));
        RawClient raw = RawClient.connect(hive)) {
      LockComponent component = new LockComponent(LockType.EXCLUSIVE, LockLevel.TABLE,
          id.database());
      component.setTablename(id.table());
      LockResponse held = raw.api().lock(new LockRequest(List.of(component), "other", "host"));
      assertThat(held.getState()).isEqualTo(LockState.ACQUIRED);

      assertThatThrownBy(() -> impatient.updateTable(withProperty(events(id), "k", "v"), 1))
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("update table " + id)
          .hasMessageContaining("lock")
          .hasMessageContaining("lockTimeout");
      assertThat(metastore.loadTable(id).orElseThrow().version()).isEqualTo(1);

      raw.api().unlock(new UnlockRequest(held.getLockid()));
      assertThat(impatient.updateTable(withProperty(events(id), "k", "v"), 1).version())
          .isEqualTo(2);
    }
  }

  @Test
  void partitionValuesHiveEscapesRoundTrip() {
    TableId id = TableId.of(newDatabase(), "odd");
    metastore.createTable(events(id));
    List<Partition> partitions = Stream.of("a/b", "x=y", "50%", "plain").map(v ->
        Partition.of(List.of(v, "01"), hive.warehouse().resolve("odd").resolve(
            HiveTables.escape(v)).toUri().toString())).toList();

    metastore.addPartitions(id, partitions, false);

    try (Stream<Partition> listed = metastore.listPartitions(id, Map.of())) {
      assertThat(listed.toList()).containsExactlyInAnyOrderElementsOf(partitions.stream()
          .map(p -> Partition.of(p.values(), normalized(p.location()))).toList());
    }
    try (Stream<Partition> listed = metastore.listPartitions(id, Map.of("year", "x=y"))) {
      assertThat(listed.map(Partition::values).toList()).containsExactly(List.of("x=y", "01"));
    }
    metastore.dropPartitions(id, List.of(List.of("a/b", "01"), List.of("50%", "01")));
    try (Stream<Partition> listed = metastore.listPartitions(id, Map.of())) {
      assertThat(listed.map(p -> p.values().get(0)).toList()).containsExactly("plain", "x=y");
    }
  }

  @Test
  void anUnreachableMetastoreIsAClearError() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String uri = "thrift://127.0.0.1:" + port;
    try (HiveThriftMetastore nowhere = hive.open("test", spec -> spec
        .set(HiveProperties.THRIFT_URI.key(), uri)
        .set(HiveProperties.CONNECT_TIMEOUT.key(), "500ms"))) {
      assertThatThrownBy(nowhere::listDatabases)
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("Cannot list databases")
          .hasMessageContaining(uri)
          .hasMessageContaining("is it running");
    }
  }

  @Test
  void aBadUriNamesTheKeyAndTheForm() {
    assertThatThrownBy(() -> hive.open("test", spec -> spec
        .set(HiveProperties.THRIFT_URI.key(), "http://127.0.0.1:9083")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("uri")
        .hasMessageContaining("thrift://host:port");
  }

  private static String normalized(String location) {
    return location.replaceFirst("^file:///", "file:/");
  }

  private static TableDefinition withProperty(TableDefinition d, String key, String value) {
    Map<String, String> properties = new java.util.HashMap<>(d.properties());
    properties.put(key, value);
    return new TableDefinition(d.id(), d.location(), d.format(), d.columns(), d.partitionKeys(),
        properties, d.comment());
  }

  /** The metastore's own Thrift client, as an engine's Hive connector uses it. */
  private record RawClient(TSocket socket, ThriftHiveMetastore.Client api)
      implements AutoCloseable {
    static RawClient connect(EmbeddedHive hive) throws Exception {
      java.net.URI uri = java.net.URI.create(hive.uri());
      TSocket socket = new TSocket(uri.getHost(), uri.getPort(), 10_000);
      socket.open();
      return new RawClient(socket, new ThriftHiveMetastore.Client(new TBinaryProtocol(socket)));
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
