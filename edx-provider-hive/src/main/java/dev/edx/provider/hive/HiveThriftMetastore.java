package dev.edx.provider.hive;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.Partition;
import dev.edx.api.Table;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.exceptions.CommitConflictException;
import dev.edx.api.exceptions.DatabaseAlreadyExistsException;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.NoSuchDatabaseException;
import dev.edx.api.exceptions.NoSuchTableException;
import dev.edx.api.exceptions.OperationStateUnknownException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.exceptions.TableAlreadyExistsException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.Provisioner;
import dev.edx.toolkit.MetastoreDatabaseProvisioner;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.hadoop.hive.metastore.api.AddPartitionsRequest;
import org.apache.hadoop.hive.metastore.api.CheckLockRequest;
import org.apache.hadoop.hive.metastore.api.DropPartitionsRequest;
import org.apache.hadoop.hive.metastore.api.EnvironmentContext;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.LockComponent;
import org.apache.hadoop.hive.metastore.api.LockLevel;
import org.apache.hadoop.hive.metastore.api.LockRequest;
import org.apache.hadoop.hive.metastore.api.LockResponse;
import org.apache.hadoop.hive.metastore.api.LockState;
import org.apache.hadoop.hive.metastore.api.LockType;
import org.apache.hadoop.hive.metastore.api.RequestPartsSpec;
import org.apache.hadoop.hive.metastore.api.UnlockRequest;
import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Metastore} on a Hive Metastore, through its Thrift API.
 *
 * <ul>
 *   <li>Tables are Hive {@code EXTERNAL_TABLE}s (parameter {@code EXTERNAL=TRUE}) with the
 *       storage descriptor of their format (for Parquet: {@code ParquetHiveSerDe}, {@code
 *       MapredParquetInputFormat}, {@code MapredParquetOutputFormat}), the columns with their
 *       Hive types, and the partition keys; partitions carry the table's storage descriptor at
 *       their own location. This is what Spark's and Trino's Hive connectors read.
 *   <li>Optimistic concurrency: a Hive Metastore has no table versions, so edx keeps one in the
 *       table parameter {@code edx.version}. {@link #updateTable} takes the metastore's exclusive
 *       lock on the table ({@code lock}, then {@code check_lock} until granted), reads the table,
 *       compares the version, alters the table with the next version, and unlocks: two edx
 *       writers never interleave, and a stale one gets {@link CommitConflictException} with
 *       nothing written. (Iceberg's {@code HiveCatalog} commits the same way.) The lock guards
 *       against writers that take it; a client that alters the table without it (an engine's
 *       {@code ALTER TABLE}) is not stopped, but a later edx update sees the version it left.
 *   <li>Reads go through calls every metastore from 2.3 to 4.x serves ({@code get_table_req},
 *       not {@code get_table}).
 *   <li>Nothing here deletes data: tables and databases are dropped with {@code deleteData}
 *       false.
 * </ul>
 *
 * <p>Thread safe: calls run on a pool of connections ({@link HiveClients}). {@link #close()}
 * closes them.
 */
final class HiveThriftMetastore implements Metastore, Provisioner, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HiveThriftMetastore.class);
  /** Partitions per get_partitions_by_names, add_partitions and drop_partitions call. */
  static final int BATCH = 500;
  private static final String DO_NOT_UPDATE_STATS = "DO_NOT_UPDATE_STATS";

  private final HiveSettings settings;
  private final HiveClients clients;
  private final MetastoreDatabaseProvisioner provisioner;
  private final String host;
  private final AtomicBoolean closed = new AtomicBoolean();

  HiveThriftMetastore(HiveSettings settings, String environment) {
    this.settings = requireNonNull(settings, "settings is null");
    this.clients = new HiveClients(settings);
    this.provisioner = new MetastoreDatabaseProvisioner(this, environment, settings.databases(),
        this::replaceProperties, "in the Hive Metastore at " + settings.where());
    this.host = hostName();
  }

  // -------------------------------------------------------------------------------- databases

  @Override
  public void createDatabase(Database database) {
    requireNonNull(database, "database is null");
    String what = "create database '" + database.name() + "'";
    call(what, false, e -> e instanceof org.apache.hadoop.hive.metastore.api.AlreadyExistsException
        ? new DatabaseAlreadyExistsException(database.name(), "Cannot " + what
            + ": it already exists", e) : null,
        c -> {
          c.create_database(HiveTables.toHive(database, settings.user()));
          return null;
        });
    LOG.info("Created database {} in the Hive Metastore at {}", database.name(),
        settings.where());
  }

  @Override
  public Optional<Database> loadDatabase(String name) {
    requireNonNull(name, "name is null");
    return hiveDatabase(name).map(HiveTables::fromHive);
  }

  private Optional<org.apache.hadoop.hive.metastore.api.Database> hiveDatabase(String name) {
    return call("load database '" + name + "'", true, e -> null, c -> {
      try {
        return Optional.of(c.get_database(name));
      } catch (org.apache.hadoop.hive.metastore.api.NoSuchObjectException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public List<String> listDatabases() {
    return call("list databases", true, e -> null,
        c -> c.get_all_databases().stream().sorted().toList());
  }

  @Override
  public void dropDatabase(String name, boolean cascade) {
    requireNonNull(name, "name is null");
    String what = "drop database '" + name + "'";
    // Hive 3.1 answers a missing database here with a NullPointerException of its own
    if (hiveDatabase(name).isEmpty()) {
      throw new NoSuchDatabaseException(name, "Cannot " + what + ": it does not exist");
    }
    call(what, false, e -> {
      if (e instanceof org.apache.hadoop.hive.metastore.api.NoSuchObjectException) {
        return new NoSuchDatabaseException(name, "Cannot " + what + ": it does not exist", e);
      }
      if (e instanceof InvalidOperationException) {
        return new IllegalStateException("Cannot " + what + ": " + e.getMessage()
            + "; drop its tables first or drop with cascade", e);
      }
      return null;
    }, c -> {
      c.drop_database(name, false, cascade);
      return null;
    });
    LOG.info("Dropped database {} in the Hive Metastore at {}", name, settings.where());
  }

  /** Stores a database's new properties (adoption marks it as owned). */
  private void replaceProperties(Database db) {
    String what = "adopt database '" + db.name() + "'";
    call(what, false, e -> e instanceof org.apache.hadoop.hive.metastore.api.NoSuchObjectException
        ? new NoSuchDatabaseException(db.name(), "Cannot " + what + ": it does not exist", e)
        : null, c -> {
          org.apache.hadoop.hive.metastore.api.Database current = c.get_database(db.name());
          current.setParameters(new HashMap<>(db.properties()));
          c.alter_database(db.name(), current);
          return null;
        });
  }

  // ---------------------------------------------------------------------------------- tables

  @Override
  public Table createTable(TableDefinition definition) {
    requireNonNull(definition, "definition is null");
    TableId id = definition.id();
    String what = "create table " + id;
    org.apache.hadoop.hive.metastore.api.Table table =
        HiveTables.toHive(definition, 1, settings.user(), now());
    call(what, false, e -> {
      if (e instanceof org.apache.hadoop.hive.metastore.api.AlreadyExistsException) {
        return new TableAlreadyExistsException(id.toString(), "Cannot " + what
            + ": it already exists", e);
      }
      if (e instanceof org.apache.hadoop.hive.metastore.api.NoSuchObjectException
          || e instanceof org.apache.hadoop.hive.metastore.api.InvalidObjectException
          && hiveDatabase(id.database()).isEmpty()) {
        return new NoSuchDatabaseException(id.database(), "Cannot " + what + ": database '"
            + id.database() + "' does not exist", e);
      }
      return null;
    }, c -> {
      c.create_table_with_environment_context(table, noStats());
      return null;
    });
    LOG.debug("Created table {} in the Hive Metastore", id);
    return new Table(definition, 1);
  }

  @Override
  public Optional<Table> loadTable(TableId id) {
    requireNonNull(id, "id is null");
    return hiveTable(id).map(HiveTables::fromHive);
  }

  private Optional<org.apache.hadoop.hive.metastore.api.Table> hiveTable(TableId id) {
    return call("load table " + id, true, e -> null, c -> {
      try {
        return Optional.of(c.get_table_req(new GetTableRequest(id.database(), id.table()))
            .getTable());
      } catch (org.apache.hadoop.hive.metastore.api.NoSuchObjectException e) {
        return Optional.empty();
      }
    });
  }

  private org.apache.hadoop.hive.metastore.api.Table requireTable(TableId id, String what) {
    return hiveTable(id).orElseThrow(() -> new NoSuchTableException(id.toString(),
        "Cannot " + what + ": table " + id + " does not exist"));
  }

  @Override
  public List<TableId> listTables(String database) {
    requireNonNull(database, "database is null");
    String what = "list the tables of database '" + database + "'";
    // get_all_tables answers an empty list for a missing database
    if (hiveDatabase(database).isEmpty()) {
      throw new NoSuchDatabaseException(database, "Cannot " + what + ": it does not exist");
    }
    return call(what, true, e -> null, c -> c.get_all_tables(database).stream().sorted()
        .map(t -> TableId.of(database, t)).toList());
  }

  @Override
  public Table updateTable(TableDefinition definition, long expectedVersion) {
    requireNonNull(definition, "definition is null");
    TableId id = definition.id();
    String what = "update table " + id;
    // fail fast, without a lock, when it is missing or already stale
    long seen = HiveTables.version(requireTable(id, what));
    if (seen != expectedVersion) {
      throw conflict(id, expectedVersion, seen, what);
    }
    long lock = lock(id, what);
    try {
      org.apache.hadoop.hive.metastore.api.Table current = requireTable(id, what);
      long actual = HiveTables.version(current);
      if (actual != expectedVersion) {
        throw conflict(id, expectedVersion, actual, what);
      }
      org.apache.hadoop.hive.metastore.api.Table next = HiveTables.toHive(definition,
          expectedVersion + 1, current.getOwner() == null ? settings.user() : current.getOwner(),
          current.getCreateTime());
      call(what, false, e -> e instanceof InvalidOperationException
          ? new IllegalArgumentException("Cannot " + what + ": the Hive Metastore refused the"
              + " change: " + e.getMessage(), e) : null,
          c -> {
            c.alter_table_with_environment_context(id.database(), id.table(), next, noStats());
            return null;
          });
    } finally {
      unlock(lock, id);
    }
    LOG.debug("Updated table {} to version {}", id, expectedVersion + 1);
    return new Table(definition, expectedVersion + 1);
  }

  private static CommitConflictException conflict(TableId id, long expected, long actual,
      String what) {
    return new CommitConflictException(id.toString(), expected, actual, "Cannot " + what
        + ": expected version " + expected + " but it is at version " + actual
        + "; reload it and retry");
  }

  /**
   * Takes the metastore's exclusive lock on a table, waiting up to {@code lockTimeout}.
   *
   * @return the lock's id, for {@link #unlock}
   */
  private long lock(TableId id, String what) {
    LockComponent component = new LockComponent(LockType.EXCLUSIVE, LockLevel.TABLE,
        id.database());
    component.setTablename(id.table());
    LockRequest request = new LockRequest(List.of(component), settings.user(), host);
    LockResponse response = call(what + " (lock)", false, e -> null, c -> c.lock(request));
    long lockId = response.getLockid();
    long deadline = System.nanoTime() + settings.lockTimeout().toNanos();
    long pause = 20;
    LockState state = response.getState();
    while (state == LockState.WAITING) {
      if (System.nanoTime() > deadline) {
        unlock(lockId, id);
        throw new ProviderException("Cannot " + what + ": another writer has held the Hive"
            + " Metastore's lock on it for more than " + settings.lockTimeout() + " (a writer"
            + " that died releases it when the metastore expires its lock); retry later, or"
            + " raise lockTimeout");
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        unlock(lockId, id);
        throw new ProviderException("Cannot " + what + ": interrupted while waiting for its"
            + " lock", e);
      }
      pause = Math.min(1_000, pause * 2);
      state = call(what + " (check lock)", true, e -> null,
          c -> c.check_lock(new CheckLockRequest(lockId))).getState();
    }
    if (state != LockState.ACQUIRED) {
      unlock(lockId, id);
      throw new ProviderException("Cannot " + what + ": the Hive Metastore did not grant its"
          + " lock (" + state + ")");
    }
    return lockId;
  }

  private void unlock(long lockId, TableId id) {
    try {
      call("unlock table " + id, true, e -> null, c -> {
        c.unlock(new UnlockRequest(lockId));
        return null;
      });
    } catch (RuntimeException e) {
      LOG.warn("Cannot release lock {} on table {} (the metastore expires it): {}", lockId, id,
          e.getMessage());
    }
  }

  @Override
  public void dropTable(TableId id) {
    requireNonNull(id, "id is null");
    String what = "drop table " + id;
    call(what, false, e -> e instanceof org.apache.hadoop.hive.metastore.api.NoSuchObjectException
        ? new NoSuchTableException(id.toString(), "Cannot " + what + ": it does not exist", e)
        : null, c -> {
          c.drop_table_with_environment_context(id.database(), id.table(), false, noStats());
          return null;
        });
    LOG.debug("Dropped table {}", id);
  }

  // ------------------------------------------------------------------------------ partitions

  @Override
  public void addPartitions(TableId id, Collection<Partition> partitions, boolean replace) {
    requireNonNull(id, "id is null");
    requireNonNull(partitions, "partitions is null");
    String what = "add partitions to table " + id;
    org.apache.hadoop.hive.metastore.api.Table table = requireTable(id, what);
    List<String> keys = keys(table);
    Map<List<String>, String> wanted = new LinkedHashMap<>();
    for (Partition p : partitions) {
      if (p.values().size() != keys.size()) {
        throw new IllegalArgumentException("Cannot add partition " + p.values() + " to table "
            + id + ": it has " + keys.size() + " partition keys " + keys + ", not "
            + p.values().size());
      }
      wanted.put(p.values(), HiveTables.normalizeLocation(p.location()));
    }
    Map<List<String>, String> existing = existing(id, keys, wanted.keySet());
    List<Partition> create = new ArrayList<>();
    List<Partition> move = new ArrayList<>();
    for (Map.Entry<List<String>, String> e : wanted.entrySet()) {
      String location = existing.get(e.getKey());
      if (location == null) {
        create.add(Partition.of(e.getKey(), e.getValue()));
      } else if (!location.equals(e.getValue())) {
        if (!replace) {
          long version = HiveTables.version(table);
          throw new CommitConflictException(id + " partition " + e.getKey(), version, version,
              "Cannot add partition " + e.getKey() + " to table " + id + ": it exists at "
                  + location + ", not " + e.getValue() + "; add it with replace to move it");
        }
        move.add(Partition.of(e.getKey(), e.getValue()));
      }
    }
    int time = now();
    for (List<Partition> batch : batches(create)) {
      AddPartitionsRequest request = new AddPartitionsRequest(id.database(), id.table(),
          batch.stream().map(p -> HiveTables.toHive(table, p, time)).toList(), true);
      request.setNeedResult(false);
      call(what, false, noSuchTable(id, what), c -> c.add_partitions_req(request));
    }
    for (List<Partition> batch : batches(move)) {
      List<org.apache.hadoop.hive.metastore.api.Partition> moved = batch.stream()
          .map(p -> HiveTables.toHive(table, p, time)).toList();
      call(what, false, noSuchTable(id, what), c -> {
        c.alter_partitions_with_environment_context(id.database(), id.table(), moved,
            noStats());
        return null;
      });
    }
    LOG.debug("Added {} and moved {} partitions of table {}", create.size(), move.size(), id);
  }

  /** The locations of those of {@code values} that exist. */
  private Map<List<String>, String> existing(TableId id, List<String> keys,
      Collection<List<String>> values) {
    String what = "read partitions of table " + id;
    Map<List<String>, String> existing = new HashMap<>();
    for (List<List<String>> batch : batches(List.copyOf(values))) {
      List<String> names = batch.stream().map(v -> HiveTables.partitionName(keys, v)).toList();
      call(what, true, noSuchTable(id, what), c -> c.get_partitions_by_names(id.database(),
          id.table(), names)).forEach(p -> existing.put(p.getValues(),
              HiveTables.fromHive(p).location()));
    }
    return existing;
  }

  @Override
  public Stream<Partition> listPartitions(TableId id, Map<String, String> filter) {
    requireNonNull(id, "id is null");
    requireNonNull(filter, "filter is null");
    String what = "list partitions of table " + id;
    org.apache.hadoop.hive.metastore.api.Table table = requireTable(id, what);
    List<String> keys = keys(table);
    Set<String> unknown = new TreeSet<>(filter.keySet());
    keys.forEach(unknown::remove);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Cannot " + what + ": unknown partition key(s) "
          + unknown + " in the filter; its partition keys are " + keys);
    }
    List<String> names;
    if (filter.isEmpty()) {
      names = call(what, true, noSuchTable(id, what),
          c -> c.get_partition_names(id.database(), id.table(), (short) -1));
    } else {
      // the metastore matches the given values and takes "" for any value; the exact check is
      // below, on the values the names spell
      int last = 0;
      for (int i = 0; i < keys.size(); i++) {
        if (filter.containsKey(keys.get(i))) {
          last = i;
        }
      }
      List<String> partial = new ArrayList<>();
      for (int i = 0; i <= last; i++) {
        partial.add(filter.getOrDefault(keys.get(i), ""));
      }
      names = call(what, true, noSuchTable(id, what),
          c -> c.get_partition_names_ps(id.database(), id.table(), partial, (short) -1));
    }
    List<List<String>> matching = new ArrayList<>();
    for (String name : names) {
      List<String> values = HiveTables.partitionValues(name);
      boolean match = values.size() == keys.size();
      for (int i = 0; match && i < keys.size(); i++) {
        String wantedValue = filter.get(keys.get(i));
        match = wantedValue == null || wantedValue.equals(values.get(i));
      }
      if (match) {
        matching.add(values);
      }
    }
    matching.sort(HiveTables::compare);
    // the partitions themselves are read lazily, a batch at a time, in that order
    Iterator<List<List<String>>> batches = batches(matching).iterator();
    Iterator<Partition> partitions = new Iterator<>() {
      private Iterator<Partition> current = List.<Partition>of().iterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && batches.hasNext()) {
          List<List<String>> batch = batches.next();
          List<String> batchNames = batch.stream()
              .map(v -> HiveTables.partitionName(keys, v)).toList();
          Map<List<String>, Partition> read = new HashMap<>();
          call(what, true, noSuchTable(id, what), c -> c.get_partitions_by_names(id.database(),
              id.table(), batchNames)).forEach(p -> read.put(p.getValues(),
                  HiveTables.fromHive(p)));
          // in the listed order; one dropped meanwhile is left out
          current = batch.stream().map(read::get).filter(Objects::nonNull).iterator();
        }
        return current.hasNext();
      }

      @Override
      public Partition next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(partitions, 0), false);
  }

  @Override
  public void dropPartitions(TableId id, Collection<List<String>> values) {
    requireNonNull(id, "id is null");
    requireNonNull(values, "values is null");
    String what = "drop partitions of table " + id;
    if (values.isEmpty()) {
      return;
    }
    List<String> keys = keys(requireTable(id, what));
    List<List<String>> all = new ArrayList<>();
    for (List<String> v : new LinkedHashSet<>(values)) {
      if (v.size() == keys.size()) {
        all.add(v);
      }
    }
    for (List<List<String>> batch : batches(all)) {
      List<String> names = batch.stream().map(v -> HiveTables.partitionName(keys, v)).toList();
      DropPartitionsRequest request = new DropPartitionsRequest(id.database(), id.table(),
          RequestPartsSpec.names(names));
      request.setDeleteData(false);
      request.setIfExists(true);
      request.setNeedResult(false);
      request.setEnvironmentContext(noStats());
      // ifExists: missing ones are skipped
      call(what, false, noSuchTable(id, what), c -> c.drop_partitions_req(request));
    }
    LOG.debug("Dropped up to {} partitions of table {}", all.size(), id);
  }

  private static List<String> keys(org.apache.hadoop.hive.metastore.api.Table table) {
    return table.getPartitionKeys() == null ? List.of()
        : table.getPartitionKeys().stream().map(FieldSchema::getName).toList();
  }

  private static <T> List<List<T>> batches(List<T> all) {
    List<List<T>> batches = new ArrayList<>();
    for (int i = 0; i < all.size(); i += BATCH) {
      batches.add(all.subList(i, Math.min(all.size(), i + BATCH)));
    }
    return batches;
  }

  // ------------------------------------------------------------------------------ provisioner

  @Override
  public List<Change> plan() {
    return provisioner.plan();
  }

  @Override
  public List<Change> apply() {
    return provisioner.apply();
  }

  @Override
  public List<Change> destroy(DataPolicy policy) {
    return provisioner.destroy(policy);
  }

  @Override
  public List<Change> planDestroy(DataPolicy policy) {
    return provisioner.planDestroy(policy);
  }

  // ---------------------------------------------------------------------------------- calls

  /** Tells the metastore not to compute statistics by listing files (edx's tables are external). */
  private static EnvironmentContext noStats() {
    return new EnvironmentContext(new HashMap<>(Map.of(DO_NOT_UPDATE_STATS, "true")));
  }

  private static Function<TException, RuntimeException> noSuchTable(TableId id, String what) {
    return e -> e instanceof org.apache.hadoop.hive.metastore.api.NoSuchObjectException
        ? new NoSuchTableException(id.toString(), "Cannot " + what + ": table " + id
            + " does not exist", e) : null;
  }

  /**
   * Runs a call; a metastore exception goes to {@code specific} first (null when it has no
   * special meaning), then becomes a {@link ProviderException}. A broken connection during a
   * call that writes is an {@link OperationStateUnknownException}: it may have been applied.
   */
  private <T> T call(String what, boolean idempotent,
      Function<TException, RuntimeException> specific, HiveClients.Call<T> call) {
    if (closed.get()) {
      throw new IllegalStateException("Cannot " + what + ": the hive metastore is closed");
    }
    try {
      return clients.call(what, idempotent, call);
    } catch (HiveClients.Unreachable e) {
      throw new ProviderException("Cannot " + what + ": no connection to the Hive Metastore at "
          + settings.where() + " (" + e.getMessage() + "); is it running, and is uri right?",
          e);
    } catch (TTransportException e) {
      if (idempotent) {
        throw new ProviderException("Cannot " + what + ": the connection to the Hive Metastore"
            + " at " + settings.where() + " broke (" + e.getMessage() + ")", e);
      }
      throw new OperationStateUnknownException("Cannot tell whether '" + what + "' took effect:"
          + " the connection to the Hive Metastore at " + settings.where() + " broke during the"
          + " call (" + e.getMessage() + "); check before retrying", e);
    } catch (TException e) {
      RuntimeException mapped = specific.apply(e);
      if (mapped != null) {
        throw mapped;
      }
      throw new ProviderException("Cannot " + what + " in the Hive Metastore at "
          + settings.where() + ": " + message(e), e);
    } catch (EdxException | IllegalArgumentException | IllegalStateException e) {
      throw e;
    }
  }

  private static String message(TException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static int now() {
    return (int) (System.currentTimeMillis() / 1000);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      clients.close();
    }
  }

  @Override
  public String toString() {
    return "HiveThriftMetastore{" + settings + "}";
  }
}
