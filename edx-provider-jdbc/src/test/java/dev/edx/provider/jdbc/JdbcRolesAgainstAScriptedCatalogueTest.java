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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
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

  /** Plans: the owned schemas as they are, then {@code roles} (resource, action); the changes. */
  private static List<Change> planRoles(JdbcStore store, Tuple... roles) {
    List<Tuple> expected = new ArrayList<>(List.of(tuple("schema gha", Action.NONE),
        tuple("schema legacy", Action.NONE)));
    expected.addAll(List.of(roles));
    List<Change> planned = store.plan();
    assertThat(planned).extracting(Change::resource, Change::action)
        .containsExactlyElementsOf(expected);
    return planned;
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
      planRoles(store, tuple("role r", Action.CREATE));
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
      List<Change> planned = planRoles(store, tuple("role r", Action.UPDATE),
          tuple("role old", Action.DELETE));
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

  /** Snowflake's SHOW GRANTS output columns, and SHOW FUTURE GRANTS's. */
  private static final List<String> SHOWN = List.of("created_on", "privilege", "granted_on",
      "name", "granted_to", "grantee_name", "grant_option", "granted_by");
  private static final List<String> FUTURE = List.of("created_on", "privilege", "grant_on",
      "name", "grant_to", "grantee_name", "grant_option");

  private static List<Object> shown(String privilege, String on, String name) {
    return row("2026-12-01 04:00:00.000 +0000", privilege, on, name, "ROLE", "GHA_READER",
        "false", "SYSADMIN");
  }

  private static List<Object> future(String privilege, String name) {
    return row("2026-12-01 04:00:00.000 +0000", privilege, "TABLE", name, "ROLE", "GHA_READER",
        "false");
  }

  /** What the server answers for gha_reader's grants; theirs has none scripted. */
  private static ScriptedCatalogue grantsOfGhaReader(ScriptedCatalogue catalogue,
      List<List<Object>> shown, List<List<Object>> future) {
    return catalogue
        .answer("SHOW GRANTS TO ROLE \"GHA_READER\"", SHOWN, shown)
        .answer("SHOW FUTURE GRANTS TO ROLE \"GHA_READER\"", FUTURE, future);
  }

  @Test
  void snowflakeReadsAnOwnedRolesGrantsThenRevokesWhatIsNotDeclaredAndGrantsWhatIs() {
    SqlDialect d = SqlDialect.SNOWFLAKE;
    String url = "jdbc:snowflake://a.snowflakecomputing.com/?db=wh";
    ScriptedCatalogue catalogue = ownedSchemas(d)
        .answer(d.listRoles(), List.of(row("gha_reader", MARK), row("theirs", null)))
        .answer("SELECT CURRENT_DATABASE()", List.of(row("WH")));
    // read on gha as declared, and behind edx's back: INSERT on gha's future tables, and read
    // on legacy (USAGE, and SELECT on a table: partly); the database's USAGE and a grant in
    // another database are outside the model
    grantsOfGhaReader(catalogue,
        List.of(shown("USAGE", "DATABASE", "WH"), shown("USAGE", "SCHEMA", "WH.GHA"),
            shown("SELECT", "TABLE", "WH.GHA.EVENTS"), shown("USAGE", "SCHEMA", "WH.LEGACY"),
            shown("SELECT", "TABLE", "WH.LEGACY.EVENTS"), shown("USAGE", "SCHEMA", "OTHER.X")),
        List.of(future("SELECT", "WH.GHA.<TABLE>"), future("INSERT", "WH.GHA.<TABLE>")));
    List<Map<String, Object>> read = List.of(
        Map.of("name", "gha_reader", "schemas", List.of("gha"), "access", "read"),
        Map.of("name", "theirs", "schemas", List.of("gha"), "access", "read"));
    try (JdbcStore store = store(catalogue, "snowflake", url, read)) {
      List<Change> planned = planRoles(store, tuple("role gha_reader", Action.UPDATE),
          tuple("role theirs", Action.NONE));
      assertThat(planned.get(2).detail()).isEqualTo("grants differ from the spec (read on gha):"
          + " revoke INSERT on gha; revoke USAGE, SELECT on legacy");
      List<String> sent = catalogue.sent();
      assertThat(sent).containsSubsequence("SHOW ROLES", d.listRoles());
      assertThat(sent.indexOf(d.listRoles()) - sent.indexOf("SHOW ROLES")).isEqualTo(1);
      assertThat(sent).as("one role's grants: the owned one").containsOnlyOnce(
          "SELECT CURRENT_DATABASE()", "SHOW GRANTS TO ROLE \"GHA_READER\"",
          "SHOW FUTURE GRANTS TO ROLE \"GHA_READER\"");
      assertThat(sent).noneMatch(sql -> sql.contains("THEIRS"));

      catalogue.clear();
      assertThat(store.apply()).extracting(Change::resource, Change::action)
          .contains(tuple("role gha_reader", Action.UPDATE));
      assertThat(catalogue.sent()).containsOnlyOnce("SHOW GRANTS TO ROLE \"GHA_READER\"")
          .containsSubsequence(
              "REVOKE INSERT ON ALL TABLES IN SCHEMA \"GHA\" FROM ROLE \"GHA_READER\"",
              "REVOKE INSERT ON FUTURE TABLES IN SCHEMA \"GHA\" FROM ROLE \"GHA_READER\"",
              "REVOKE SELECT ON ALL TABLES IN SCHEMA \"LEGACY\" FROM ROLE \"GHA_READER\"",
              "REVOKE SELECT ON FUTURE TABLES IN SCHEMA \"LEGACY\" FROM ROLE \"GHA_READER\"",
              "REVOKE USAGE ON SCHEMA \"LEGACY\" FROM ROLE \"GHA_READER\"")
          .noneMatch(sql -> sql.startsWith("GRANT") || sql.contains("OTHER")
              || sql.contains("THEIRS"));
    }

    // the server now answers read on gha; the spec changes to write on gha
    grantsOfGhaReader(catalogue,
        List.of(shown("USAGE", "SCHEMA", "WH.GHA"), shown("SELECT", "TABLE", "WH.GHA.EVENTS")),
        List.of(future("SELECT", "WH.GHA.<TABLE>")));
    List<Map<String, Object>> write = List.of(
        Map.of("name", "gha_reader", "schemas", List.of("gha"), "access", "write"));
    try (JdbcStore store = store(catalogue, "snowflake", url, write)) {
      Change planned = store.plan().get(2);
      assertThat(planned.action()).isEqualTo(Action.UPDATE);
      assertThat(planned.detail()).isEqualTo("grants differ from the spec (write on gha):"
          + " grant INSERT, UPDATE, DELETE on gha");
      catalogue.clear();
      store.apply();
      assertThat(catalogue.sent()).containsSubsequence(
          "GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \"GHA\" TO ROLE \"GHA_READER\"",
          "GRANT INSERT, UPDATE, DELETE ON FUTURE TABLES IN SCHEMA \"GHA\""
              + " TO ROLE \"GHA_READER\"").noneMatch(sql -> sql.startsWith("REVOKE"));

      // the server answers what apply granted: the next plan is clean
      grantsOfGhaReader(catalogue,
          List.of(shown("USAGE", "SCHEMA", "WH.GHA"), shown("SELECT", "TABLE", "WH.GHA.EVENTS"),
              shown("INSERT", "TABLE", "WH.GHA.EVENTS")),
          List.of(future("SELECT", "WH.GHA.<TABLE>"), future("INSERT", "WH.GHA.<TABLE>"),
              future("UPDATE", "WH.GHA.<TABLE>"), future("DELETE", "WH.GHA.<TABLE>")));
      assertThat(store.plan()).extracting(Change::action).containsOnly(Action.NONE);
      // a table privilege granted on tables but not on the schema's future tables is missing
      grantsOfGhaReader(catalogue,
          List.of(shown("USAGE", "SCHEMA", "WH.GHA"), shown("DELETE", "TABLE", "WH.GHA.EVENTS")),
          List.of(future("SELECT", "WH.GHA.<TABLE>"), future("INSERT", "WH.GHA.<TABLE>"),
              future("UPDATE", "WH.GHA.<TABLE>")));
      assertThat(store.plan().get(2).detail()).isEqualTo("grants differ from the spec (write on"
          + " gha): grant DELETE on gha");
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
