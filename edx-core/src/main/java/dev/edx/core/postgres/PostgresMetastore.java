package dev.edx.core.postgres;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.edx.api.Column;
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
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A metastore in PostgreSQL: the {@code postgres} provider. Its tables live in one schema
 * (default {@code edx_metastore}), created and upgraded by the Flyway migrations under {@code
 * db/edx-metastore}; it reaches the server through a HikariCP pool and prepared statements only.
 *
 * <p>Concurrency is the database's: {@link #updateTable} is {@code UPDATE ... WHERE version = ?}
 * and a stale version is a {@link CommitConflictException} with nothing written; partition adds
 * run in one transaction per call, as one multi-row statement per chunk of {@code batchSize}
 * partitions, and are idempotent. Listing pages through partitions by key (keyset pagination), so
 * a stream holds no connection between pages and filters run in SQL.
 *
 * <p>As a {@link Provisioner} it runs the migrations and creates the databases its spec declares;
 * {@code destroy} drops them (metadata only: data at the tables' locations stays) and drops the
 * schema once no database is left in it. The password is never logged nor put in a message.
 */
public final class PostgresMetastore implements Metastore, Provisioner, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresMetastore.class);
  private static final String SERVICE = "metastore";
  private static final String MIGRATIONS = "classpath:db/edx-metastore";
  private static final String HISTORY_TABLE = "flyway_schema_history";
  private static final Comparator<List<String>> VALUES_ORDER = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private final ObjectMapper mapper = new ObjectMapper();
  private final PostgresSettings settings;
  private final MetastoreDatabaseProvisioner databases;
  private final HikariDataSource dataSource;
  private final Flyway flyway;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Connects, and runs pending migrations unless the settings say not to.
   *
   * @throws ProviderException "Cannot connect to &lt;url&gt; as user &lt;user&gt;: &lt;why&gt;"
   *     if the server cannot be reached or refuses the credentials
   */
  PostgresMetastore(PostgresSettings settings, String environmentName) {
    this.settings = requireNonNull(settings, "settings is null");
    this.databases = new MetastoreDatabaseProvisioner(this, environmentName, settings.databases(),
        this::replaceProperties, "in schema " + settings.schema());
    this.dataSource = connect(settings, requireNonNull(environmentName, "environmentName is null"));
    try {
      this.flyway = Flyway.configure(PostgresMetastore.class.getClassLoader())
          .dataSource(dataSource)
          .schemas(settings.schema())
          .defaultSchema(settings.schema())
          .createSchemas(true)
          .table(HISTORY_TABLE)
          .locations(MIGRATIONS)
          .cleanDisabled(true)
          .loggers("slf4j")
          .load();
      if (settings.migrate()) {
        migrate();
      }
    } catch (RuntimeException e) {
      dataSource.close();
      throw e instanceof EdxException edx ? edx : new ProviderException("Cannot prepare schema "
          + settings.schema() + " on " + settings.displayUrl() + ": " + e.getMessage(), e);
    }
    LOG.info("Postgres metastore on {} as {}, schema {}", settings.displayUrl(),
        settings.displayUser(), settings.schema());
  }

  private static HikariDataSource connect(PostgresSettings settings, String environmentName) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("edx-metastore-" + environmentName);
    config.setJdbcUrl(settings.jdbcUrl());
    settings.user().ifPresent(config::setUsername);
    settings.password().ifPresent(config::setPassword);
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(settings.connectTimeout().toMillis());
    config.setInitializationFailTimeout(settings.connectTimeout().toMillis());
    config.addDataSourceProperty("currentSchema", settings.schema());
    config.addDataSourceProperty("ApplicationName", "edx-metastore");
    config.addDataSourceProperty("connectTimeout",
        Math.max(1, settings.connectTimeout().toSeconds()));
    settings.sslMode().ifPresent(mode -> config.addDataSourceProperty("sslmode", mode));
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new ProviderException("Cannot connect to " + settings.displayUrl() + " as "
          + settings.displayUser() + ": " + rootMessage(e), e);
    }
  }

  // --- databases ---

  @Override
  public void createDatabase(Database database) {
    requireNonNull(database, "database is null");
    String action = "create database " + database.name();
    int rows = autoCommit(action, true, c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO databases (name, location,"
          + " properties) VALUES (?, ?, ?::jsonb) ON CONFLICT (name) DO NOTHING")) {
        s.setString(1, database.name());
        s.setString(2, database.location().orElse(null));
        s.setString(3, json(database.properties()));
        return s.executeUpdate();
      }
    });
    if (rows == 0) {
      throw new DatabaseAlreadyExistsException(database.name(),
          "Cannot " + action + ": it already exists");
    }
    LOG.debug("Created database {}", database.name());
  }

  @Override
  public Optional<Database> loadDatabase(String name) {
    requireNonNull(name, "name is null");
    String db = Database.of(name).name();
    return autoCommit("load database " + db, false, c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT location, properties FROM databases WHERE name = ?")) {
        s.setString(1, db);
        try (ResultSet r = s.executeQuery()) {
          return r.next()
              ? Optional.of(new Database(db, Optional.ofNullable(r.getString(1)),
                  stringMap(r.getString(2))))
              : Optional.<Database>empty();
        }
      }
    });
  }

  @Override
  public List<String> listDatabases() {
    return autoCommit("list databases", false, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT name FROM databases ORDER BY name");
          ResultSet r = s.executeQuery()) {
        List<String> names = new ArrayList<>();
        while (r.next()) {
          names.add(r.getString(1));
        }
        return List.copyOf(names);
      }
    });
  }

  @Override
  public void dropDatabase(String name, boolean cascade) {
    requireNonNull(name, "name is null");
    String db = Database.of(name).name();
    String action = "drop database " + db;
    int tables = transaction(action, c -> {
      try (PreparedStatement lock = c.prepareStatement(
          "SELECT name FROM databases WHERE name = ? FOR UPDATE")) {
        lock.setString(1, db);
        try (ResultSet r = lock.executeQuery()) {
          if (!r.next()) {
            throw noSuchDatabase(db, action);
          }
        }
      }
      List<TableId> held = tableIds(c, db);
      if (!cascade && !held.isEmpty()) {
        throw new IllegalStateException("Cannot " + action + ": it holds " + held.size()
            + " table(s) " + held + "; drop them first or drop with cascade");
      }
      // Tables and partitions go with it (ON DELETE CASCADE); their data stays in storage.
      try (PreparedStatement s = c.prepareStatement("DELETE FROM databases WHERE name = ?")) {
        s.setString(1, db);
        s.executeUpdate();
      }
      return held.size();
    });
    LOG.debug("Dropped database {} with {} table(s)", db, tables);
  }

  // --- tables ---

  @Override
  public Table createTable(TableDefinition definition) {
    requireNonNull(definition, "definition is null");
    TableId id = definition.id();
    String action = "create table " + id;
    int rows;
    try {
      rows = autoCommit(action, true, c -> {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO tables (database_name,"
            + " table_name, location, format, columns, partition_keys, properties, comment,"
            + " version) VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, 1)"
            + " ON CONFLICT ON CONSTRAINT tables_name_unique DO NOTHING")) {
          s.setString(1, id.database());
          s.setString(2, id.table());
          setDefinition(s, 3, definition);
          return s.executeUpdate();
        }
      });
    } catch (ProviderException e) {
      if (e.getCause() instanceof SQLException sql && "23503".equals(sql.getSQLState())) {
        throw noSuchDatabase(id.database(), action);
      }
      throw e;
    }
    if (rows == 0) {
      throw new TableAlreadyExistsException(id.toString(),
          "Cannot " + action + ": it already exists");
    }
    LOG.debug("Created table {}", id);
    return new Table(definition, 1);
  }

  @Override
  public Optional<Table> loadTable(TableId id) {
    requireNonNull(id, "id is null");
    return autoCommit("load table " + id, false, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT location, format, columns,"
          + " partition_keys, properties, comment, version FROM tables"
          + " WHERE database_name = ? AND table_name = ?")) {
        s.setString(1, id.database());
        s.setString(2, id.table());
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            return Optional.<Table>empty();
          }
          TableDefinition definition = new TableDefinition(id, r.getString(1), r.getString(2),
              columns(r.getString(3)), columns(r.getString(4)), stringMap(r.getString(5)),
              Optional.ofNullable(r.getString(6)));
          return Optional.of(new Table(definition, r.getLong(7)));
        }
      }
    });
  }

  @Override
  public List<TableId> listTables(String database) {
    requireNonNull(database, "database is null");
    String db = Database.of(database).name();
    String action = "list tables of database " + db;
    return autoCommit(action, false, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT t.table_name FROM databases d"
          + " LEFT JOIN tables t ON t.database_name = d.name WHERE d.name = ?"
          + " ORDER BY t.table_name")) {
        s.setString(1, db);
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            throw noSuchDatabase(db, action);
          }
          List<TableId> ids = new ArrayList<>();
          do {
            String table = r.getString(1);
            if (table != null) {
              ids.add(TableId.of(db, table));
            }
          } while (r.next());
          return List.copyOf(ids);
        }
      }
    });
  }

  @Override
  public Table updateTable(TableDefinition definition, long expectedVersion) {
    requireNonNull(definition, "definition is null");
    TableId id = definition.id();
    String action = "update table " + id;
    Optional<Long> updated = autoCommit(action, true, c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE tables SET location = ?, format = ?,"
          + " columns = ?::jsonb, partition_keys = ?::jsonb, properties = ?::jsonb, comment = ?,"
          + " version = version + 1, updated_at = now()"
          + " WHERE database_name = ? AND table_name = ? AND version = ? RETURNING version")) {
        setDefinition(s, 1, definition);
        s.setString(7, id.database());
        s.setString(8, id.table());
        s.setLong(9, expectedVersion);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(r.getLong(1)) : Optional.<Long>empty();
        }
      }
    });
    if (updated.isPresent()) {
      LOG.debug("Updated table {} to version {}", id, updated.get());
      return new Table(definition, updated.get());
    }
    long actual = loadTable(id).map(Table::version).orElseThrow(() -> noSuchTable(id, action));
    throw new CommitConflictException(id.toString(), expectedVersion, actual,
        "Cannot " + action + ": expected version " + expectedVersion + " but it is at version "
            + actual + "; reload it and retry");
  }

  @Override
  public void dropTable(TableId id) {
    requireNonNull(id, "id is null");
    String action = "drop table " + id;
    int rows = autoCommit(action, true, c -> {
      // Its partitions go with it (ON DELETE CASCADE); the files at its location stay.
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM tables WHERE database_name = ? AND table_name = ?")) {
        s.setString(1, id.database());
        s.setString(2, id.table());
        return s.executeUpdate();
      }
    });
    if (rows == 0) {
      throw noSuchTable(id, action);
    }
    LOG.debug("Dropped table {} (its data is kept)", id);
  }

  // --- partitions ---

  @Override
  public void addPartitions(TableId id, Collection<Partition> partitions, boolean replace) {
    requireNonNull(id, "id is null");
    requireNonNull(partitions, "partitions is null");
    String action = "add partitions to table " + id;
    TreeMap<List<String>, String> wanted = new TreeMap<>(VALUES_ORDER);
    for (Partition p : partitions) {
      requireNonNull(p, "a partition is null");
      checkNoNul(p, id);
      String previous = wanted.put(p.values(), p.location());
      if (previous != null && !previous.equals(p.location())) {
        throw new IllegalArgumentException("Cannot " + action + ": partition " + p.values()
            + " is given twice, at " + previous + " and at " + p.location());
      }
    }
    // Sorted, so concurrent writers lock rows in the same order and never deadlock.
    List<Map.Entry<List<String>, String>> sorted = new ArrayList<>(wanted.entrySet());
    int changed = transaction(action, c -> {
      TableRow table = lockTable(c, id, action);
      for (Map.Entry<List<String>, String> e : sorted) {
        if (e.getKey().size() != table.partitionKeys().size()) {
          throw new IllegalArgumentException("Cannot add partition " + e.getKey() + " to table "
              + id + ": it has " + e.getKey().size() + " value(s) but the table has "
              + table.partitionKeys().size() + " partition key(s) " + table.partitionKeys());
        }
      }
      int rows = 0;
      for (int from = 0; from < sorted.size(); from += settings.batchSize()) {
        List<Map.Entry<List<String>, String>> chunk =
            sorted.subList(from, Math.min(sorted.size(), from + settings.batchSize()));
        rows += replace ? upsert(c, table, chunk) : insertNew(c, table, chunk, id);
      }
      return rows;
    });
    LOG.debug("Added {} partition(s) to table {} ({} written)", wanted.size(), id, changed);
  }

  /** Inserts the chunk, keeping existing rows; a row at another location is a conflict. */
  private int insertNew(Connection c, TableRow table, List<Map.Entry<List<String>, String>> chunk,
      TableId id) throws SQLException {
    String rows = partitionsJson(chunk);
    int inserted;
    try (PreparedStatement s = c.prepareStatement("INSERT INTO partitions (table_id,"
        + " part_values, location) SELECT ?, x.v, x.l"
        + " FROM jsonb_to_recordset(?::jsonb) AS x(v text[], l text)"
        + " ON CONFLICT (table_id, part_values) DO NOTHING")) {
      s.setLong(1, table.id());
      s.setString(2, rows);
      inserted = s.executeUpdate();
    }
    if (inserted == chunk.size()) {
      return inserted;
    }
    // Some existed: a new statement (a new snapshot) sees every committed row, so compare.
    try (PreparedStatement s = c.prepareStatement("SELECT x.v, p.location"
        + " FROM jsonb_to_recordset(?::jsonb) AS x(v text[], l text)"
        + " JOIN partitions p ON p.table_id = ? AND p.part_values = x.v COLLATE \"C\""
        + " WHERE p.location <> x.l ORDER BY x.v COLLATE \"C\" LIMIT 1")) {
      s.setString(1, rows);
      s.setLong(2, table.id());
      try (ResultSet r = s.executeQuery()) {
        if (r.next()) {
          List<String> values = textArray(r.getArray(1));
          String existing = r.getString(2);
          throw new CommitConflictException(id + " partition " + values, table.version(),
              table.version(), "Cannot add partition " + values + " to table " + id
                  + ": it exists at " + existing + ", not " + locationOf(chunk, values)
                  + "; add it with replace to move it");
        }
      }
    }
    return inserted;
  }

  /** Inserts the chunk, moving existing partitions whose location differs. */
  private int upsert(Connection c, TableRow table, List<Map.Entry<List<String>, String>> chunk)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO partitions (table_id,"
        + " part_values, location) SELECT ?, x.v, x.l"
        + " FROM jsonb_to_recordset(?::jsonb) AS x(v text[], l text)"
        + " ON CONFLICT (table_id, part_values) DO UPDATE SET location = EXCLUDED.location"
        + " WHERE partitions.location <> EXCLUDED.location")) {
      s.setLong(1, table.id());
      s.setString(2, partitionsJson(chunk));
      return s.executeUpdate();
    }
  }

  @Override
  public Stream<Partition> listPartitions(TableId id, Map<String, String> filter) {
    requireNonNull(id, "id is null");
    requireNonNull(filter, "filter is null");
    String action = "list partitions of table " + id;
    TableRow table = autoCommit(action, false, c -> findTable(c, id, false))
        .orElseThrow(() -> noSuchTable(id, action));
    List<String> keys = table.partitionKeys();
    Map<Integer, String> wanted = new TreeMap<>();
    Set<String> unknown = new TreeSet<>();
    filter.forEach((key, value) -> {
      int index = keys.indexOf(key.toLowerCase(Locale.ROOT));
      if (index < 0) {
        unknown.add(key);
      } else {
        wanted.put(index + 1, requireNonNull(value, "filter value of " + key + " is null"));
      }
    });
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Cannot " + action + ": unknown partition key(s) "
          + unknown + " in the filter; its partition keys are " + keys);
    }
    Iterator<Partition> pages = new PartitionPages(table.id(), wanted, action);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages,
        Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
  }

  /** Reads partitions one page at a time, each page starting after the last values seen. */
  private final class PartitionPages implements Iterator<Partition> {
    private final long tableId;
    private final Map<Integer, String> filter;
    private final String action;
    private Iterator<Partition> page = List.<Partition>of().iterator();
    private List<String> after;
    private boolean last;

    PartitionPages(long tableId, Map<Integer, String> filter, String action) {
      this.tableId = tableId;
      this.filter = Map.copyOf(filter);
      this.action = action;
    }

    @Override
    public boolean hasNext() {
      if (!page.hasNext() && !last) {
        List<Partition> next = fetch();
        last = next.size() < settings.batchSize();
        if (!next.isEmpty()) {
          after = next.get(next.size() - 1).values();
        }
        page = next.iterator();
      }
      return page.hasNext();
    }

    @Override
    public Partition next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return page.next();
    }

    private List<Partition> fetch() {
      StringBuilder sql = new StringBuilder(
          "SELECT part_values, location FROM partitions WHERE table_id = ?");
      if (after != null) {
        sql.append(" AND part_values > ?");
      }
      filter.keySet().forEach(i -> sql.append(" AND part_values[?] = ?"));
      sql.append(" ORDER BY part_values LIMIT ?");
      return autoCommit(action, false, c -> {
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
          int i = 1;
          s.setLong(i++, tableId);
          if (after != null) {
            s.setArray(i++, c.createArrayOf("text", after.toArray()));
          }
          for (Map.Entry<Integer, String> e : filter.entrySet()) {
            s.setInt(i++, e.getKey());
            s.setString(i++, e.getValue());
          }
          s.setInt(i, settings.batchSize());
          List<Partition> result = new ArrayList<>(settings.batchSize());
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              result.add(new Partition(textArray(r.getArray(1)), r.getString(2)));
            }
          }
          return result;
        }
      });
    }
  }

  @Override
  public void dropPartitions(TableId id, Collection<List<String>> values) {
    requireNonNull(id, "id is null");
    requireNonNull(values, "values is null");
    String action = "drop partitions of table " + id;
    List<Map.Entry<List<String>, String>> rows = new ArrayList<>();
    for (List<String> v : values) {
      rows.add(Map.entry(List.copyOf(requireNonNull(v, "partition values are null")), ""));
    }
    int dropped = transaction(action, c -> {
      TableRow table = lockTable(c, id, action);
      int count = 0;
      for (int from = 0; from < rows.size(); from += settings.batchSize()) {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM partitions p"
            + " USING jsonb_to_recordset(?::jsonb) AS x(v text[], l text)"
            + " WHERE p.table_id = ? AND p.part_values = x.v COLLATE \"C\"")) {
          s.setString(1, partitionsJson(
              rows.subList(from, Math.min(rows.size(), from + settings.batchSize()))));
          s.setLong(2, table.id());
          count += s.executeUpdate();
        }
      }
      return count;
    });
    LOG.debug("Dropped {} partition(s) of table {}", dropped, id);
  }

  // --- provisioning ---

  /** Runs pending migrations; returns how many ran. Safe to call concurrently (Flyway locks). */
  int migrate() {
    MigrateResult result = flyway.migrate();
    if (result.migrationsExecuted > 0) {
      LOG.info("Migrated schema {} to version {} ({} migration(s))", settings.schema(),
          result.targetSchemaVersion, result.migrationsExecuted);
    }
    return result.migrationsExecuted;
  }

  @Override
  public List<Change> plan() {
    List<Change> changes = new ArrayList<>();
    MigrationInfo[] pending = flyway.info().pending();
    boolean migrated = flyway.info().current() != null;
    if (pending.length > 0) {
      changes.add(schemaChange(migrated ? Change.Action.UPDATE : Change.Action.CREATE,
          pending.length + " migration(s) to version " + pending[pending.length - 1].getVersion()));
    } else {
      changes.add(schemaChange(Change.Action.NONE, "at version " + schemaVersion()));
    }
    if (!migrated) {
      settings.databases().forEach(db -> changes.add(change(db.name(), Change.Action.CREATE,
          "in schema " + settings.schema())));
      return changes;
    }
    changes.addAll(databases.plan());
    return changes;
  }

  @Override
  public List<Change> apply() {
    List<Change> changes = new ArrayList<>();
    boolean existed = flyway.info().current() != null;
    int ran = migrate();
    changes.add(ran == 0
        ? schemaChange(Change.Action.NONE, "at version " + schemaVersion())
        : schemaChange(existed ? Change.Action.UPDATE : Change.Action.CREATE,
            ran + " migration(s), now at version " + schemaVersion()));
    changes.addAll(databases.apply());
    LOG.info("Applied postgres metastore: {}", changes);
    return changes;
  }

  @Override
  public List<Change> destroy(DataPolicy policy) {
    requireNonNull(policy, "policy is null");
    List<Change> changes = new ArrayList<>();
    if (flyway.info().current() == null) {
      settings.databases().forEach(db -> changes.add(change(db.name(), Change.Action.NONE,
          "does not exist")));
      changes.add(schemaChange(Change.Action.NONE, "has no metastore"));
      return changes;
    }
    changes.addAll(databases.destroy(policy));
    List<String> remaining = listDatabases();
    if (remaining.isEmpty()) {
      // The name is checked against [a-z_][a-z0-9_]* and quoted: DDL takes no parameters.
      autoCommit("drop schema " + settings.schema(), true, c -> {
        try (Statement s = c.createStatement()) {
          return s.executeUpdate("DROP SCHEMA \"" + settings.schema() + "\" CASCADE");
        }
      });
      changes.add(schemaChange(Change.Action.DELETE, "no database left in it"));
    } else {
      changes.add(schemaChange(Change.Action.RETAIN, "holds database(s) " + remaining));
    }
    LOG.info("Destroyed postgres metastore ({}): {}", policy, changes);
    return changes;
  }


  /** Rewrites a database's properties (adoption marks it as owned). */
  private void replaceProperties(Database db) {
    autoCommit("adopt database " + db.name(), true, c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE databases SET properties = ?::jsonb WHERE name = ?")) {
        s.setString(1, json(db.properties()));
        s.setString(2, db.name());
        return s.executeUpdate();
      }
    });
  }

  private String schemaVersion() {
    MigrationInfo current = flyway.info().current();
    return current == null ? "none" : current.getVersion().toString();
  }

  private Change schemaChange(Change.Action action, String detail) {
    return new Change(SERVICE, "schema " + settings.schema(), action, detail);
  }

  private static Change change(String db, Change.Action action, String detail) {
    return new Change(SERVICE, "database " + db, action, detail);
  }

  // --- rows ---

  /** A table's row id, version and partition key names. */
  private record TableRow(long id, long version, List<String> partitionKeys) {}

  private Optional<TableRow> findTable(Connection c, TableId id, boolean lock)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT id, version, partition_keys FROM tables"
        + " WHERE database_name = ? AND table_name = ?" + (lock ? " FOR SHARE" : ""))) {
      s.setString(1, id.database());
      s.setString(2, id.table());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        List<String> keys = columns(r.getString(3)).stream().map(Column::name).toList();
        return Optional.of(new TableRow(r.getLong(1), r.getLong(2), keys));
      }
    }
  }

  /** The table's row, locked against drop and update until the transaction ends. */
  private TableRow lockTable(Connection c, TableId id, String action) throws SQLException {
    Optional<TableRow> row = findTable(c, id, true);
    if (row.isEmpty()) {
      throw noSuchTable(c, id, action);
    }
    return row.get();
  }

  private static List<TableId> tableIds(Connection c, String db) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT table_name FROM tables WHERE database_name = ? ORDER BY table_name")) {
      s.setString(1, db);
      try (ResultSet r = s.executeQuery()) {
        List<TableId> ids = new ArrayList<>();
        while (r.next()) {
          ids.add(TableId.of(db, r.getString(1)));
        }
        return ids;
      }
    }
  }

  private void setDefinition(PreparedStatement s, int first, TableDefinition d)
      throws SQLException {
    s.setString(first, d.location());
    s.setString(first + 1, d.format());
    s.setString(first + 2, json(d.columns()));
    s.setString(first + 3, json(d.partitionKeys()));
    s.setString(first + 4, json(d.properties()));
    s.setString(first + 5, d.comment().orElse(null));
  }

  private static void checkNoNul(Partition p, TableId id) {
    boolean nul = p.location().indexOf('\0') >= 0
        || p.values().stream().anyMatch(v -> v.indexOf('\0') >= 0);
    if (nul) {
      throw new IllegalArgumentException("Cannot add partition " + p.values() + " to table " + id
          + ": its values or location contain a NUL character");
    }
  }

  private static String locationOf(List<Map.Entry<List<String>, String>> chunk,
      List<String> values) {
    return chunk.stream().filter(e -> e.getKey().equals(values)).map(Map.Entry::getValue)
        .findFirst().orElse("?");
  }

  private static List<String> textArray(Array array) throws SQLException {
    try {
      return List.of((String[]) array.getArray());
    } finally {
      array.free();
    }
  }

  // --- JSON ---

  private String partitionsJson(List<Map.Entry<List<String>, String>> rows) {
    ArrayNode array = mapper.createArrayNode();
    for (Map.Entry<List<String>, String> row : rows) {
      ObjectNode o = array.addObject();
      ArrayNode v = o.putArray("v");
      row.getKey().forEach(v::add);
      o.put("l", row.getValue());
    }
    return array.toString();
  }

  private String json(List<Column> columns) {
    ArrayNode array = mapper.createArrayNode();
    for (Column column : columns) {
      ObjectNode c = array.addObject();
      c.put("name", column.name());
      c.put("type", column.type());
      column.comment().ifPresent(comment -> c.put("comment", comment));
    }
    return array.toString();
  }

  private String json(Map<String, String> map) {
    ObjectNode node = mapper.createObjectNode();
    new TreeMap<>(map).forEach(node::put);
    return node.toString();
  }

  private List<Column> columns(String json) {
    List<Column> columns = new ArrayList<>();
    readTree(json).forEach(c -> columns.add(new Column(c.path("name").asText(),
        c.path("type").asText(), Optional.ofNullable(c.get("comment")).map(JsonNode::asText))));
    return columns;
  }

  private Map<String, String> stringMap(String json) {
    try {
      return json == null ? Map.of() : mapper.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new ProviderException("Cannot read metastore properties: " + e.getMessage(), e);
    }
  }

  private JsonNode readTree(String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ProviderException("Cannot read metastore columns: " + e.getMessage(), e);
    }
  }

  // --- JDBC helpers ---

  private interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T autoCommit(String action, boolean write, SqlWork<T> work) {
    checkOpen(action);
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failure(action, e, write);
    }
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  private <T> T transaction(String action, SqlWork<T> work) {
    checkOpen(action);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure(action, e, true);
    }
  }

  private void checkOpen(String action) {
    if (closed.get()) {
      throw new IllegalStateException("Cannot " + action + ": the metastore is closed");
    }
  }

  private EdxException failure(String action, SQLException e, boolean write) {
    String state = e.getSQLState();
    if (write && state != null && state.startsWith("08")) {
      return new OperationStateUnknownException("Cannot " + action + ": the connection to "
          + settings.displayUrl() + " failed, the change may or may not have been made; read it"
          + " back before retrying: " + e.getMessage(), e);
    }
    return new ProviderException("Cannot " + action + " in " + settings.displayUrl() + ": "
        + e.getMessage(), e);
  }

  private RuntimeException noSuchTable(Connection c, TableId id, String action)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM databases WHERE name = ?")) {
      s.setString(1, id.database());
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? tableMissing(id, action) : noSuchDatabase(id.database(), action);
      }
    }
  }

  private RuntimeException noSuchTable(TableId id, String action) {
    return autoCommit(action, false, c -> noSuchTable(c, id, action));
  }

  private static NoSuchTableException tableMissing(TableId id, String action) {
    return new NoSuchTableException(id.toString(),
        "Cannot " + action + ": table " + id + " does not exist");
  }

  private static NoSuchDatabaseException noSuchDatabase(String db, String action) {
    return new NoSuchDatabaseException(db, "Cannot " + action + ": database " + db
        + " does not exist");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }

  /** Closes the pool. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      dataSource.close();
      LOG.debug("Closed postgres metastore on {}", settings.displayUrl());
    }
  }

  @Override
  public String toString() {
    return "PostgresMetastore{" + settings.displayUrl() + ", " + settings.displayUser()
        + ", schema=" + settings.schema() + "}";
  }
}
