package dev.edx.provider.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.embedded.PostgresEndpoint;
import dev.edx.testkit.EdxTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provisioner contract against the {@code jdbc} data store's schemas, dialect {@code
 * postgresql}, on the run's embedded PostgreSQL server, in a database of its own. The backend is
 * reached behind edx's back with plain JDBC. The schema and its ownership comment are created in
 * one transaction, so there is no half-created schema to test.
 */
@EdxTest
class JdbcProvisionerContractTest extends JdbcProvisionerContract {
  private static PostgresEndpoint postgres;
  private static String url;

  @BeforeAll
  static void open(PostgresEndpoint endpoint) {
    postgres = endpoint;
    url = endpoint.createDatabase("edxt_jdbc_contract_" + ProcessHandle.current().pid());
  }

  @Override
  protected void connectionSettings(ServiceSpec.Builder section) {
    section.set("dialect", "postgresql")
        .set("url", url)
        .set("user", postgres.user())
        .setSensitive("password", postgres.password())
        .set("poolSize", 2);
  }

  @Override
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, postgres.user(), postgres.password());
  }

  @Override
  protected void createUnowned(String name) {
    execute("CREATE SCHEMA " + name);
  }

  @Override
  protected boolean holdsData(String name) {
    return query("SELECT count(*) FROM pg_tables WHERE schemaname = ? AND tablename = 'events'",
        name).map(Long::parseLong).orElse(0L) > 0;
  }

  @Override
  protected void deleteBehindBack(String name) {
    execute("DROP SCHEMA " + name + " CASCADE");
  }

  @Override
  protected boolean exists(String name) {
    return query("SELECT nspname FROM pg_namespace WHERE nspname = ?", name).isPresent();
  }

  @Override
  protected Optional<String> owner(String name) {
    return markOf(query("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace"
        + " WHERE nspname = ?", name));
  }

  /**
   * A call lists the schemas once and the roles once, whatever it declares (the listing is not
   * run per resource), and lists them again on the next call.
   */
  @Test
  void eachCallListsTheCatalogueOnceWhateverItDeclares() {
    String tag = String.valueOf(ProcessHandle.current().pid());
    String a = newName();
    String b = newName();
    String c = newName();
    String reader = "edxt_lreader_" + tag;
    String writer = "edxt_lwriter_" + tag;
    List<String> sql = new CopyOnWriteArrayList<>();
    SqlDialect d = SqlDialect.POSTGRESQL;
    try (JdbcStore store = store(ENVIRONMENT, List.of(a, b, c),
            List.of(RoleScenario.role(reader, a, "read"), RoleScenario.role(writer, b, "write")))
        .decorate(ds -> StatementLog.wrap(ds, sql))) {
      assertThat(store.plan()).hasSize(5);
      assertListedOnce(sql, d, "plan from nothing");
      sql.clear();
      store.apply();
      assertListedOnce(sql, d, "apply");
      sql.clear();
      assertThat(store.plan()).extracting(Change::action).containsOnly(Action.NONE);
      assertListedOnce(sql, d, "plan of what exists");
      sql.clear();
      execute("DROP SCHEMA " + c + " CASCADE");
      assertThat(store.plan()).extracting(Change::resource, Change::action)
          .contains(tuple("schema " + c, Action.CREATE));
      assertListedOnce(sql, d, "the next plan, which sees the drop");
      sql.clear();
      store.destroy(DataPolicy.PURGE);
      assertListedOnce(sql, d, "destroy");
    } finally {
      execute("DROP ROLE IF EXISTS " + reader);
      execute("DROP ROLE IF EXISTS " + writer);
    }
  }

  private static void assertListedOnce(List<String> sql, SqlDialect d, String call) {
    assertThat(sql.stream().filter(d.listSchemas()::equals)).as("schema listings of %s: %s",
        call, sql).hasSize(1);
    assertThat(sql.stream().filter(d.listRoles()::equals)).as("role listings of %s: %s", call,
        sql).hasSize(1);
  }

  /**
   * Roles, beyond the contract (which is about schemas): created NOLOGIN with their comment, the
   * grants a login user sees, removal, an unowned role left alone, adoption and destroy.
   */
  @Test
  void rolesAreProvisionedWithTheirGrantsAndKeptAsDeclared() throws SQLException {
    RoleScenario scenario = scenario();
    scenario.run(String.valueOf(ProcessHandle.current().pid()));
    scenario.runDrift(String.valueOf(ProcessHandle.current().pid()));
  }

  /** Identifiers are exact in PostgreSQL: a role granted on {@code a_b} cannot read {@code axb}. */
  @Test
  void aRoleReachesOnlyItsOwnSchemaWhateverItsNameHolds() throws SQLException {
    scenario().runLookalike(String.valueOf(ProcessHandle.current().pid()));
  }

  private RoleScenario scenario() {
    return new RoleScenario() {
      @Override
      JdbcStore store(String env, List<String> schemas, List<Map<String, Object>> roles) {
        return JdbcProvisionerContractTest.this.store(env, schemas, roles);
      }

      @Override
      void admin(String sql) {
        execute(sql);
      }

      @Override
      Connection loginGranted(String user, String role) throws SQLException {
        execute("CREATE ROLE " + user + " LOGIN PASSWORD 'edxt-pw'");
        execute("GRANT " + role + " TO " + user);
        return DriverManager.getConnection(url, user, "edxt-pw");
      }

      @Override
      void dropLogin(String user) {
        execute("DROP ROLE IF EXISTS " + user);
      }

      @Override
      void createUnownedRole(String role) {
        execute("CREATE ROLE " + role + " NOLOGIN");
      }

      @Override
      void dropRoleBehindBack(String role) {
        if (roleExists(role)) { // with the grants a failed test may have left
          execute("GRANT " + role + " TO CURRENT_USER");
          execute("DROP OWNED BY " + role);
          execute("DROP ROLE " + role);
        }
      }

      @Override
      boolean roleExists(String role) {
        return query("SELECT rolname FROM pg_roles WHERE rolname = ?", role).isPresent();
      }

      @Override
      Optional<String> roleOwner(String role) {
        return markOf(query("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles"
            + " WHERE rolname = ?", role));
      }
      @Override
      void grantReadBehindBack(String role, String schema) {
        execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
        execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + role);
      }
    };
  }

}
