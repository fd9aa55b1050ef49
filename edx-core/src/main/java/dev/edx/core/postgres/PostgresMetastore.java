package dev.edx.core.postgres;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.Partition;
import dev.edx.api.Table;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.exceptions.CommitConflictException;
import dev.edx.api.exceptions.DatabaseAlreadyExistsException;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.exceptions.TableAlreadyExistsException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.Provisioner;
import dev.edx.toolkit.MetastoreDatabaseProvisioner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
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
 *
 * <p>This class holds the databases and tables; partitions are {@link PostgresPartitions}',
 * provisioning {@link PostgresProvisioning}'s, the pool, transactions and the mapping of SQL
 * failures {@link PostgresSql}'s, the {@code jsonb} values {@link PostgresJson}'s.
 */
public final class PostgresMetastore implements Metastore, Provisioner, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresMetastore.class);

  private final PostgresSettings settings;
  private final PostgresJson json = new PostgresJson();
  private final PostgresSql sql;
  private final PostgresPartitions partitions;
  private final PostgresProvisioning provisioning;

  /**
   * Connects, and runs pending migrations unless the settings say not to.
   *
   * @throws ProviderException "Cannot connect to &lt;url&gt; as user &lt;user&gt;: &lt;why&gt;"
   *     if the server cannot be reached or refuses the credentials
   */
  PostgresMetastore(PostgresSettings settings, String environmentName) {
    this.settings = requireNonNull(settings, "settings is null");
    MetastoreDatabaseProvisioner databases = new MetastoreDatabaseProvisioner(this,
        environmentName, settings.databases(), this::replaceProperties,
        "in schema " + settings.schema());
    long start = System.nanoTime();
    HikariDataSource dataSource = PostgresSql.connect(settings,
        requireNonNull(environmentName, "environmentName is null"));
    this.sql = new PostgresSql(dataSource, settings);
    this.partitions = new PostgresPartitions(sql, json, settings.batchSize());
    long connected = System.nanoTime();
    try {
      this.provisioning = new PostgresProvisioning(settings, dataSource, sql, this, databases);
      if (settings.migrate()) {
        provisioning.migrate();
      }
      LOG.debug("Postgres metastore opened: pool {} ms, migrations checked {} ms",
          (connected - start) / 1_000_000, (System.nanoTime() - connected) / 1_000_000);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e instanceof EdxException edx ? edx : new ProviderException("Cannot prepare schema "
          + settings.schema() + " on " + settings.displayUrl() + ": " + e.getMessage(), e);
    }
    LOG.info("Postgres metastore on {} as {}, schema {}", settings.displayUrl(),
        settings.displayUser(), settings.schema());
  }

  // --- databases ---

  @Override
  public void createDatabase(Database database) {
    requireNonNull(database, "database is null");
    String action = "create database " + database.name();
    int rows = sql.autoCommit(action, true, c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO databases (name, location,"
          + " properties) VALUES (?, ?, ?::jsonb) ON CONFLICT (name) DO NOTHING")) {
        s.setString(1, database.name());
        s.setString(2, database.location().orElse(null));
        s.setString(3, json.write(database.properties()));
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
    return sql.autoCommit("load database " + db, false, c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT location, properties FROM databases WHERE name = ?")) {
        s.setString(1, db);
        try (ResultSet r = s.executeQuery()) {
          return r.next()
              ? Optional.of(new Database(db, Optional.ofNullable(r.getString(1)),
                  json.stringMap(r.getString(2))))
              : Optional.<Database>empty();
        }
      }
    });
  }

  @Override
  public List<String> listDatabases() {
    return sql.autoCommit("list databases", false, c -> {
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
    int tables = sql.transaction(action, c -> {
      try (PreparedStatement lock = c.prepareStatement(
          "SELECT name FROM databases WHERE name = ? FOR UPDATE")) {
        lock.setString(1, db);
        try (ResultSet r = lock.executeQuery()) {
          if (!r.next()) {
            throw PostgresSql.noSuchDatabase(db, action);
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
      rows = sql.autoCommit(action, true, c -> {
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
      if (e.getCause() instanceof SQLException cause && "23503".equals(cause.getSQLState())) {
        throw PostgresSql.noSuchDatabase(id.database(), action);
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
    return sql.autoCommit("load table " + id, false, c -> {
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
              json.columns(r.getString(3)), json.columns(r.getString(4)),
              json.stringMap(r.getString(5)),
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
    return sql.autoCommit(action, false, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT t.table_name FROM databases d"
          + " LEFT JOIN tables t ON t.database_name = d.name WHERE d.name = ?"
          + " ORDER BY t.table_name")) {
        s.setString(1, db);
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            throw PostgresSql.noSuchDatabase(db, action);
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
    Optional<Long> updated = sql.autoCommit(action, true, c -> {
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
    long actual = loadTable(id).map(Table::version).orElseThrow(() -> sql.noSuchTable(id, action));
    throw new CommitConflictException(id.toString(), expectedVersion, actual,
        "Cannot " + action + ": expected version " + expectedVersion + " but it is at version "
            + actual + "; reload it and retry");
  }

  @Override
  public void dropTable(TableId id) {
    requireNonNull(id, "id is null");
    String action = "drop table " + id;
    int rows = sql.autoCommit(action, true, c -> {
      // Its partitions go with it (ON DELETE CASCADE); the files at its location stay.
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM tables WHERE database_name = ? AND table_name = ?")) {
        s.setString(1, id.database());
        s.setString(2, id.table());
        return s.executeUpdate();
      }
    });
    if (rows == 0) {
      throw sql.noSuchTable(id, action);
    }
    LOG.debug("Dropped table {} (its data is kept)", id);
  }

  // --- partitions ---

  @Override
  public void addPartitions(TableId id, Collection<Partition> partitions, boolean replace) {
    this.partitions.addPartitions(id, partitions, replace);
  }

  @Override
  public Stream<Partition> listPartitions(TableId id, Map<String, String> filter) {
    return partitions.listPartitions(id, filter);
  }

  @Override
  public void dropPartitions(TableId id, Collection<List<String>> values) {
    partitions.dropPartitions(id, values);
  }

  // --- provisioning ---

  /** Runs pending migrations; returns how many ran. Safe to call concurrently (Flyway locks). */
  int migrate() {
    return provisioning.migrate();
  }

  @Override
  public List<Change> plan() {
    return provisioning.plan();
  }

  @Override
  public List<Change> apply() {
    return provisioning.apply();
  }

  @Override
  public List<Change> destroy(DataPolicy policy) {
    return provisioning.destroy(policy);
  }

  @Override
  public List<Change> planDestroy(DataPolicy policy) {
    return provisioning.planDestroy(policy);
  }

  /** Rewrites a database's properties (adoption marks it as owned). */
  private void replaceProperties(Database db) {
    sql.autoCommit("adopt database " + db.name(), true, c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE databases SET properties = ?::jsonb WHERE name = ?")) {
        s.setString(1, json.write(db.properties()));
        s.setString(2, db.name());
        return s.executeUpdate();
      }
    });
  }

  // --- rows ---

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
    s.setString(first + 2, json.write(d.columns()));
    s.setString(first + 3, json.write(d.partitionKeys()));
    s.setString(first + 4, json.write(d.properties()));
    s.setString(first + 5, d.comment().orElse(null));
  }

  /** Closes the pool. Idempotent. */
  @Override
  public void close() {
    if (sql.close()) {
      LOG.debug("Closed postgres metastore on {}", settings.displayUrl());
    }
  }

  @Override
  public String toString() {
    return "PostgresMetastore{" + settings.displayUrl() + ", " + settings.displayUser()
        + ", schema=" + settings.schema() + "}";
  }
}
