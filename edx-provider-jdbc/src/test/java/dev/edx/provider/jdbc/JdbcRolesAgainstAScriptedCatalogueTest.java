package dev.edx.provider.jdbc;

import static dev.edx.provider.jdbc.ScriptedCatalogue.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The roles' plan/apply/destroy flow of the dialects no server of which runs in the build (SQL
 * Server, Oracle, Snowflake, Teradata), against a {@link ScriptedCatalogue} (a double: it answers
 * the catalogue queries with scripted rows and records what edx sends). It shows what edx reads,
 * decides and sends; not that a server accepts it (unproven, see docs/providers/jdbc.md).
 */
class JdbcRolesAgainstAScriptedCatalogueTest {
  private static final String MARK = SqlDialect.marker("dev");

  private static JdbcStore store(ScriptedCatalogue catalogue, String dialect, String url,
      List<Map<String, Object>> roles) {
    ServiceSpec.Builder spec = ServiceSpec.builder("datastores.warehouse", "jdbc")
        .setSource("<test>").set("dialect", dialect).set("url", url)
        .set("schemas", List.of("gha", "legacy")).set("roles", roles);
    if (dialect.equals("teradata")) {
      spec.set("permanentSpace", "1GiB");
    }
    return ((JdbcStore) Specs.create(new JdbcDataStoreProvider(), spec.build(),
        new TestProviderContext("dev"))).substitute(catalogue.dataSource());
  }

  private static ScriptedCatalogue ownedSchemas(SqlDialect d) {
    return new ScriptedCatalogue().answer(d.listSchemas(),
        List.of(row("gha", MARK), row("legacy", MARK)));
  }

  @Test
  void sqlserverCreatesARoleInOneTransactionThenFixesItsGrantsAndDropsAnUndeclaredOne() {
    SqlDialect d = SqlDialect.SQLSERVER;
    String url = "jdbc:sqlserver://h;databaseName=wh";
    Role writer = new Role("r", false, List.of("gha"), Role.Access.WRITE);
    ScriptedCatalogue fresh = ownedSchemas(d).answer(d.listRoles(), List.of());
    try (JdbcStore store = store(fresh, "sqlserver", url,
        List.of(Map.of("name", "r", "schemas", List.of("gha"), "access", "write")))) {
      assertThat(store.plan()).extracting(Change::resource, Change::action).containsExactly(
          tuple("schema gha", Action.NONE), tuple("schema legacy", Action.NONE),
          tuple("role r", Action.CREATE));
      fresh.clear();
      store.apply();
      assertThat(fresh.sent()).containsSubsequence(d.createRole(writer, MARK));
      assertThat(fresh.commits()).as("the role, its mark and grants: one transaction")
          .isEqualTo(1);
    }

    ScriptedCatalogue drifted = ownedSchemas(d)
        .answer(d.listRoles(), List.of(row("r", MARK), row("old", MARK), row("theirs", null)))
        .answer(d.listGrants(List.of("r")).orElseThrow(),
            List.of(row("r", "gha", "SELECT", "Y"), row("r", "legacy", "SELECT", "Y")));
    try (JdbcStore store = store(drifted, "sqlserver", url,
        List.of(Map.of("name", "r", "schemas", List.of("gha"), "access", "write")))) {
      List<Change> planned = store.plan();
      assertThat(planned).extracting(Change::resource, Change::action).containsExactly(
          tuple("schema gha", Action.NONE), tuple("schema legacy", Action.NONE),
          tuple("role r", Action.UPDATE), tuple("role old", Action.DELETE));
      assertThat(planned.get(2).detail()).isEqualTo("grants differ from the spec (write on"
          + " gha): grant INSERT, UPDATE, DELETE on gha; revoke SELECT on legacy");
      drifted.clear();
      store.apply();
      assertThat(drifted.sent()).containsSubsequence(
          "GRANT INSERT, UPDATE, DELETE ON SCHEMA::[gha] TO [r]",
          "REVOKE SELECT ON SCHEMA::[legacy] FROM [r]", d.dropRole("old").get(0));
      assertThat(drifted.sent()).noneMatch(sql -> sql.contains("[theirs]"));
      assertThat(drifted.sent().stream().filter(d.listRoles()::equals)).hasSize(1);
    }
  }

  @Test
  void snowflakeListsRolesThroughShowRolesAndPlansNoGrantDrift() {
    SqlDialect d = SqlDialect.SNOWFLAKE;
    ScriptedCatalogue catalogue = ownedSchemas(d)
        .answer(d.listRoles(), List.of(row("gha_reader", MARK)));
    try (JdbcStore store = store(catalogue, "snowflake",
        "jdbc:snowflake://a.snowflakecomputing.com/?db=wh",
        List.of(Map.of("name", "gha_reader", "schemas", List.of("gha"), "access", "read")))) {
      assertThat(store.plan()).extracting(Change::resource, Change::action)
          .contains(tuple("role gha_reader", Action.NONE));
      List<String> sent = catalogue.sent();
      assertThat(sent).containsSubsequence("SHOW ROLES", d.listRoles());
      assertThat(sent.indexOf(d.listRoles()) - sent.indexOf("SHOW ROLES")).isEqualTo(1);
      assertThat(sent).noneMatch(sql -> sql.contains("GRANT"));
    }
  }

  @Test
  void oracleReadsNoRoleCatalogueUntilARoleIsDeclaredThenMarksBeforeCreating() {
    SqlDialect d = SqlDialect.ORACLE;
    String url = "jdbc:oracle:thin:@//h:1521/wh";
    ScriptedCatalogue catalogue = ownedSchemas(d)
        .answer(d.roleMarksPresent().orElseThrow(), List.of(row(0)))
        .answer(d.listRoles(), List.of());
    try (JdbcStore store = store(catalogue, "oracle", url, List.of())) {
      store.plan();
      assertThat(catalogue.sent()).as("no DBA_ROLES read for a store without roles")
          .doesNotContain(d.listRoles());
    }
    catalogue.clear();
    Role reader = new Role("gha_reader", false, List.of("gha"), Role.Access.READ);
    try (JdbcStore store = store(catalogue, "oracle", url,
        List.of(Map.of("name", "gha_reader", "schemas", List.of("gha"), "access", "read")))) {
      assertThat(store.apply()).extracting(Change::resource, Change::action)
          .contains(tuple("role gha_reader", Action.CREATE));
      assertThat(catalogue.sent()).containsSubsequence(d.createRole(reader, MARK));
      assertThat(catalogue.commits()).as("Oracle's DDL commits each statement").isZero();
    }
  }

  @Test
  void teradataKeepsARoleAsDeclaredAndDestroyDropsOnlyOwnedOnes() {
    SqlDialect d = SqlDialect.TERADATA;
    ScriptedCatalogue catalogue = ownedSchemas(d)
        .answer(d.listRoles(), List.of(row("gha_reader", MARK), row("theirs", "a role")))
        .answer(d.listGrants(List.of("gha_reader", "theirs")).orElseThrow(),
            List.of(row("gha_reader", "gha", "SELECT", "Y")))
        .answer(d.countRelations(), List.of(row(0)));
    try (JdbcStore store = store(catalogue, "teradata", "jdbc:teradata://h/DATABASE=wh",
        List.of(Map.of("name", "gha_reader", "schemas", List.of("gha"), "access", "read"),
            Map.of("name", "theirs", "schemas", List.of("gha"), "access", "read")))) {
      assertThat(store.apply()).extracting(Change::resource, Change::action).contains(
          tuple("role gha_reader", Action.NONE), tuple("role theirs", Action.NONE));
      assertThat(catalogue.sent()).noneMatch(sql -> sql.startsWith("GRANT")
          || sql.startsWith("REVOKE"));
      catalogue.clear();
      assertThat(store.destroy(DataPolicy.PURGE)).extracting(Change::resource, Change::action)
          .contains(tuple("role gha_reader", Action.DELETE), tuple("role theirs", Action.NONE));
      assertThat(catalogue.sent()).contains("DROP ROLE \"gha_reader\"")
          .doesNotContain("DROP ROLE \"theirs\"");
    }
  }
}
