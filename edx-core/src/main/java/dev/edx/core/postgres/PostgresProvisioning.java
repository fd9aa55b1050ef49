package dev.edx.core.postgres;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import dev.edx.api.Metastore;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.toolkit.MetastoreDatabaseProvisioner;
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
  private final Flyway flyway;

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
  }

  /** Runs pending migrations; returns how many ran. Safe to call concurrently (Flyway locks). */
  int migrate() {
    MigrateResult result = flyway.migrate();
    if (result.migrationsExecuted > 0) {
      LOG.info("Migrated schema {} to version {} ({} migration(s))", settings.schema(),
          result.targetSchemaVersion, result.migrationsExecuted);
    }
    return result.migrationsExecuted;
  }

  List<Change> plan() {
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

  List<Change> apply() {
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
    if (flyway.info().current() == null) {
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
    MigrationInfo current = flyway.info().current();
    return current == null ? "none" : current.getVersion().toString();
  }

  private Change schemaChange(Change.Action action, String detail) {
    return new Change(SERVICE, "schema " + settings.schema(), action, detail);
  }

  private static Change change(String db, Change.Action action, String detail) {
    return new Change(SERVICE, "database " + db, action, detail);
  }
}
