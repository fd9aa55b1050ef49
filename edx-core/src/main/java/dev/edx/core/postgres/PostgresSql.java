package dev.edx.core.postgres;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.edx.api.TableId;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.NoSuchDatabaseException;
import dev.edx.api.exceptions.NoSuchTableException;
import dev.edx.api.exceptions.OperationStateUnknownException;
import dev.edx.api.exceptions.ProviderException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JDBC side of {@link PostgresMetastore}: its connection pool, how work runs on a connection
 * (auto-commit or one transaction), and how SQL failures and missing rows map to edx exceptions.
 */
final class PostgresSql {

  /** Work on one connection. */
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  private final HikariDataSource dataSource;
  private final PostgresSettings settings;
  private final AtomicBoolean closed = new AtomicBoolean();

  PostgresSql(HikariDataSource dataSource, PostgresSettings settings) {
    this.dataSource = requireNonNull(dataSource, "dataSource is null");
    this.settings = requireNonNull(settings, "settings is null");
  }

  /**
   * Opens the pool.
   *
   * @throws ProviderException "Cannot connect to &lt;url&gt; as user &lt;user&gt;: &lt;why&gt;"
   *     if the server cannot be reached or refuses the credentials
   */
  static HikariDataSource connect(PostgresSettings settings, String environmentName) {
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

  /** Runs {@code work} on a connection in auto-commit mode. */
  <T> T autoCommit(String action, boolean write, SqlWork<T> work) {
    checkOpen(action);
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failure(action, e, write);
    }
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  <T> T transaction(String action, SqlWork<T> work) {
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

  /** Closes the pool; returns whether this call closed it. Idempotent. */
  boolean close() {
    if (closed.compareAndSet(false, true)) {
      dataSource.close();
      return true;
    }
    return false;
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

  /** The table is missing: a {@link NoSuchDatabaseException} if its database is missing too. */
  RuntimeException noSuchTable(Connection c, TableId id, String action) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM databases WHERE name = ?")) {
      s.setString(1, id.database());
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? tableMissing(id, action) : noSuchDatabase(id.database(), action);
      }
    }
  }

  RuntimeException noSuchTable(TableId id, String action) {
    return autoCommit(action, false, c -> noSuchTable(c, id, action));
  }

  private static NoSuchTableException tableMissing(TableId id, String action) {
    return new NoSuchTableException(id.toString(),
        "Cannot " + action + ": table " + id + " does not exist");
  }

  static NoSuchDatabaseException noSuchDatabase(String db, String action) {
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
}
