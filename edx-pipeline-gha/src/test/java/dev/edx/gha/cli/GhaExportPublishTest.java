package dev.edx.gha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edx.api.Environment;
import dev.edx.core.EnvironmentLoader;
import dev.edx.core.EnvironmentSpec;
import dev.edx.embedded.PostgresEndpoint;
import dev.edx.gha.Hour;
import dev.edx.gha.Results;
import dev.edx.gha.demo.GhArchiveGenerator;
import dev.edx.gha.publish.EventPublisher;
import dev.edx.testkit.EdxTest;
import dev.edx.testkit.KafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edx gha export} and {@code edx gha publish} on real servers: the pipeline runs on a local
 * spec whose data stores are a database of the run's embedded PostgreSQL ({@code warehouse},
 * provider jdbc) and the run's in-JVM KRaft broker ({@code events}, provider kafka); the counts in
 * the stores equal the tables' (read through {@code edx sql}'s engine), and re-runs neither double
 * nor lose rows or events.
 */
@EdxTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GhaExportPublishTest {
  private static final List<Hour> HOURS = Hour.range(Hour.parse("2015-01-01T22"),
      Hour.parse("2015-01-02T01"));
  @TempDir
  static Path dir;
  private static Path spec;
  private static String warehouseUrl;
  private static PostgresEndpoint postgres;
  private static KafkaBroker broker;

  @BeforeAll
  static void pipelineRanOnASpecWithDataStores(PostgresEndpoint endpoint, KafkaBroker kafka)
      throws Exception {
    postgres = endpoint;
    broker = kafka;
    warehouseUrl = endpoint.createDatabase("edxt_gha_wh_" + ProcessHandle.current().pid());
    Path source = Files.createDirectories(dir.resolve("source"));
    for (Hour hour : HOURS) {
      Files.write(source.resolve(hour.fileName()), GhArchiveGenerator.gzip(hour, 400));
    }
    spec = dataStoresSpec(dir, "gha-stores", endpoint, warehouseUrl, kafka, "gha.events");
    Run run = edx("gha", "run", "--env", spec.toString(), "--source", source.toString(),
        "--from", HOURS.get(0).toString(), "--to", HOURS.get(HOURS.size() - 1).toString());
    assertThat(run.code).as(run.out).isZero();
  }

  /**
   * A local spec (folders under {@code dir}) declaring the data stores {@code warehouse} (a
   * database of {@code postgres}, schema {@code gha_dm}) and {@code events} (the broker, with
   * {@code topic} in 3 partitions), applied.
   */
  static Path dataStoresSpec(Path dir, String name, PostgresEndpoint postgres, String url,
      KafkaBroker kafka, String topic) throws Exception {
    return dataStoresSpecFile(dir.resolve("env.yaml"), "{name: " + name + "}", postgres, url,
        kafka, topic);
  }

  /** The same, written to {@code file} with {@code metadata} (a name prefix, say). */
  static Path dataStoresSpecFile(Path file, String metadata, PostgresEndpoint postgres, String url,
      KafkaBroker kafka, String topic) throws Exception {
    Path dir = file.getParent();
    Files.writeString(dir.resolve("pg-password"), postgres.password());
    Files.writeString(file, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: %s
        spec:
          secrets:   {provider: local, directory: data/secrets}
          storage:   {provider: local, root: data/objects}
          metastore: {provider: local, directory: data/metastore}
          compute:   {provider: local, threads: 2}
          datastores:
            warehouse:
              provider: jdbc
              dialect: postgresql
              url: "%s"
              user: %s
              password: "${file:pg-password}"
              schemas: [gha_dm]
            events:
              provider: kafka
              bootstrapServers: "%s"
              topics: [{name: %s, partitions: 3}]
        """.formatted(metadata, url, postgres.user(), kafka.bootstrapServers(), topic));
    EnvironmentLoader.builder().build().apply(EnvironmentSpec.parse(file));
    return file;
  }

  record Run(int code, String out) {}

  static Run edx(String... args) {
    StringWriter out = new StringWriter();
    int code = GhaCli.run(args, new PrintWriter(out, true), new PrintWriter(out, true));
    return new Run(code, out.toString());
  }

  /** Rows, pushes, commits and stars of repo_daily per day, as the datamart table has them. */
  private static Map<String, List<String>> tableDays() throws Exception {
    return tableDays(spec);
  }

  private static Map<String, List<String>> tableDays(Path spec) throws Exception {
    try (Environment env = GhaCli.factory().open(spec)) {
      SqlEngine.Rows rows = SqlEngine.query(env, "SELECT year || '-' || month || '-' || day,"
          + " count(*), sum(pushes), sum(commits_pushed), sum(stars), count(DISTINCT repo)"
          + " FROM gha_dm.repo_daily GROUP BY ALL");
      Map<String, List<String>> days = new TreeMap<>();
      rows.rows().forEach(r -> days.put(r.get(0), r.subList(1, r.size())));
      return days;
    }
  }

  /** The same figures from the warehouse's table. */
  private static Map<String, List<String>> warehouseDays(String table) throws Exception {
    Map<String, List<String>> days = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(warehouseUrl, postgres.user(),
        postgres.password()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT year || '-' || month || '-' || day, count(*),"
            + " sum(pushes), sum(commits_pushed), sum(stars), count(DISTINCT repo) FROM "
            + table + " GROUP BY 1")) {
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
          row.add(rs.getString(i));
        }
        days.put(rs.getString(1), row);
      }
    }
    return days;
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(warehouseUrl, postgres.user(),
        postgres.password()); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Test
  @Order(1)
  void exportLoadsTheTableByCopyWithTheTablesCountsAndAReRunReplacesEachPartition()
      throws Exception {
    Map<String, List<String>> expected = tableDays();
    assertThat(expected).hasSize(2); // 2015-01-01 and 2015-01-02: two partitions

    Run first = edx("gha", "export", "--env", spec.toString(), "--table", "gha_dm.repo_daily",
        "--store", "warehouse");
    assertThat(first.code).as(first.out).isZero();
    assertThat(first.out).contains("(copy)").contains("year=2015/month=01/day=01");
    assertThat(warehouseDays("gha_dm.repo_daily")).isEqualTo(expected);

    // A stray row in an exported partition goes; a row of another partition stays.
    sql("INSERT INTO gha_dm.repo_daily (year, month, day, repo, pushes) VALUES"
        + " (2015, 1, 1, 'stray/row', 1), (2014, 12, 31, 'other/partition', 1)");
    Run again = edx("gha", "export", "--env", spec.toString(), "--table", "gha_dm.repo_daily",
        "--store", "warehouse");
    assertThat(again.code).as(again.out).isZero();
    Map<String, List<String>> after = warehouseDays("gha_dm.repo_daily");
    assertThat(after).containsAllEntriesOf(expected).containsKey("2014-12-31").hasSize(3);
  }

  @Test
  @Order(2)
  void batchedInsertsLoadTheSameRows() throws Exception {
    Run run = edx("gha", "export", "--env", spec.toString(), "--table", "gha_dm.repo_daily",
        "--store", "warehouse", "--name", "repo_daily_inserted", "--method", "insert");
    assertThat(run.code).as(run.out).isZero();
    assertThat(run.out).contains("(insert)");
    assertThat(warehouseDays("gha_dm.repo_daily_inserted")).isEqualTo(tableDays());
  }

  @Test
  @Order(3)
  void exportFailsClearlyOnAMissingSchemaTableOrStore() {
    Run schema = edx("gha", "export", "--env", spec.toString(), "--table", "gha_dm.repo_daily",
        "--store", "warehouse", "--schema", "nowhere");
    assertThat(schema.code).isEqualTo(1);
    assertThat(schema.out).contains("no schema 'nowhere'")
        .contains("spec.datastores.warehouse.schemas").doesNotContain("\tat ");
    Run table = edx("gha", "export", "--env", spec.toString(), "--table", "gha_dm.nope",
        "--store", "warehouse");
    assertThat(table.code).isEqualTo(1);
    assertThat(table.out).contains("no such table");
    Run store = edx("gha", "export", "--env", spec.toString(), "--table", "gha_dm.repo_daily",
        "--store", "events");
    assertThat(store.code).isEqualTo(1);
    assertThat(store.out).contains("as a RelationalStore");
    Run usage = edx("gha", "export", "--env", spec.toString(), "--table", "repo_daily",
        "--store", "warehouse");
    assertThat(usage.code).isEqualTo(CommandLines.USAGE);
  }

  @Test
  @Order(4)
  void publishSendsEachHourOnceForACommittedReaderEvenAfterACrashedAttempt() throws Exception {
    Map<String, Long> perHour = new TreeMap<>();
    try (Environment env = GhaCli.factory().open(spec)) {
      SqlEngine.query(env, "SELECT year, month, day, hour, count(*) FROM gha.events GROUP BY ALL")
          .rows().forEach(r -> perHour.put(Hour.of(Integer.parseInt(r.get(0)),
              Integer.parseInt(r.get(1)), Integer.parseInt(r.get(2)),
              Integer.parseInt(r.get(3))).toString(), Long.parseLong(r.get(4))));
    }
    long total = perHour.values().stream().mapToLong(Long::longValue).sum();
    assertThat(perHour).hasSize(HOURS.size());

    // A run that died in its transaction: 5 records sent, never committed.
    Properties p = new Properties();
    p.putAll(broker.clientProperties());
    p.put("transactional.id", EventPublisher.transactionalId("gha.events", HOURS.get(0)));
    p.put("key.serializer", StringSerializer.class);
    p.put("value.serializer", StringSerializer.class);
    try (KafkaProducer<String, String> crashed = new KafkaProducer<>(p)) {
      crashed.initTransactions();
      crashed.beginTransaction();
      for (int i = 0; i < 5; i++) {
        crashed.send(new ProducerRecord<>("gha.events", "crashed/run", "{}"));
      }
      crashed.flush();
    }

    Run first = edx("gha", "publish", "--env", spec.toString(), "--store", "events",
        "--from", HOURS.get(0).toString(), "--to", HOURS.get(HOURS.size() - 1).toString());
    assertThat(first.code).as(first.out).isZero();
    assertThat(first.out).contains("published " + total + " events of 4 hour(s)");
    Map<String, Long> committed = read("read_committed");
    assertThat(committed.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
    assertThat(committed).doesNotContainKey("crashed/run");
    // The limit, shown: a reader of uncommitted data also sees the aborted attempt's records.
    assertThat(read("read_uncommitted")).containsEntry("crashed/run", 5L);

    Run again = edx("gha", "publish", "--env", spec.toString(), "--store", "events",
        "--from", HOURS.get(0).toString(), "--to", HOURS.get(HOURS.size() - 1).toString());
    assertThat(again.code).as(again.out).isZero();
    assertThat(again.out).contains("already-published").contains("published 0 events");
    assertThat(read("read_committed")).isEqualTo(committed);

    Run missing = edx("gha", "publish", "--env", spec.toString(), "--store", "events",
        "--from", "2015-01-03T00", "--topic", "not.declared");
    assertThat(missing.code).isEqualTo(1);
    assertThat(missing.out).contains("topic not.declared").contains("does not exist")
        .contains("spec.datastores.events.topics");
  }

  @Test
  @Order(5)
  void exportAndPublishRunUnchangedOnAPrefixedCopyOfTheEnvironment() throws Exception {
    // The same spec with metadata.namePrefix, on the same servers: its own schema and topics.
    Path copy = dataStoresSpecFile(dir.resolve("env-pr7.yaml"), "{name: pr7, namePrefix: pr7}",
        postgres, warehouseUrl, broker, "gha.events");
    Hour hour = HOURS.get(0);
    Run run = edx("gha", "run", "--env", copy.toString(), "--source",
        dir.resolve("source").toString(), "--from", hour.toString());
    assertThat(run.code).as(run.out).isZero();
    Map<String, List<String>> base = warehouseDays("gha_dm.repo_daily");

    Run export = edx("gha", "export", "--env", copy.toString(), "--table", "gha_dm.repo_daily",
        "--store", "warehouse");
    assertThat(export.code).as(export.out).isZero();
    assertThat(export.out).contains("pr7_gha_dm.repo_daily");
    assertThat(warehouseDays("pr7_gha_dm.repo_daily")).isEqualTo(tableDays(copy)).hasSize(1);
    assertThat(warehouseDays("gha_dm.repo_daily")).as("the base's table").isEqualTo(base);

    long events;
    try (Environment env = GhaCli.factory().open(copy)) {
      events = Long.parseLong(SqlEngine.query(env, "SELECT count(*) FROM gha.events")
          .rows().get(0).get(0));
    }
    Run publish = edx("gha", "publish", "--env", copy.toString(), "--store", "events",
        "--from", hour.toString());
    assertThat(publish.code).as(publish.out).isZero();
    assertThat(publish.out).contains("published " + events + " events of 1 hour(s)");
    assertThat(read(broker, "pr7.gha.events", "read_committed").values().stream()
        .mapToLong(Long::longValue).sum()).isEqualTo(events);
    try (Admin admin = Admin.create(broker.clientProperties())) {
      assertThat(admin.listTopics().names().get()).contains("pr7.edx.gha.published",
          "edx.gha.published");
    }
    // The base's marker does not count for the copy, nor the copy's for the base: the base
    // published this hour in test 4, and the copy published it again to its own topic.
    Run again = edx("gha", "publish", "--env", copy.toString(), "--store", "events",
        "--from", hour.toString());
    assertThat(again.out).contains("already-published");
  }

  /** Every record of gha.events: key (repository) to count. */
  private static Map<String, Long> read(String isolation) throws Exception {
    return read(broker, "gha.events", isolation);
  }

  /** Every record of {@code topic}: key to count; each value's repo.name is its key. */
  static Map<String, Long> read(KafkaBroker broker, String topic, String isolation)
      throws Exception {
    Properties p = new Properties();
    p.putAll(broker.clientProperties());
    p.put("isolation.level", isolation);
    p.put("key.deserializer", StringDeserializer.class);
    p.put("value.deserializer", StringDeserializer.class);
    Map<String, Long> keys = new HashMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      assertThat(partitions).hasSize(3);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("read to the end in time").isLessThan(deadline);
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          keys.merge(String.valueOf(r.key()), 1L, Long::sum);
          if (!"crashed/run".equals(r.key())) {
            JsonNode event = Results.JSON.readTree(r.value());
            assertThat(event.path("repo").path("name").asText(null)).isEqualTo(r.key());
            // payload is JSON in the record, not JSON text (null where the event has none)
            assertThat(event.path("payload").isObject() || event.path("payload").isNull())
                .as("payload of %s", event.path("id")).isTrue();
          }
        }
      }
    }
    return keys;
  }
}
