package dev.edx.provider.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The SQL each dialect provisions schemas with. PostgreSQL's runs against a real server in the
 * other tests; MariaDB's is checked here only, as no MariaDB server runs in this build.
 */
class SqlDialectTest {
  @Test
  void postgresqlCreatesAndMarksASchemaInTwoStatementsOfOneTransaction() {
    assertThat(SqlDialect.POSTGRESQL.createSchema("gha", SqlDialect.marker("dev")))
        .containsExactly("CREATE SCHEMA \"gha\"",
            "COMMENT ON SCHEMA \"gha\" IS 'edx.dev/environment=dev'");
    assertThat(SqlDialect.POSTGRESQL.dropSchema("gha")).isEqualTo("DROP SCHEMA \"gha\" CASCADE");
    assertThat(SqlDialect.POSTGRESQL.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(SqlDialect.POSTGRESQL.literal("it's")).isEqualTo("'it''s'");
  }

  @Test
  void mariadbCreatesADatabaseWithItsMarkInOneStatement() {
    assertThat(SqlDialect.MARIADB.createSchema("gha", SqlDialect.marker("dev")))
        .containsExactly("CREATE DATABASE `gha` COMMENT 'edx.dev/environment=dev'");
    assertThat(SqlDialect.MARIADB.markSchema("gha", SqlDialect.marker("dev")))
        .isEqualTo("ALTER DATABASE `gha` COMMENT 'edx.dev/environment=dev'");
    assertThat(SqlDialect.MARIADB.dropSchema("gha")).isEqualTo("DROP DATABASE `gha`");
    assertThat(SqlDialect.MARIADB.quote("a`b")).isEqualTo("`a``b`");
    assertThat(SqlDialect.MARIADB.literal("a\\'b")).isEqualTo("'a\\\\''b'");
    assertThat(SqlDialect.MARIADB.listSchemas()).contains("information_schema.SCHEMATA")
        .contains("SCHEMA_COMMENT");
    assertThat(SqlDialect.MARIADB.accepts("jdbc:mysql://h/db")).isTrue();
    assertThat(SqlDialect.MARIADB.accepts("jdbc:postgresql://h/db")).isFalse();
  }

  @Test
  void theOwnerIsReadFromTheMarkOnly() {
    assertThat(SqlDialect.owner("edx.dev/environment=dev")).contains("dev");
    assertThat(SqlDialect.owner("edx.dev/environment=edx-contract")).contains("edx-contract");
    assertThat(SqlDialect.owner(null)).isEmpty();
    assertThat(SqlDialect.owner("standard public schema")).isEmpty();
    assertThat(SqlDialect.owner("see edx.dev/environment=dev")).isEqualTo(Optional.empty());
  }

  @Test
  void dialectsAreNamedInSpecsCaseInsensitively() {
    assertThat(SqlDialect.of("PostgreSQL")).isEqualTo(SqlDialect.POSTGRESQL);
    assertThatThrownBy(() -> SqlDialect.of("teradata"))
        .hasMessageContaining("not supported yet");
  }
}
