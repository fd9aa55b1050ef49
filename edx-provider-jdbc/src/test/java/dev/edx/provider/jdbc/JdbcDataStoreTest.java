package dev.edx.provider.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.edx.api.Environment;
import dev.edx.api.RelationalStore;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import dev.edx.core.EnvironmentLoader;
import dev.edx.core.EnvironmentSpec;
import dev.edx.embedded.PostgresEndpoint;
import dev.edx.testkit.DataStoreSpec;
import dev.edx.testkit.EdxTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code jdbc} data store through an environment, on the run's embedded PostgreSQL: a spec
 * declares it with its password from a secret, code gets a {@link RelationalStore}, apply makes
 * its schemas; bad settings fail naming the key, and the password is never shown.
 */
@EdxTest
class JdbcDataStoreTest {
  private static final String PASSWORD_VARIABLE = "EDX_SECRET_WH__PASSWORD";
  private static PostgresEndpoint postgres;
  private static String url;

  @BeforeAll
  static void open(PostgresEndpoint endpoint) {
    postgres = endpoint;
    url = endpoint.createDatabase("edxt_jdbc_store_" + ProcessHandle.current().pid());
  }

  private static EnvironmentLoader loader(String password) {
    return EnvironmentLoader.builder()
        .setEnvironmentVariables(Map.of(PASSWORD_VARIABLE, password)).build();
  }

  /** The {@code warehouse} store as the server's user, {@code settings} (YAML) added. */
  private static DataStoreSpec.Builder warehouse(String settings) {
    return DataStoreSpec.builder("warehouse", "jdbc").set("user", postgres.user())
        .set("password", "${secret:wh/password}").addYaml(settings);
  }

  private static EnvironmentSpec spec(String settings) {
    return warehouse(settings).build();
  }

  @Test
  void codeGetsADataSourceAndApplyMakesTheDeclaredSchemas() throws Exception {
    EnvironmentSpec spec = spec("dialect: postgresql\nurl: " + url + "\nschemas: [gha, staging]");
    EnvironmentLoader loader = loader(postgres.password());
    assertThat(loader.plan(spec)).extracting(Change::service, Change::resource, Change::action)
        .containsExactly(tuple("datastores.warehouse", "schema gha", Action.CREATE),
            tuple("datastores.warehouse", "schema staging", Action.CREATE));
    loader.apply(spec);

    try (Environment env = loader.open(spec)) {
      RelationalStore store = env.datastore("warehouse", RelationalStore.class);
      assertThat(store.dialect()).isEqualTo("postgresql");
      assertThat(store.provider()).isEqualTo("jdbc");
      assertThat(store.toString()).doesNotContain(postgres.password()).contains("password=****");
      try (Connection c = store.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE gha.repo_daily (repo text, events bigint)");
        s.execute("INSERT INTO gha.repo_daily VALUES ('edx', 42)");
        try (ResultSet rs = s.executeQuery("SELECT sum(events) FROM gha.repo_daily")) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(42);
        }
      }
    }
    assertThat(loader.render(spec)).doesNotContain(postgres.password());

    assertThat(loader.destroy(spec, DataPolicy.RETAIN))
        .extracting(Change::resource, Change::action)
        .containsExactly(tuple("schema gha", Action.RETAIN),
            tuple("schema staging", Action.DELETE));
    assertThat(loader.destroy(spec, DataPolicy.PURGE))
        .extracting(Change::resource, Change::action)
        .containsExactly(tuple("schema gha", Action.DELETE), tuple("schema staging", Action.NONE));
  }

  @Test
  void aWrongPasswordFailsOnUseNamingTheStoreButNeverThePassword() {
    String wrong = "wr0ng-" + System.nanoTime();
    EnvironmentSpec spec = spec("dialect: postgresql\nurl: " + url + "\nschemas: [gha]");
    // Opening connects nothing: a store that is down does not stop the environment opening.
    try (Environment env = loader(wrong).open(spec)) {
      RelationalStore store = env.datastore("warehouse", RelationalStore.class);
      assertThatThrownBy(() -> store.dataSource().getConnection())
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("data store 'warehouse'")
          .hasMessageNotContaining(wrong);
    }
    assertThatThrownBy(() -> loader(wrong).plan(spec)).hasMessageNotContaining(wrong);
  }

  @Test
  void badSettingsFailNamingTheKeyAndTheFix() {
    EnvironmentLoader loader = loader(postgres.password());
    assertThatThrownBy(() -> loader.open(spec("dialect: postgres\nurl: " + url)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.dialect")
        .hasMessageContaining("unknown dialect 'postgres'")
        .hasMessageContaining("[postgresql, mariadb, sqlserver, oracle, snowflake, teradata]");
    assertThatThrownBy(() -> loader.open(spec("dialect: oracle\nurl: " + url)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.url")
        .hasMessageContaining("not a URL of the oracle dialect")
        .hasMessageContaining("set 'dialect: postgresql'");
    assertThatThrownBy(() -> loader.open(spec("dialect: mariadb\nurl: " + url)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.url")
        .hasMessageContaining("not a URL of the mariadb dialect")
        .hasMessageContaining("jdbc:mariadb:");
    String withPassword = url + "?password=s3cr3t-in-url";
    assertThatThrownBy(() -> loader.open(spec("dialect: postgresql\nurl: " + withPassword)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.url")
        .hasMessageContaining("must not carry a password")
        .hasMessageNotContaining("s3cr3t-in-url");
    assertThatThrownBy(() -> loader.open(spec("dialect: postgresql\nurl: " + url
        + "\nschemas: [Gha]"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.schemas[0]")
        .hasMessageContaining("not a valid schema name");
    assertThatThrownBy(() -> loader.open(spec("dialect: postgresql\nurl: " + url
        + "\ntopics: [a]"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.topics");
  }

  @Test
  void prefixedEnvironmentsMakeAndUseOnlyTheirOwnSchemas() throws Exception {
    EnvironmentLoader loader = loader(postgres.password());
    String settings = "dialect: postgresql\nurl: " + url + "\nschemas: [lab]\nroles: [{name:"
        + " lab_reader, schemas: [lab], access: read}]";
    EnvironmentSpec pr42 =
        warehouse(settings).setMetadata("{name: pr42, namePrefix: pr42}").build();
    EnvironmentSpec pr43 =
        warehouse(settings).setMetadata("{name: pr-43, namePrefix: pr-43}").build();
    assertThat(loader.plan(pr42)).extracting(Change::resource, Change::action)
        .containsExactly(tuple("schema pr42_lab", Action.CREATE),
            tuple("role pr42_lab_reader", Action.CREATE));
    loader.apply(pr42);
    assertThat(loader.apply(pr43)).extracting(Change::resource, Change::action)
        .containsExactly(tuple("schema pr_43_lab", Action.CREATE),
            tuple("role pr_43_lab_reader", Action.CREATE));

    try (Environment a = loader.open(pr42); Environment b = loader.open(pr43)) {
      RelationalStore storeA = a.datastore("warehouse", RelationalStore.class);
      RelationalStore storeB = b.datastore("warehouse", RelationalStore.class);
      assertThat(storeA.schema("lab")).isEqualTo("pr42_lab");
      assertThat(storeB.schema("lab")).isEqualTo("pr_43_lab");
      // The same code, naming the logical schema, writes and reads each environment's own table.
      for (RelationalStore store : java.util.List.of(storeA, storeB)) {
        try (Connection c = store.dataSource().getConnection();
            Statement s = c.createStatement()) {
          String table = store.schema("lab") + ".events";
          s.execute("CREATE TABLE " + table + " (n bigint)");
          s.execute("INSERT INTO " + table + " VALUES (" + (store == storeA ? 1 : 2) + ")");
        }
      }
      assertThat(sum(storeA, "pr42_lab.events")).isEqualTo(1);
      assertThat(sum(storeB, "pr_43_lab.events")).isEqualTo(2);
      assertThat(schemaExists(storeA, "lab")).isFalse();
      // Each environment's role reaches its own prefixed schema only.
      assertThat(usage(storeA, "pr42_lab_reader", "pr42_lab")).isTrue();
      assertThat(usage(storeA, "pr42_lab_reader", "pr_43_lab")).isFalse();
      assertThat(usage(storeB, "pr_43_lab_reader", "pr_43_lab")).isTrue();
    }

    assertThat(loader.destroy(pr42, DataPolicy.PURGE)).extracting(Change::resource, Change::action)
        .containsExactly(tuple("role pr42_lab_reader", Action.DELETE),
            tuple("schema pr42_lab", Action.DELETE));
    assertThat(loader.plan(pr43)).extracting(Change::resource, Change::action)
        .containsExactly(tuple("schema pr_43_lab", Action.NONE),
            tuple("role pr_43_lab_reader", Action.NONE));
    assertThat(loader.destroy(pr43, DataPolicy.PURGE)).extracting(Change::resource, Change::action)
        .containsExactly(tuple("role pr_43_lab_reader", Action.DELETE),
            tuple("schema pr_43_lab", Action.DELETE));
    // Without a prefix the names are the logical ones, as ever.
    try (Environment plain = loader.open(spec(settings))) {
      assertThat(plain.datastore("warehouse", RelationalStore.class).schema("lab"))
          .isEqualTo("lab");
    }
  }

  @Test
  void aPrefixThatMakesASchemaNameTooLongFailsNamingTheEntryAndThePrefix() {
    String name = "s".repeat(60);
    EnvironmentSpec spec = warehouse("dialect: postgresql\nurl: " + url + "\nschemas: [" + name
        + "]").setMetadata("{name: pr42, namePrefix: pr42}").build();
    assertThatThrownBy(() -> loader(postgres.password()).open(spec))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.schemas[0]")
        .hasMessageContaining("metadata.namePrefix 'pr42'")
        .hasMessageContaining("pr42_" + name)
        .hasMessageContaining("at most 63");
  }

  private static long sum(RelationalStore store, String table) throws Exception {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT sum(n) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static boolean usage(RelationalStore store, String role, String schema)
      throws Exception {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT has_schema_privilege('" + role + "', '" + schema
            + "', 'USAGE')")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static boolean schemaExists(RelationalStore store, String schema) throws Exception {
    try (Connection c = store.dataSource().getConnection();
        ResultSet rs = c.getMetaData().getSchemas(null, schema)) {
      return rs.next();
    }
  }
}
