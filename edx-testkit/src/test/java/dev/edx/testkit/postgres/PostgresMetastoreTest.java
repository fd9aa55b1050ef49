package dev.edx.testkit.postgres;

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
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.core.postgres.PostgresMetastore;
import dev.edx.core.postgres.PostgresMetastoreProvider;
import dev.edx.embedded.PostgresEndpoint;
import dev.edx.testkit.EdxTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the postgres metastore adds to the contract: concurrency at scale, SQL, provisioning. */
@EdxTest
class PostgresMetastoreTest {
  private static PostgresEndpoint postgres;
  private static String jdbcUrl;
  private static PostgresMetastore metastore;

  @BeforeAll
  static void open(PostgresEndpoint server) {
    postgres = server;
    jdbcUrl = PostgresTesting.freshDatabase(server, "metastore");
    metastore = PostgresTesting.open(server, jdbcUrl, Map.of());
  }

  @AfterAll
  static void close() {
    metastore.close();
  }

  @Test
  void eightThreadsAddingAThousandPartitionsEachEndWithExactly8000() throws Exception {
    TableId id = partitionedTable("concurrent_adds");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CyclicBarrier start = new CyclicBarrier(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        String writer = String.format("w%d", t);
        futures.add(pool.submit(() -> {
          List<Partition> mine = IntStream.range(0, 1_000)
              .mapToObj(i -> partition(id, writer, String.format("%04d", i))).toList();
          start.await();
          metastore.addPartitions(id, mine, false);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(count(id, Map.of())).isEqualTo(8_000);
    assertThat(count(id, Map.of("year", "w3"))).isEqualTo(1_000);
  }

  @Test
  void twoConflictingAltersOfOneTableOneWinsTheOtherConflicts() throws Exception {
    TableId id = partitionedTable("conflicting_alters");
    Table read = metastore.loadTable(id).orElseThrow();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Table>> futures = new ArrayList<>();
    try {
      for (String writer : List.of("alice", "bob")) {
        futures.add(pool.submit(() -> {
          start.await();
          return metastore.updateTable(withProperty(read.definition(), "owner", writer),
              read.version());
        }));
      }
      start.countDown();
      List<Table> won = new ArrayList<>();
      List<Throwable> lost = new ArrayList<>();
      for (Future<Table> f : futures) {
        try {
          won.add(f.get(1, TimeUnit.MINUTES));
        } catch (java.util.concurrent.ExecutionException e) {
          lost.add(e.getCause());
        }
      }

      assertThat(won).hasSize(1);
      assertThat(lost).singleElement().isInstanceOfSatisfying(CommitConflictException.class,
          e -> assertThat(e.actualVersion()).isEqualTo(2));
      assertThat(metastore.loadTable(id)).contains(won.get(0));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tenThousandPartitionsAreAddedInChunksAndListedInPagesInOrder() {
    PostgresMetastore small = PostgresTesting.open(postgres, jdbcUrl, Map.of("batchSize", 999));
    try {
      TableId id = partitionedTable("bulk");
      List<Partition> all = IntStream.range(0, 10_000)
          .mapToObj(i -> partition(id, String.valueOf(2000 + i / 100),
              String.format("%02d", i % 100)))
          .toList();
      List<Partition> shuffled = new ArrayList<>(all);
      java.util.Collections.shuffle(shuffled, new java.util.Random(7));

      small.addPartitions(id, shuffled, false);
      small.addPartitions(id, shuffled, false); // idempotent

      List<Partition> listed;
      try (Stream<Partition> stream = small.listPartitions(id, Map.of())) {
        listed = stream.toList();
      }
      assertThat(listed).containsExactlyElementsOf(all);
      try (Stream<Partition> stream = small.listPartitions(id, Map.of("month", "42"))) {
        assertThat(stream.map(p -> p.values().get(0)).toList())
            .hasSize(100).startsWith("2000", "2001").endsWith("2099");
      }
      try (Stream<Partition> stream = small.listPartitions(id,
          Map.of("year", "2050", "month", "07"))) {
        assertThat(stream.toList()).containsExactly(partition(id, "2050", "07"));
      }
    } finally {
      small.close();
    }
  }

  @Test
  void aConflictInALaterChunkWritesNothing() {
    TableId id = partitionedTable("atomic_adds");
    metastore.addPartitions(id, List.of(partition(id, "2024", "99")), false);
    List<Partition> batch = new ArrayList<>();
    IntStream.range(0, 2_500).forEach(i -> batch.add(partition(id, "2023", "m" + i)));
    batch.add(Partition.of(List.of("2024", "99"), "file:/elsewhere"));

    assertThatThrownBy(() -> metastore.addPartitions(id, batch, false))
        .isInstanceOf(CommitConflictException.class)
        .hasMessageContaining("[2024, 99]").hasMessageContaining("file:/elsewhere");

    assertThat(count(id, Map.of())).isEqualTo(1);
  }

  @Test
  void injectionLikeNamesAreRejectedBeforeAnySqlRuns() {
    String db = "injection_" + ProcessHandle.current().pid();
    metastore.createDatabase(Database.of(db));

    assertThatThrownBy(() -> TableId.of(db, "x'; drop table"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid table name 'x'; drop table': Hive identifiers are a letter or '_'"
            + " followed by letters, digits or '_' (at most 128 characters)");
    assertThatThrownBy(() -> metastore.loadDatabase("x'; drop schema edx_metastore cascade; --"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid database name");
    // Values are data, bound as parameters: they may hold quotes.
    TableId id = partitionedTable("quoted_values");
    Partition quoted = partition(id, "x'; drop table tables; --", "\"");
    metastore.addPartitions(id, List.of(quoted), false);

    assertThat(count(id, Map.of("year", "x'; drop table tables; --"))).isEqualTo(1);
    assertThat(metastore.listDatabases()).contains(db);
  }

  @Test
  void migrationsAreIdempotent() throws Exception {
    String url = PostgresTesting.freshDatabase(postgres, "migrations");
    PostgresTesting.open(postgres, url, Map.of()).close();
    try (PostgresMetastore again = PostgresTesting.open(postgres, url, Map.of())) {
      assertThat(again.plan()).first().satisfies(change -> {
        assertThat(change.resource()).isEqualTo("schema edx_metastore");
        assertThat(change.action()).isEqualTo(Change.Action.NONE);
      });
    }
    try (Connection c = DriverManager.getConnection(url, postgres.user(), postgres.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM edx_metastore.flyway_schema_history"
            + " WHERE success AND type = 'SQL'")) {
      r.next();
      assertThat(r.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void provisionerCreatesSchemaAndDatabasesAndDestroysThemByPolicy() {
    String url = PostgresTesting.freshDatabase(postgres, "provisioner");
    Map<String, Object> settings = Map.of("migrate", false, "schema", "edx_prov",
        "databases", List.of("gha_dm", "gha_raw"));
    try (PostgresMetastore m = PostgresTesting.open(postgres, url, settings)) {
      assertThat(m.plan()).extracting(Change::action).containsExactly(
          Change.Action.CREATE, Change.Action.CREATE, Change.Action.CREATE);
      assertThat(m.apply()).extracting(Change::toString).containsExactly(
          "CREATE metastore schema edx_prov (1 migration(s), now at version 1)",
          "CREATE metastore database gha_dm (in schema edx_prov)",
          "CREATE metastore database gha_raw (in schema edx_prov)");
      assertThat(m.apply()).extracting(Change::action).containsOnly(Change.Action.NONE);
      m.createTable(TableDefinition.of(TableId.of("gha_dm", "events"), "file:/tmp/events",
          "parquet", List.of(Column.of("id", "bigint")), List.of()));

      assertThat(m.destroy(DataPolicy.RETAIN)).extracting(Change::toString).containsExactly(
          "RETAIN metastore database gha_dm (kept: holds 1 table(s) (metadata only: their data"
              + " stays in storage) (destroy with purge to delete them))",
          "DELETE metastore database gha_raw (was empty)",
          "RETAIN metastore schema edx_prov (holds database(s) [gha_dm])");
      assertThat(m.loadTable(TableId.of("gha_dm", "events"))).isPresent();

      assertThat(m.destroy(DataPolicy.PURGE)).extracting(Change::toString).containsExactly(
          "DELETE metastore database gha_dm (purged with its 1 table(s) (metadata only: their"
              + " data stays in storage))",
          "NONE metastore database gha_raw (does not exist)",
          "DELETE metastore schema edx_prov (no database left in it)");
      assertThat(m.plan()).extracting(Change::action).containsExactly(
          Change.Action.CREATE, Change.Action.CREATE, Change.Action.CREATE);
    }
  }

  @Test
  void thePasswordNeverShowsInMessagesLogsOrToString() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    String wrong = "wrong-" + postgres.password();
    ServiceSpec good = PostgresTesting.spec(postgres, jdbcUrl).build();
    ServiceSpec bad = PostgresTesting.spec(postgres, jdbcUrl)
        .setSensitive("password", wrong).set("connectTimeout", "5s").build();
    try {
      String opened;
      try (PostgresMetastore m = PostgresTesting.open(good)) {
        opened = m + " " + good;
      }
      assertThatThrownBy(() -> PostgresTesting.open(bad))
          .isInstanceOf(ProviderException.class)
          .hasMessageStartingWith("Cannot connect to " + jdbcUrl + " as user " + postgres.user()
              + ": ")
          .hasMessageContaining("password authentication failed")
          .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(postgres.password()));
      assertThat(opened).doesNotContain(postgres.password()).contains("password=****");
    } finally {
      System.setErr(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("Postgres metastore on " + jdbcUrl)
        .doesNotContain(postgres.password());
  }

  @Test
  void settingsAreCheckedAndNameTheirKey() {
    PostgresMetastoreProvider provider = new PostgresMetastoreProvider();
    assertThat(provider.sensitivePropertyNames()).containsExactly("password");

    assertThatThrownBy(() -> PostgresTesting.open(postgres, jdbcUrl, Map.of("pool", 2)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.metastore.pool").hasMessageContaining("poolSize");
    assertThatThrownBy(() -> PostgresTesting.open(postgres, jdbcUrl, Map.of("sslMode", "on")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.metastore.sslMode").hasMessageContaining("verify-full");
    assertThatThrownBy(() -> PostgresTesting.open(postgres, jdbcUrl + "?password=oops", Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.metastore.jdbcUrl").hasMessageNotContaining("oops");
    assertThatThrownBy(() -> PostgresTesting.open(postgres, jdbcUrl, Map.of("schema", "A-b")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.metastore.schema");
    // Valid values are accepted, and the metastore works with them: it reads and writes the
    // catalog the shared one (default settings) sees.
    try (PostgresMetastore tls = PostgresTesting.open(postgres, jdbcUrl,
        Map.of("sslMode", "disable", "poolSize", 2))) {
      tls.createDatabase(Database.of("pg_settings_disable"));
      assertThat(metastore.listDatabases()).contains("pg_settings_disable");
      metastore.dropDatabase("pg_settings_disable", false);
      assertThat(tls.listDatabases()).isEqualTo(metastore.listDatabases())
          .doesNotContain("pg_settings_disable");
    }
  }

  @Test
  void sslModeReachesTheDriver() throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, postgres.user(), postgres.password());
        Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW ssl")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).as("the test server serves no TLS").isEqualTo("off");
    }
    // The same server, so only sslMode decides: 'disable' connects in plain text, 'require'
    // refuses a server without TLS.
    try (PostgresMetastore plain = PostgresTesting.open(postgres, jdbcUrl,
        Map.of("sslMode", "disable"))) {
      assertThat(plain.listDatabases()).isEqualTo(metastore.listDatabases());
    }
    assertThatThrownBy(() -> PostgresTesting.open(postgres, jdbcUrl,
        Map.of("sslMode", "require", "connectTimeout", "2s")))
        .isInstanceOf(ProviderException.class)
        .hasMessageStartingWith("Cannot connect to " + jdbcUrl)
        .hasMessageContaining("does not support SSL");
  }

  // --- helpers ---

  private static TableId partitionedTable(String name) {
    String db = "pg_" + name;
    if (metastore.loadDatabase(db).isEmpty()) {
      metastore.createDatabase(Database.of(db));
    }
    TableId id = TableId.of(db, "events");
    metastore.createTable(new TableDefinition(id, "file:/tmp/edx-pg/" + name, "parquet",
        List.of(Column.of("id", "bigint"), Column.of("payload", "string")),
        List.of(Column.of("year", "string"), Column.of("month", "string")), Map.of(),
        Optional.empty()));
    return id;
  }

  private static Partition partition(TableId id, String year, String month) {
    return Partition.of(List.of(year, month),
        "file:/tmp/edx-pg/" + id.database() + "/year=" + year + "/month=" + month);
  }

  private static long count(TableId id, Map<String, String> filter) {
    try (Stream<Partition> stream = metastore.listPartitions(id, filter)) {
      return stream.count();
    }
  }

  private static TableDefinition withProperty(TableDefinition d, String key, String value) {
    Map<String, String> properties = new java.util.HashMap<>(d.properties());
    properties.put(key, value);
    return new TableDefinition(d.id(), d.location(), d.format(), d.columns(), d.partitionKeys(),
        properties, d.comment());
  }

  private static String stackTrace(Throwable e) {
    java.io.StringWriter out = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
