package dev.edx.core.postgres;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import dev.edx.api.Metastore;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.toolkit.MetastoreDatabaseProvisioner;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisioning of {@link PostgresMetastore}: the Flyway migrations of its schema (under {@code
 * db/edx-metastore}), then the databases its spec declares through {@link
 * MetastoreDatabaseProvisioner}; {@code destroy} drops them (metadata only: data at the tables'
 * locations stays) and drops the schema once no database is left in it.
 */
final class PostgresProvisioning {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresProvisioning.class);
  private static final String SERVICE = "metastore";
  private static final String MIGRATIONS = "classpath:db/edx-metastore";
  private static final String HISTORY_TABLE = "flyway_schema_history";

  private final PostgresSettings settings;
  private final PostgresSql sql;
  private final Metastore metastore;
  private final MetastoreDatabaseProvisioner databases;
  /**
   * The newest migration's version under {@code db/edx-metastore}; a test checks it against the
   * files. Opening a metastore whose history ends at it successfully needs no Flyway.
   */
  static final String LATEST_VERSION = "1";

  private final HikariDataSource dataSource;
  private Flyway flyway;

  /**
   * @param dataSource the pool Flyway migrates through
   * @param metastore the metastore whose databases are provisioned
   * @param databases the provisioner of the databases the spec declares
   */
  PostgresProvisioning(PostgresSettings settings, HikariDataSource dataSource, PostgresSql sql,
      Metastore metastore, MetastoreDatabaseProvisioner databases) {
    this.settings = requireNonNull(settings, "settings is null");
    this.sql = requireNonNull(sql, "sql is null");
    this.metastore = requireNonNull(metastore, "metastore is null");
    this.databases = requireNonNull(databases, "databases is null");
    this.dataSource = requireNonNull(dataSource, "dataSource is null");
  }

  /**
   * Flyway, configured on first use: loading it and scanning the migrations is most of the cost
   * of opening a metastore whose schema is already current, which {@link #migrate} skips.
   */
  private synchronized Flyway flyway() {
    if (flyway == null) {
      flyway = configure();
    }
    return flyway;
  }

  private Flyway configure() {
    return Flyway.configure(PostgresMetastore.class.getClassLoader())
        .dataSource(dataSource)
        .schemas(settings.schema())
        .defaultSchema(settings.schema())
        .createSchemas(true)
        .table(HISTORY_TABLE)
        .locations(MIGRATIONS)
        .cleanDisabled(true)
        .loggers("slf4j")
        .load();
  }

  /**
   * Runs pending migrations; returns how many ran. Safe to call concurrently (Flyway locks). A
   * schema whose history's last entry is {@link #LATEST_VERSION}, successful, is current: then
   * one query answers and Flyway is not loaded (plan and apply still run it, and validate).
   */
  int migrate() {
    if (current()) {
      LOG.debug("Schema {} is at version {}: no migration to run", settings.schema(),
          LATEST_VERSION);
      return 0;
    }
    MigrateResult result = flyway().migrate();
    if (result.migrationsExecuted > 0) {
      LOG.info("Migrated schema {} to version {} ({} migration(s))", settings.schema(),
          result.targetSchemaVersion, result.migrationsExecuted);
    }
    return result.migrationsExecuted;
  }

  /** Whether the history's last entry is the newest migration, successful; false without one. */
  private boolean current() {
    String table = "\"" + settings.schema().replace("\"", "\"\"") + "\"." + HISTORY_TABLE;
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      // Looked up first, so that a new schema does not put an error in the server's log.
      try (ResultSet exists = s.executeQuery("SELECT to_regclass('" + table.replace("'", "''")
          + "') IS NOT NULL")) {
        if (!exists.next() || !exists.getBoolean(1)) {
          return false;
        }
      }
      try (ResultSet r = s.executeQuery("SELECT version, success FROM " + table
          + " ORDER BY installed_rank DESC LIMIT 1")) {
        return r.next() && r.getBoolean(2) && LATEST_VERSION.equals(r.getString(1));
      }
    } catch (SQLException e) {
      LOG.debug("No migration history in schema {} yet: {}", settings.schema(), e.toString());
      return false;
    }
  }

  List<Change> plan() {
    List<Change> changes = new ArrayList<>();
    MigrationInfo[] pending = flyway().info().pending();
    boolean migrated = flyway().info().current() != null;
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

  List<Change> apply() {
    List<Change> changes = new ArrayList<>();
    boolean existed = flyway().info().current() != null;
    int ran = migrate();
    changes.add(ran == 0
        ? schemaChange(Change.Action.NONE, "at version " + schemaVersion())
        : schemaChange(existed ? Change.Action.UPDATE : Change.Action.CREATE,
            ran + " migration(s), now at version " + schemaVersion()));
    changes.addAll(databases.apply());
    LOG.info("Applied postgres metastore: {}", changes);
    return changes;
  }

  List<Change> destroy(DataPolicy policy) {
    return teardown(policy, true);
  }

  /** The changes {@link #destroy} would make, the schema's included, without making them. */
  List<Change> planDestroy(DataPolicy policy) {
    return teardown(policy, false);
  }

  private List<Change> teardown(DataPolicy policy, boolean execute) {
    requireNonNull(policy, "policy is null");
    List<Change> changes = new ArrayList<>();
    if (flyway().info().current() == null) {
      settings.databases().forEach(db -> changes.add(change(db.name(), Change.Action.NONE,
          "does not exist")));
      changes.add(schemaChange(Change.Action.NONE, "has no metastore"));
      return changes;
    }
    List<Change> databaseChanges = execute ? databases.destroy(policy)
        : databases.planDestroy(policy);
    changes.addAll(databaseChanges);
    List<String> remaining = new ArrayList<>(metastore.listDatabases());
    if (!execute) {
      // What the planned deletes would leave.
      databaseChanges.stream().filter(c -> c.action() == Change.Action.DELETE)
          .forEach(c -> remaining.remove(c.resource().substring(c.resource().indexOf(' ') + 1)));
    }
    if (remaining.isEmpty()) {
      if (execute) {
        // The name is checked against [a-z_][a-z0-9_]* and quoted: DDL takes no parameters.
        sql.autoCommit("drop schema " + settings.schema(), true, c -> {
          try (Statement s = c.createStatement()) {
            return s.executeUpdate("DROP SCHEMA \"" + settings.schema() + "\" CASCADE");
          }
        });
      }
      changes.add(schemaChange(Change.Action.DELETE, "no database left in it"));
    } else {
      changes.add(schemaChange(Change.Action.RETAIN, "holds database(s) " + remaining));
    }
    if (execute) {
      LOG.info("Destroyed postgres metastore ({}): {}", policy, changes);
    }
    return changes;
  }

  private String schemaVersion() {
    MigrationInfo current = flyway().info().current();
    return current == null ? "none" : current.getVersion().toString();
  }

  private Change schemaChange(Change.Action action, String detail) {
    return new Change(SERVICE, "schema " + settings.schema(), action, detail);
  }

  private static Change change(String db, Change.Action action, String detail) {
    return new Change(SERVICE, "database " + db, action, detail);
  }
}
