package dev.edx.testkit;

import static dev.edx.testkit.Consistency.awaitConsistent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.Partition;
import dev.edx.api.Table;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.exceptions.CommitConflictException;
import dev.edx.api.exceptions.DatabaseAlreadyExistsException;
import dev.edx.api.exceptions.NoSuchDatabaseException;
import dev.edx.api.exceptions.NoSuchTableException;
import dev.edx.api.exceptions.TableAlreadyExistsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Metastore} provider passes: databases, tables with optimistic
 * concurrency (no lost update under concurrent writers), partitions, and the errors callers rely
 * on. A subclass supplies {@link #metastore()}. Databases it creates start with {@link #PREFIX} and
 * are dropped after each test.
 *
 * @param <M> the metastore implementation under test
 */
public abstract class MetastoreContract<M extends Metastore> {
  /** Prefix of this run's database names, so leftovers can be found and dropped. */
  protected static final String PREFIX =
      "edxct_" + HexFormat.of().formatHex(randomBytes()) + "_";
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** The metastore under test; the subclass owns and closes it. */
  protected abstract M metastore();

  /** How long a write may take to become visible to reads (0 for strongly consistent stores). */
  protected Duration consistencyTimeout() {
    return Duration.ofSeconds(10);
  }

  @AfterEach
  void dropThisRunsDatabases() {
    for (String db : metastore().listDatabases()) {
      if (db.startsWith(PREFIX)) {
        try {
          metastore().dropDatabase(db, true);
        } catch (NoSuchDatabaseException e) {
          // dropped concurrently: fine
        }
      }
    }
  }

  // --- databases ---

  @Test
  public void databaseCreateLoadListDrop() {
    String name = newDatabaseName();
    Database database = new Database(name, Optional.of("file:/tmp/" + name),
        Map.of("owner", "edx"));

    metastore().createDatabase(database);

    awaitConsistent(consistencyTimeout(),
        () -> assertThat(metastore().listDatabases()).contains(name));
    assertThat(metastore().loadDatabase(name)).contains(database);
    assertThatThrownBy(() -> metastore().createDatabase(Database.of(name)))
        .isInstanceOfSatisfying(DatabaseAlreadyExistsException.class,
            e -> assertThat(e.name()).isEqualTo(name));

    metastore().dropDatabase(name, false);

    awaitConsistent(consistencyTimeout(),
        () -> assertThat(metastore().listDatabases()).doesNotContain(name));
    assertThat(metastore().loadDatabase(name)).isEmpty();
    assertThatThrownBy(() -> metastore().dropDatabase(name, false))
        .isInstanceOfSatisfying(NoSuchDatabaseException.class,
            e -> assertThat(e.name()).isEqualTo(name));
  }

  @Test
  public void databaseWithTablesIsDroppedOnlyWithCascade() {
    String db = newDatabase();
    TableId id = TableId.of(db, "events");
    metastore().createTable(definition(id));

    assertThatThrownBy(() -> metastore().dropDatabase(db, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(db);
    assertThat(metastore().loadTable(id)).isPresent();

    metastore().dropDatabase(db, true);

    assertThat(metastore().loadDatabase(db)).isEmpty();
    assertThat(metastore().loadTable(id)).isEmpty();
  }

  // --- tables ---

  @Test
  public void tableCreateLoadListUpdateDrop() {
    String db = newDatabase();
    TableId events = TableId.of(db, "events");
    TableId actors = TableId.of(db, "actors");
    TableDefinition definition = definition(events);

    Table created = metastore().createTable(definition);
    metastore().createTable(definition(actors));

    assertThat(created.version()).isEqualTo(1);
    assertThat(created.definition()).isEqualTo(definition);
    assertThat(metastore().loadTable(events)).contains(created);
    assertThat(metastore().listTables(db)).containsExactly(actors, events);
    assertThatThrownBy(() -> metastore().createTable(definition))
        .isInstanceOfSatisfying(TableAlreadyExistsException.class,
            e -> assertThat(e.name()).contains("events"));

    TableDefinition changed = withProperty(definition, "owner", "gha");
    Table updated = metastore().updateTable(changed, 1);

    assertThat(updated.version()).isEqualTo(2);
    assertThat(metastore().loadTable(events)).contains(new Table(changed, 2));

    metastore().dropTable(events);

    assertThat(metastore().loadTable(events)).isEmpty();
    assertThat(metastore().listTables(db)).containsExactly(actors);
    assertThatThrownBy(() -> metastore().dropTable(events))
        .isInstanceOf(NoSuchTableException.class);
  }

  @Test
  public void concurrentUpdatesNeverLoseAnUpdate() throws Exception {
    int writers = 8;
    String db = newDatabase();
    TableId id = TableId.of(db, "contended");
    metastore().createTable(definition(id));
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger conflicts = new AtomicInteger();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String key = "writer" + i;
        futures.add(pool.submit(() -> {
          start.await();
          while (true) {
            Table current = metastore().loadTable(id).orElseThrow();
            try {
              metastore().updateTable(
                  withProperty(current.definition(), key, "done"), current.version());
              return null;
            } catch (CommitConflictException e) {
              conflicts.incrementAndGet();
            }
          }
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    Table result = metastore().loadTable(id).orElseThrow();
    for (int i = 0; i < writers; i++) {
      assertThat(result.definition().properties()).containsEntry("writer" + i, "done");
    }
    assertThat(result.version()).isEqualTo(1 + writers);
  }

  @Test
  public void staleUpdateConflictsAndWritesNothing() {
    String db = newDatabase();
    TableId id = TableId.of(db, "events");
    TableDefinition definition = definition(id);
    metastore().createTable(definition);
    TableDefinition first = withProperty(definition, "writer", "first");
    metastore().updateTable(first, 1);

    assertThatThrownBy(() -> metastore().updateTable(withProperty(definition, "writer", "late"), 1))
        .isInstanceOfSatisfying(CommitConflictException.class, e -> {
          assertThat(e.expectedVersion()).isEqualTo(1);
          assertThat(e.actualVersion()).isEqualTo(2);
          assertThat(e.getMessage()).contains(id.toString());
        });

    assertThat(metastore().loadTable(id)).contains(new Table(first, 2));
  }

  // --- partitions ---

  @Test
  public void partitionsAreAddedListedInOrderFilteredAndDropped() {
    TableId id = newPartitionedTable();
    Partition p202402 = partition(id, "2024", "02");
    Partition p202312 = partition(id, "2023", "12");
    Partition p202401 = partition(id, "2024", "01");

    metastore().addPartitions(id, List.of(p202402, p202312, p202401), false);

    assertThat(list(id, Map.of())).containsExactly(p202312, p202401, p202402);
    assertThat(list(id, Map.of("year", "2024"))).containsExactly(p202401, p202402);
    assertThat(list(id, Map.of("year", "2024", "month", "01"))).containsExactly(p202401);
    assertThat(list(id, Map.of("month", "07"))).isEmpty();
    assertThatThrownBy(() -> list(id, Map.of("day", "01")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("day").hasMessageContaining("year").hasMessageContaining("month");

    metastore().dropPartitions(id, List.of(List.of("2024", "01"), List.of("1999", "01")));

    assertThat(list(id, Map.of())).containsExactly(p202312, p202402);
  }

  @Test
  public void addingPartitionsIsIdempotentAndConflictsOnAnotherLocation() {
    TableId id = newPartitionedTable();
    Partition original = partition(id, "2024", "01");
    metastore().addPartitions(id, List.of(original), false);

    metastore().addPartitions(id, List.of(original), false);

    assertThat(list(id, Map.of())).containsExactly(original);

    Partition moved = Partition.of(original.values(), original.location() + "-v2");
    assertThatThrownBy(() -> metastore().addPartitions(id, List.of(moved), false))
        .isInstanceOf(CommitConflictException.class)
        .hasMessageContaining(id.toString());
    assertThat(list(id, Map.of())).containsExactly(original);

    metastore().addPartitions(id, List.of(moved), true);

    assertThat(list(id, Map.of())).containsExactly(moved);
  }

  @Test
  public void partitionValuesMustMatchThePartitionKeys() {
    TableId id = newPartitionedTable();

    assertThatThrownBy(() -> metastore().addPartitions(id,
            List.of(partition(id, "2024", "01"), Partition.of(List.of("2024"), "file:/x")), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(id.toString());

    assertThat(list(id, Map.of())).isEmpty();
  }

  @Test
  public void droppingATableDropsItsPartitions() {
    TableId id = newPartitionedTable();
    metastore().addPartitions(id, List.of(partition(id, "2024", "01")), false);

    metastore().dropTable(id);
    metastore().createTable(partitionedDefinition(id));

    assertThat(list(id, Map.of())).isEmpty();
  }

  // --- errors ---

  @Test
  public void missingDatabaseAndTableErrorsCarryTheirNames() {
    String missingDb = PREFIX + "missing";
    TableId inMissingDb = TableId.of(missingDb, "events");
    String db = newDatabase();
    TableId missing = TableId.of(db, "missing");

    assertThatThrownBy(() -> metastore().createTable(definition(inMissingDb)))
        .isInstanceOfSatisfying(NoSuchDatabaseException.class,
            e -> assertThat(e.name()).isEqualTo(missingDb));
    assertThatThrownBy(() -> metastore().listTables(missingDb))
        .isInstanceOfSatisfying(NoSuchDatabaseException.class,
            e -> assertThat(e.name()).isEqualTo(missingDb));
    assertThat(metastore().loadTable(missing)).isEmpty();
    assertThatThrownBy(() -> metastore().updateTable(definition(missing), 1))
        .isInstanceOfSatisfying(NoSuchTableException.class,
            e -> assertThat(e.name()).contains("missing"));
    assertThatThrownBy(() -> metastore().dropTable(missing))
        .isInstanceOfSatisfying(NoSuchTableException.class,
            e -> assertThat(e.name()).contains("missing"));
    assertThatThrownBy(() -> metastore().addPartitions(missing,
            List.of(Partition.of(List.of("2024"), "file:/x")), false))
        .isInstanceOfSatisfying(NoSuchTableException.class,
            e -> assertThat(e.name()).contains("missing"));
    assertThatThrownBy(() -> list(missing, Map.of()))
        .isInstanceOfSatisfying(NoSuchTableException.class,
            e -> assertThat(e.name()).contains("missing"));
  }

  // --- helpers ---

  /** A fresh database name with this run's prefix. */
  protected static String newDatabaseName() {
    return PREFIX + "db" + COUNTER.incrementAndGet();
  }

  /** Creates a fresh database with this run's prefix and returns its name. */
  protected String newDatabase() {
    String name = newDatabaseName();
    metastore().createDatabase(Database.of(name));
    return name;
  }

  /** An unpartitioned Parquet table with two columns. */
  protected static TableDefinition definition(TableId id) {
    return new TableDefinition(id, "file:/tmp/edx-contract/" + id.database() + "/" + id.table(),
        "parquet", List.of(Column.of("id", "bigint"), Column.of("payload", "string")), List.of(),
        Map.of("created_by", "edx-contract"), Optional.of("contract test table"));
  }

  /** A table partitioned by {@code year} and {@code month}. */
  protected static TableDefinition partitionedDefinition(TableId id) {
    TableDefinition base = definition(id);
    return new TableDefinition(id, base.location(), base.format(), base.columns(),
        List.of(Column.of("year", "string"), Column.of("month", "string")), base.properties(),
        base.comment());
  }

  private TableId newPartitionedTable() {
    TableId id = TableId.of(newDatabase(), "events");
    metastore().createTable(partitionedDefinition(id));
    return id;
  }

  private static Partition partition(TableId id, String year, String month) {
    return Partition.of(List.of(year, month), "file:/tmp/edx-contract/" + id.database() + "/"
        + id.table() + "/year=" + year + "/month=" + month);
  }

  private List<Partition> list(TableId id, Map<String, String> filter) {
    try (Stream<Partition> partitions = metastore().listPartitions(id, filter)) {
      return partitions.toList();
    }
  }

  private static TableDefinition withProperty(TableDefinition d, String key, String value) {
    Map<String, String> properties = new HashMap<>(d.properties());
    properties.put(key, value);
    return new TableDefinition(d.id(), d.location(), d.format(), d.columns(), d.partitionKeys(),
        properties, d.comment());
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[3];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
