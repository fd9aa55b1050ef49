package dev.edx.provider.jdbc;

import dev.edx.testkit.DataStoreProvisionerContract;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The provisioner contract against the {@code jdbc} data store's schemas ({@code
 * spec.datastores.warehouse.schemas}), the part every dialect's server shares: a schema's data
 * is a table {@code events} with a row, and the backend is reached behind edx's back with plain
 * JDBC ({@link #connect()}). A dialect's test adds its connection settings and the statements
 * that reach its catalogue.
 */
abstract class JdbcProvisionerContract extends DataStoreProvisionerContract<Void> {
  private static final Pattern OWNER = Pattern.compile("^edx\\.dev/environment=([a-z0-9-]+)$");

  JdbcProvisionerContract() {
    super(new JdbcDataStoreProvider(), "warehouse", "schemas");
  }

  /** A connection as the administrator, behind edx's back. */
  abstract Connection connect() throws SQLException;

  @Override
  protected char separator() {
    return '_';
  }

  @Override
  protected Duration consistencyTimeout() {
    return Duration.ZERO;
  }

  @Override
  protected void putData(String name) {
    execute("CREATE TABLE " + name + ".events (id bigint)");
    execute("INSERT INTO " + name + ".events VALUES (1)");
  }

  /**
   * A store of environment {@code env} declaring {@code schemas} and {@code roles}, made as the
   * contract's are (the same section, with {@code roles} added).
   */
  JdbcStore store(String env, List<String> schemas, List<Map<String, Object>> roles) {
    return (JdbcStore) Specs.create(new JdbcDataStoreProvider(),
        sectionBuilder(schemas.stream().map(s -> new Declared(s, false)).toList())
            .set("roles", roles).build(),
        new TestProviderContext(env));
  }

  /** The environment an ownership text names, when it is edx's mark. */
  static Optional<String> markOf(Optional<String> text) {
    return text.map(OWNER::matcher).filter(Matcher::matches).map(m -> m.group(1));
  }

  void execute(String sql) {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The first column of the first row of a query of one parameter; empty when no row. */
  Optional<String> query(String sql, String parameter) {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
