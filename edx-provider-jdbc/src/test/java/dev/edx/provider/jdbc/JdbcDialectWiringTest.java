package dev.edx.provider.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.RelationalStore;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.sql.Driver;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a {@code jdbc} data store is wired to its dialect and driver, with no server: the URL must
 * be the dialect's, the schema names must suit it, Teradata's space settings are required there
 * and refused elsewhere, and a store whose driver is missing fails on first use naming the Maven
 * artifact to add. SQL Server's, Oracle's and Teradata's real drivers (test scope) take the URLs
 * edx lets through; Snowflake's driver is not on this class path, which is how its missing-driver
 * failure is shown.
 */
class JdbcDialectWiringTest {
  private static ServiceSpec.Builder spec(String dialect, String url) {
    return ServiceSpec.builder("datastores.warehouse", "jdbc").setSource("wh.yaml")
        .set("dialect", dialect).set("url", url).set("user", "edx")
        .setSensitive("password", "s3cr3t-pw");
  }

  private static RelationalStore create(ServiceSpec spec) {
    return (RelationalStore) Specs.create(new JdbcDataStoreProvider(), spec,
        new TestProviderContext("dev"));
  }

  @ParameterizedTest
  @CsvSource({
      "sqlserver, jdbc:sqlserver://db.example.com:1433;databaseName=wh;encrypt=true",
      "oracle, jdbc:oracle:thin:@//db.example.com:1521/WH",
      "teradata, jdbc:teradata://db.example.com/DATABASE=wh,DBS_PORT=1025",
  })
  void theDialectsDriverTakesTheUrlsEdxAccepts(String key, String url) throws Exception {
    SqlDialect dialect = SqlDialect.of(key);
    assertThat(dialect.accepts(url)).isTrue();
    dialect.requireDriver(getClass().getClassLoader());
    Driver driver = (Driver) Class.forName(dialect.driverClasses().get(0))
        .getDeclaredConstructor().newInstance();
    assertThat(driver.acceptsURL(url)).isTrue();
    assertThat(driver.acceptsURL("jdbc:postgresql://db.example.com/wh")).isFalse();
    for (SqlDialect other : SqlDialect.values()) {
      if (other != dialect) {
        assertThat(other.accepts(url)).as(other.key()).isFalse();
      }
    }
  }

  @Test
  void aMissingDriverIsNamedWithTheArtifactToAdd() {
    ClassLoader bare = new ClassLoader(null) {};
    assertThatThrownBy(() -> SqlDialect.ORACLE.requireDriver(bare))
        .hasMessage("the oracle JDBC driver (oracle.jdbc.OracleDriver) is not on the class path:"
            + " add the Maven artifact com.oracle.database.jdbc:ojdbc11 (runtime scope) to the"
            + " application");
    assertThatThrownBy(() -> SqlDialect.SQLSERVER.requireDriver(bare))
        .hasMessageContaining("com.microsoft.sqlserver.jdbc.SQLServerDriver")
        .hasMessageContaining("com.microsoft.sqlserver:mssql-jdbc");
    assertThatThrownBy(() -> SqlDialect.TERADATA.requireDriver(bare))
        .hasMessageContaining("com.teradata.jdbc.TeraDriver")
        .hasMessageContaining("com.teradata.jdbc:terajdbc");
    assertThatThrownBy(() -> SqlDialect.MARIADB.requireDriver(bare))
        .hasMessageContaining("org.mariadb.jdbc.Driver")
        .hasMessageContaining("org.mariadb.jdbc:mariadb-java-client");
    SqlDialect.MARIADB.requireDriver(getClass().getClassLoader());
    SqlDialect.POSTGRESQL.requireDriver(getClass().getClassLoader());
  }

  @Test
  void aStoreWithoutItsDriverFailsOnFirstUseNamingTheArtifact() {
    ServiceSpec spec = spec("snowflake", "jdbc:snowflake://acct.snowflakecomputing.com/?db=WH")
        .set("schemas", List.of("gha")).build();
    try (JdbcStore store = (JdbcStore) create(spec)) {
      assertThat(store.dialect()).isEqualTo("snowflake");
      assertThatThrownBy(store::dataSource)
          .isInstanceOf(ProviderException.class)
          .hasMessage("Cannot connect to data store 'warehouse' (snowflake): the snowflake JDBC"
              + " driver (net.snowflake.client.jdbc.SnowflakeDriver) is not on the class path:"
              + " add the Maven artifact net.snowflake:snowflake-jdbc (runtime scope) to the"
              + " application");
    }
  }

  @Test
  void aUrlOfAnotherDialectIsRefusedNamingTheDialectItIsFor() {
    assertThatThrownBy(() -> create(spec("oracle", "jdbc:postgresql://db.example.com/wh")
        .build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.url")
        .hasMessageContaining("is not a URL of the oracle dialect: it must start with"
            + " jdbc:oracle:thin: (it is a postgresql URL: set 'dialect: postgresql', or give"
            + " a URL of the oracle dialect)");
    assertThatThrownBy(() -> create(spec("sqlserver", "jdbc:jtds:sqlserver://h/wh").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("not a URL of the sqlserver dialect: it must start with"
            + " jdbc:sqlserver:")
        .hasMessageNotContaining("(it is a");
  }

  @Test
  void aSchemaNameTheDialectCannotTakeIsRefusedNamingTheEntryAndTheFix() {
    assertThatThrownBy(() -> create(spec("oracle", "jdbc:oracle:thin:@//h:1521/WH")
        .set("schemas", List.of("gha", "_staging")).build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.schemas[1]")
        .hasMessageContaining("'_staging' is not a valid oracle schema name")
        .hasMessageContaining("start it with a letter");
    assertThatThrownBy(() -> create(spec("snowflake", "jdbc:snowflake://a/?db=WH")
        .set("schemas", List.of("Gha")).build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.schemas[0]")
        .hasMessageContaining("not a valid schema name")
        .hasMessageContaining("lowercase letter");
  }

  @Test
  void teradataNeedsItsSpaceAndTheOthersRefuseIt() {
    assertThatThrownBy(() -> create(spec("teradata", "jdbc:teradata://h/DATABASE=wh")
        .set("schemas", List.of("gha")).build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.permanentSpace")
        .hasMessageContaining("is required with the teradata dialect")
        .hasMessageContaining("permanentSpace: 10GiB");
    assertThatThrownBy(() -> create(spec("postgresql", "jdbc:postgresql://h/wh")
        .set("permanentSpace", "10GiB").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.permanentSpace")
        .hasMessageContaining("applies to the teradata dialect only; remove it");
    try (JdbcStore store = (JdbcStore) create(spec("teradata", "jdbc:teradata://h/DATABASE=wh")
        .set("schemas", List.of("gha")).set("permanentSpace", "10GiB")
        .set("parentDatabase", "dwh_root").build())) {
      assertThat(store.dialect()).isEqualTo("teradata");
      assertThat(store.toString()).doesNotContain("s3cr3t-pw");
      assertThat(store.options()).isEqualTo(new SchemaOptions(Optional.of("dwh_root"),
          OptionalLong.of(10L << 30)));
    }
  }

  @ParameterizedTest
  @CsvSource({
      "sqlserver, jdbc:sqlserver://h;databaseName=wh, db_owner",
      "oracle, jdbc:oracle:thin:@//h:1521/wh, _r",
      "snowflake, jdbc:snowflake://a.snowflakecomputing.com/?db=wh, sysadmin",
      "teradata, jdbc:teradata://h/DATABASE=wh, ",
  })
  void everyDialectTakesRolesAndRefusesANameItReserves(String dialect, String url,
      String reserved) throws Exception {
    ServiceSpec.Builder spec = spec(dialect, url).set("schemas", List.of("gha"))
        .set("roles", List.of(Map.of("name", "gha_reader", "schemas", List.of("gha"),
            "access", "read")));
    if (dialect.equals("teradata")) {
      spec.set("permanentSpace", "1GiB");
    }
    try (AutoCloseable store = (AutoCloseable) create(spec.build())) {
      assertThat(store).isInstanceOf(JdbcStore.class); // made, and not connected
    }
    if (reserved == null) {
      return;
    }
    assertThatThrownBy(() -> create(spec.set("roles", List.of(Map.of("name", reserved,
        "schemas", List.of("gha"), "access", "read"))).build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.roles[0].name")
        .hasMessageContaining("'" + reserved + "' is not a valid " + dialect + " role name");
  }

  @Test
  void aRoleIsCheckedNamingItsEntry() {
    List<String> schemas = List.of("gha");
    assertThatThrownBy(() -> create(spec("postgresql", "jdbc:postgresql://h/wh")
        .set("schemas", schemas)
        .set("roles", List.of(Map.of("name", "ok", "schemas", schemas, "access", "read"),
            Map.of("name", "r", "schemas", List.of("gha", "sales"), "access", "read")))
        .build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.roles[1].schemas[1]")
        .hasMessageContaining("role 'r' names schema 'sales', which this data store does not"
            + " declare");
    assertThatThrownBy(() -> create(spec("postgresql", "jdbc:postgresql://h/wh")
        .set("schemas", schemas)
        .set("roles", List.of(Map.of("name", "r", "schemas", schemas, "access", "admin")))
        .build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("roles[0].access")
        .hasMessageContaining("must be read");
    assertThatThrownBy(() -> create(spec("postgresql", "jdbc:postgresql://h/wh")
        .set("schemas", schemas)
        .set("roles", List.of(Map.of("name", "pg_r", "schemas", schemas, "access", "read")))
        .build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("roles[0].name")
        .hasMessageContaining("not a valid postgresql role name");
    assertThatThrownBy(() -> create(spec("mariadb", "jdbc:mariadb://h/wh")
        .set("schemas", schemas)
        .set("roles", List.of(Map.of("name", "Reader", "schemas", schemas, "access", "read")))
        .build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("roles[0].name")
        .hasMessageContaining("not a valid role name");
    assertThatThrownBy(() -> create(spec("mariadb", "jdbc:mariadb://h/wh")
        .set("schemas", schemas)
        .set("roles", List.of(Map.of("name", "r", "schemas", schemas, "access", "read",
            "grants", "all")))
        .build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("roles[0].grants")
        .hasMessageContaining("unknown key");
  }
}
