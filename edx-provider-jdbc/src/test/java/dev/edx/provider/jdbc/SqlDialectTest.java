package dev.edx.provider.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The SQL each dialect provisions schemas with: what a plan reads (the schemas with their marks,
 * the tables a schema holds), what apply runs (create, adopt) and what destroy runs (drop).
 * PostgreSQL's and MariaDB's also run against real servers (the contract tests);
 * SQL Server's, Oracle's, Snowflake's and Teradata's are checked here only, as no server of
 * theirs runs in this build.
 */
class SqlDialectTest {
  private static final String MARK = SqlDialect.marker("dev");

  @Test
  void postgresqlCreatesAndMarksASchemaInTwoStatementsOfOneTransaction() {
    SqlDialect d = SqlDialect.POSTGRESQL;
    assertThat(d.createSchema("gha", MARK)).containsExactly("CREATE SCHEMA \"gha\"",
        "COMMENT ON SCHEMA \"gha\" IS 'edx.dev/environment=dev'");
    assertThat(d.dropSchema("gha")).containsExactly("DROP SCHEMA \"gha\" CASCADE");
    assertThat(d.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(d.literal("it's")).isEqualTo("'it''s'");
    assertThat(d.transactionalDdl()).isTrue();
  }

  @Test
  void mariadbCreatesADatabaseWithItsMarkInOneStatement() {
    SqlDialect d = SqlDialect.MARIADB;
    assertThat(d.createSchema("gha", MARK))
        .containsExactly("CREATE DATABASE `gha` COMMENT 'edx.dev/environment=dev'");
    assertThat(d.markSchema("gha", MARK))
        .isEqualTo("ALTER DATABASE `gha` COMMENT 'edx.dev/environment=dev'");
    assertThat(d.dropSchema("gha")).containsExactly("DROP DATABASE `gha`");
    assertThat(d.quote("a`b")).isEqualTo("`a``b`");
    assertThat(d.literal("a\\'b")).isEqualTo("'a\\\\''b'");
    assertThat(d.listSchemas()).contains("information_schema.SCHEMATA")
        .contains("SCHEMA_COMMENT");
    assertThat(d.accepts("jdbc:mysql://h/db")).isTrue();
    assertThat(d.accepts("jdbc:postgresql://h/db")).isFalse();
  }

  @Test
  void sqlserverMarksASchemaWithAnExtendedPropertyInTheCreatingTransaction() {
    SqlDialect d = SqlDialect.SQLSERVER;
    assertThat(d.transactionalDdl()).isTrue();
    assertThat(d.createSchema("gha", MARK)).containsExactly("CREATE SCHEMA [gha]",
        "EXEC sys.sp_addextendedproperty @name = N'edx.dev/owner',"
            + " @value = N'edx.dev/environment=dev', @level0type = N'SCHEMA',"
            + " @level0name = N'gha'");
    assertThat(d.markSchema("gha", MARK)).isEqualTo("IF EXISTS (SELECT 1 FROM"
        + " sys.extended_properties WHERE class = 3 AND major_id = SCHEMA_ID(N'gha')"
        + " AND minor_id = 0 AND name = N'edx.dev/owner')"
        + " EXEC sys.sp_updateextendedproperty @name = N'edx.dev/owner',"
        + " @value = N'edx.dev/environment=dev', @level0type = N'SCHEMA', @level0name = N'gha'"
        + " ELSE EXEC sys.sp_addextendedproperty @name = N'edx.dev/owner',"
        + " @value = N'edx.dev/environment=dev', @level0type = N'SCHEMA', @level0name = N'gha'");
    assertThat(d.listSchemas()).isEqualTo("SELECT s.name, CAST(p.value AS nvarchar(4000))"
        + " FROM sys.schemas s LEFT JOIN sys.extended_properties p ON p.class = 3"
        + " AND p.major_id = s.schema_id AND p.minor_id = 0 AND p.name = N'edx.dev/owner'"
        + " WHERE s.schema_id > 4 AND s.schema_id < 16384");
    assertThat(d.countRelations()).isEqualTo("SELECT count(*) FROM sys.objects"
        + " WHERE schema_id = SCHEMA_ID(?) AND type IN ('U', 'V')");
    assertThat(d.dropSchema("gha")).containsExactly("DECLARE @sql nvarchar(max);\n"
        + "SELECT @sql = STRING_AGG(CAST(N'ALTER TABLE '"
        + " + QUOTENAME(OBJECT_SCHEMA_NAME(f.parent_object_id)) + N'.'"
        + " + QUOTENAME(OBJECT_NAME(f.parent_object_id)) + N' DROP CONSTRAINT '"
        + " + QUOTENAME(f.name) AS nvarchar(max)), N'; ') FROM sys.foreign_keys f"
        + " WHERE f.schema_id = SCHEMA_ID(N'gha')"
        + " OR OBJECT_SCHEMA_NAME(f.referenced_object_id) = N'gha';\n"
        + "IF @sql IS NOT NULL EXEC sys.sp_executesql @sql;\n"
        + "SELECT @sql = STRING_AGG(CAST(N'DROP VIEW ' + QUOTENAME(N'gha') + N'.'"
        + " + QUOTENAME(o.name) AS nvarchar(max)), N'; ') FROM sys.views o"
        + " WHERE o.schema_id = SCHEMA_ID(N'gha');\n"
        + "IF @sql IS NOT NULL EXEC sys.sp_executesql @sql;\n"
        + "SELECT @sql = STRING_AGG(CAST(N'DROP TABLE ' + QUOTENAME(N'gha') + N'.'"
        + " + QUOTENAME(o.name) AS nvarchar(max)), N'; ') FROM sys.tables o"
        + " WHERE o.schema_id = SCHEMA_ID(N'gha');\n"
        + "IF @sql IS NOT NULL EXEC sys.sp_executesql @sql;\n"
        + "DROP SCHEMA [gha]");
    assertThat(d.quote("a]b")).isEqualTo("[a]]b]");
    assertThat(d.literal("it's")).isEqualTo("N'it''s'");
  }

  @Test
  void oracleMakesAUserAndMarksItWithTheCommentOfAnEmptyTableInIt() {
    SqlDialect d = SqlDialect.ORACLE;
    assertThat(d.transactionalDdl()).isFalse();
    assertThat(d.createSchema("gha", MARK)).containsExactly(
        "CREATE USER \"GHA\" NO AUTHENTICATION",
        "CREATE TABLE \"GHA\".\"EDX$OWNER\" (\"ENVIRONMENT\" VARCHAR2(63))"
            + " SEGMENT CREATION DEFERRED",
        "COMMENT ON TABLE \"GHA\".\"EDX$OWNER\" IS 'edx.dev/environment=dev'");
    assertThat(d.markSchema("gha", MARK)).isEqualTo("BEGIN\n"
        + "  BEGIN\n"
        + "    EXECUTE IMMEDIATE 'CREATE TABLE \"GHA\".\"EDX$OWNER\" (\"ENVIRONMENT\""
        + " VARCHAR2(63)) SEGMENT CREATION DEFERRED';\n"
        + "  EXCEPTION WHEN OTHERS THEN\n"
        + "    IF SQLCODE != -955 THEN RAISE; END IF;\n"
        + "  END;\n"
        + "  EXECUTE IMMEDIATE 'COMMENT ON TABLE \"GHA\".\"EDX$OWNER\""
        + " IS ''edx.dev/environment=dev''';\n"
        + "END;");
    assertThat(d.dropSchema("gha")).containsExactly("DROP USER \"GHA\" CASCADE");
    assertThat(d.listSchemas()).isEqualTo("SELECT LOWER(u.USERNAME), c.COMMENTS FROM ALL_USERS u"
        + " LEFT JOIN ALL_TAB_COMMENTS c ON c.OWNER = u.USERNAME AND c.TABLE_NAME = 'EDX$OWNER'"
        + " WHERE u.ORACLE_MAINTAINED = 'N' AND u.USERNAME = UPPER(u.USERNAME)"
        + " AND u.USERNAME <> 'EDX$ROLES'");
    assertThat(d.countRelations()).isEqualTo("SELECT count(*) FROM ALL_OBJECTS"
        + " WHERE OWNER = UPPER(?) AND OBJECT_TYPE IN ('TABLE', 'VIEW', 'MATERIALIZED VIEW')"
        + " AND OBJECT_NAME <> 'EDX$OWNER'");
    assertThat(d.ident("gha_2")).isEqualTo("\"GHA_2\"");
    assertThat(d.ping()).isEqualTo("SELECT 1 FROM DUAL");
    assertThat(SqlDialect.TERADATA.ping()).isEqualTo("SELECT 1");
  }

  @Test
  void snowflakeCreatesAnUppercaseSchemaWithItsCommentInOneStatement() {
    SqlDialect d = SqlDialect.SNOWFLAKE;
    assertThat(d.transactionalDdl()).isFalse();
    assertThat(d.createSchema("gha", MARK))
        .containsExactly("CREATE SCHEMA \"GHA\" COMMENT = 'edx.dev/environment=dev'");
    assertThat(d.markSchema("gha", MARK))
        .isEqualTo("ALTER SCHEMA \"GHA\" SET COMMENT = 'edx.dev/environment=dev'");
    assertThat(d.dropSchema("gha")).containsExactly("DROP SCHEMA \"GHA\" CASCADE");
    assertThat(d.listSchemas()).isEqualTo("SELECT LOWER(SCHEMA_NAME), COMMENT FROM"
        + " INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME <> 'INFORMATION_SCHEMA'"
        + " AND SCHEMA_NAME = UPPER(SCHEMA_NAME)");
    assertThat(d.countRelations()).isEqualTo("SELECT count(*) FROM INFORMATION_SCHEMA.TABLES"
        + " WHERE TABLE_SCHEMA = UPPER(?)");
    assertThat(d.literal("a\\'b")).isEqualTo("'a\\\\''b'");
  }

  @Test
  void teradataCreatesADatabaseWithItsSpaceThenCommentsItAndEmptiesItBeforeTheDrop() {
    SqlDialect d = SqlDialect.TERADATA;
    assertThat(d.transactionalDdl()).isFalse();
    SchemaOptions space = new SchemaOptions(Optional.of("dwh_root"), OptionalLong.of(10L << 30));
    assertThat(d.createSchema("gha", MARK, space)).containsExactly(
        "CREATE DATABASE \"gha\" FROM \"dwh_root\" AS PERMANENT = 10737418240 BYTES",
        "COMMENT ON DATABASE \"gha\" AS 'edx.dev/environment=dev'");
    assertThat(d.createSchema("gha", MARK,
        new SchemaOptions(Optional.empty(), OptionalLong.of(1000)))).first()
        .isEqualTo("CREATE DATABASE \"gha\" AS PERMANENT = 1000 BYTES");
    assertThatThrownBy(() -> d.createSchema("gha", MARK))
        .hasMessageContaining("needs permanentSpace");
    assertThat(d.markSchema("gha", MARK))
        .isEqualTo("COMMENT ON DATABASE \"gha\" AS 'edx.dev/environment=dev'");
    assertThat(d.dropSchema("gha"))
        .containsExactly("DELETE DATABASE \"gha\" ALL", "DROP DATABASE \"gha\"");
    assertThat(d.listSchemas()).isEqualTo("SELECT LOWER(TRIM(DatabaseName)), CommentString"
        + " FROM DBC.DatabasesV WHERE DBKind = 'D'");
    assertThat(d.countRelations()).isEqualTo("SELECT count(*) FROM DBC.TablesV"
        + " WHERE DatabaseName = ? AND TableKind IN ('T', 'O', 'V')");
  }

  @Test
  void namesAreFoldedWhereTheDialectFoldsThemAndAlwaysQuoted() {
    assertThat(SqlDialect.POSTGRESQL.ident("gha")).isEqualTo("\"gha\"");
    assertThat(SqlDialect.MARIADB.ident("gha")).isEqualTo("`gha`");
    assertThat(SqlDialect.SQLSERVER.ident("gha")).isEqualTo("[gha]");
    assertThat(SqlDialect.ORACLE.ident("gha")).isEqualTo("\"GHA\"");
    assertThat(SqlDialect.SNOWFLAKE.ident("gha")).isEqualTo("\"GHA\"");
    assertThat(SqlDialect.TERADATA.ident("gha")).isEqualTo("\"gha\"");
    // a reserved word is still a name once quoted
    assertThat(SqlDialect.ORACLE.createSchema("select", MARK).get(0))
        .isEqualTo("CREATE USER \"SELECT\" NO AUTHENTICATION");
    assertThat(SqlDialect.ORACLE.checkName("_staging")).get().asString()
        .contains("not a valid oracle schema name").contains("start it with a letter");
    assertThat(SqlDialect.ORACLE.checkName("staging")).isEmpty();
    assertThat(SqlDialect.SNOWFLAKE.checkName("_staging")).isEmpty();
  }

  @Test
  void eachDialectTakesItsDriversUrlsOnly() {
    assertThat(SqlDialect.forUrl("jdbc:sqlserver://h:1433;databaseName=wh"))
        .contains(SqlDialect.SQLSERVER);
    assertThat(SqlDialect.forUrl("jdbc:oracle:thin:@//h:1521/wh")).contains(SqlDialect.ORACLE);
    assertThat(SqlDialect.forUrl("jdbc:snowflake://acct.snowflakecomputing.com/?db=wh"))
        .contains(SqlDialect.SNOWFLAKE);
    assertThat(SqlDialect.forUrl("jdbc:teradata://h/DATABASE=wh")).contains(SqlDialect.TERADATA);
    assertThat(SqlDialect.forUrl("jdbc:postgresql://h/wh")).contains(SqlDialect.POSTGRESQL);
    assertThat(SqlDialect.forUrl("jdbc:mysql://h/wh")).contains(SqlDialect.MARIADB);
    assertThat(SqlDialect.forUrl("jdbc:oracle:oci:@wh")).isEmpty();
    assertThat(SqlDialect.forUrl("jdbc:h2:mem:wh")).isEmpty();
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
    assertThat(SqlDialect.of("teradata")).isEqualTo(SqlDialect.TERADATA);
    assertThat(SqlDialect.of(" SQLServer ")).isEqualTo(SqlDialect.SQLSERVER);
    assertThatThrownBy(() -> SqlDialect.of("mssql"))
        .hasMessage("unknown dialect 'mssql'; supported: [postgresql, mariadb, sqlserver,"
            + " oracle, snowflake, teradata]");
  }

  @Test
  void postgresqlCreatesANologinRoleWithItsCommentAndGrantsInOneTransaction() {
    SqlDialect d = SqlDialect.POSTGRESQL;
    Role reader = new Role("gha_reader", false, List.of("gha"), Role.Access.READ);
    assertThat(d.createRole(reader, MARK)).containsExactly(
        "CREATE ROLE \"gha_reader\" NOLOGIN",
        "COMMENT ON ROLE \"gha_reader\" IS 'edx.dev/environment=dev'",
        "GRANT USAGE ON SCHEMA \"gha\" TO \"gha_reader\"",
        "GRANT SELECT ON ALL TABLES IN SCHEMA \"gha\" TO \"gha_reader\"",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA \"gha\" GRANT SELECT ON TABLES TO \"gha_reader\"");
    Role writer = new Role("w", true, List.of("a", "b"), Role.Access.WRITE);
    assertThat(d.adoptRole(writer, MARK)).containsExactly(
        "COMMENT ON ROLE \"w\" IS 'edx.dev/environment=dev'",
        "GRANT USAGE ON SCHEMA \"a\" TO \"w\"",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \"a\" TO \"w\"",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA \"a\" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES"
            + " TO \"w\"",
        "GRANT USAGE ON SCHEMA \"b\" TO \"w\"",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \"b\" TO \"w\"",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA \"b\" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES"
            + " TO \"w\"");
    assertThat(d.dropRole("w")).containsExactly("GRANT \"w\" TO CURRENT_USER",
        "REASSIGN OWNED BY \"w\" TO CURRENT_USER", "DROP OWNED BY \"w\"", "DROP ROLE \"w\"");
    assertThat(d.checkRoleName("pg_reader")).get().asString().contains("reserved");
    assertThat(d.checkRoleName("public")).isPresent();
    assertThat(d.checkRoleName("gha_reader")).isEmpty();
  }

  @Test
  void mariadbMarksARoleInItsOwnershipTableBeforeCreatingIt() {
    SqlDialect d = SqlDialect.MARIADB;
    Role reader = new Role("gha_reader", false, List.of("gha"), Role.Access.READ);
    assertThat(d.createRole(reader, MARK)).containsExactly(
        "CREATE DATABASE IF NOT EXISTS `edx$owner` COMMENT 'edx.dev ownership marks of roles'",
        "CREATE TABLE IF NOT EXISTS `edx$owner`.`roles` (`role` VARCHAR(128) NOT NULL"
            + " PRIMARY KEY, `mark` VARCHAR(255) NOT NULL)",
        "REPLACE INTO `edx$owner`.`roles` (`role`, `mark`) VALUES ('gha_reader',"
            + " 'edx.dev/environment=dev')",
        "CREATE ROLE `gha_reader`",
        "GRANT SELECT ON `gha`.* TO `gha_reader`");
    Role writer = new Role("w", true, List.of("gha"), Role.Access.WRITE);
    assertThat(d.adoptRole(writer, MARK)).last()
        .isEqualTo("GRANT SELECT, INSERT, UPDATE, DELETE ON `gha`.* TO `w`");
    assertThat(d.adoptRole(writer, MARK)).noneMatch(sql -> sql.startsWith("CREATE ROLE"));
    assertThat(d.dropRole("w")).containsExactly("DROP ROLE `w`",
        "DELETE FROM `edx$owner`.`roles` WHERE `role` = 'w'");
    assertThat(d.listSchemas()).contains("'edx$owner'");
    assertThat(d.roleMarks()).contains("SELECT `role`, `mark` FROM `edx$owner`.`roles`");
    assertThat(d.checkRoleName("none")).isPresent();
  }

  @Test
  void postgresqlGrantsAndRevokesSchemaUsageAndTablePrivilegesNowAndByDefault() {
    SqlDialect d = SqlDialect.POSTGRESQL;
    assertThat(d.grant("r", "s", List.of("INSERT", "UPDATE"))).containsExactly(
        "GRANT INSERT, UPDATE ON ALL TABLES IN SCHEMA \"s\" TO \"r\"",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA \"s\" GRANT INSERT, UPDATE ON TABLES TO \"r\"");
    assertThat(d.revoke("r", "s", List.of("USAGE", "SELECT"))).containsExactly(
        "REVOKE SELECT ON ALL TABLES IN SCHEMA \"s\" FROM \"r\"",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA \"s\" REVOKE SELECT ON TABLES FROM \"r\"",
        "REVOKE USAGE ON SCHEMA \"s\" FROM \"r\"");
    assertThat(d.listGrants(List.of("a", "b'c"))).get().asString()
        .contains("aclexplode(n.nspacl)").contains("pg_default_acl")
        .contains("r.rolname IN ('a', 'b''c')");
  }

  @Test
  void mariadbGrantsAndRevokesOnTheDatabaseAndReadsMysqlDb() {
    SqlDialect d = SqlDialect.MARIADB;
    assertThat(d.grant("r", "s", List.of("INSERT", "DELETE")))
        .containsExactly("GRANT INSERT, DELETE ON `s`.* TO `r`");
    assertThat(d.revoke("r", "s", List.of("SELECT")))
        .containsExactly("REVOKE SELECT ON `s`.* FROM `r`");
    assertThat(d.listGrants(List.of("a"))).contains("SELECT User, Db, 'SELECT', 'Y' FROM"
        + " mysql.db WHERE Host = '' AND Select_priv = 'Y' AND User IN ('a')"
        + " UNION ALL SELECT User, Db, 'INSERT', 'Y' FROM mysql.db WHERE Host = ''"
        + " AND Insert_priv = 'Y' AND User IN ('a')"
        + " UNION ALL SELECT User, Db, 'UPDATE', 'Y' FROM mysql.db WHERE Host = ''"
        + " AND Update_priv = 'Y' AND User IN ('a')"
        + " UNION ALL SELECT User, Db, 'DELETE', 'Y' FROM mysql.db WHERE Host = ''"
        + " AND Delete_priv = 'Y' AND User IN ('a')");
  }

  @Test
  void mariadbEscapesTheWildcardsOfADatabaseNameInGrantsAndTellsAnOldPatternApart() {
    SqlDialect d = SqlDialect.MARIADB;
    assertThat(d.grant("gha_reader", "gha_dm", List.of("SELECT")))
        .containsExactly("GRANT SELECT ON `gha\\_dm`.* TO `gha_reader`");
    assertThat(d.revoke("r", "gha_dm", List.of("SELECT")))
        .containsExactly("REVOKE SELECT ON `gha\\_dm`.* FROM `r`");
    assertThat(d.grantTarget("gha_dm")).isEqualTo("gha\\_dm");
    assertThat(d.describeTarget("gha\\_dm")).isEqualTo("gha_dm");
    assertThat(d.describeTarget("gha_dm"))
        .isEqualTo("the pattern gha_dm (_ and % match any character)");
    assertThat(d.revokeTarget("r", "gha_dm", List.of("SELECT")))
        .as("an old unescaped grant is revoked as it was made")
        .containsExactly("REVOKE SELECT ON `gha_dm`.* FROM `r`");
    assertThat(SqlDialect.POSTGRESQL.grantTarget("gha_dm")).as("identifiers are exact")
        .isEqualTo("gha_dm");
    assertThat(SqlDialect.POSTGRESQL.describeTarget("gha_dm")).isEqualTo("gha_dm");
  }

  @Test
  void sqlserverMarksARoleWithAnExtendedPropertyAndGrantsOnTheSchema() {
    SqlDialect d = SqlDialect.SQLSERVER;
    Role reader = new Role("gha_reader", false, List.of("gha"), Role.Access.READ);
    assertThat(d.createRole(reader, MARK)).containsExactly("CREATE ROLE [gha_reader]",
        "EXEC sys.sp_addextendedproperty @name = N'edx.dev/owner',"
            + " @value = N'edx.dev/environment=dev', @level0type = N'USER',"
            + " @level0name = N'gha_reader'",
        "GRANT SELECT ON SCHEMA::[gha] TO [gha_reader]");
    Role writer = new Role("w", true, List.of("a"), Role.Access.WRITE);
    assertThat(d.adoptRole(writer, MARK)).containsExactly("IF EXISTS (SELECT 1 FROM"
            + " sys.extended_properties WHERE class = 4 AND major_id = DATABASE_PRINCIPAL_ID(N'w')"
            + " AND minor_id = 0 AND name = N'edx.dev/owner')"
            + " EXEC sys.sp_updateextendedproperty @name = N'edx.dev/owner',"
            + " @value = N'edx.dev/environment=dev', @level0type = N'USER', @level0name = N'w'"
            + " ELSE EXEC sys.sp_addextendedproperty @name = N'edx.dev/owner',"
            + " @value = N'edx.dev/environment=dev', @level0type = N'USER', @level0name = N'w'",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA::[a] TO [w]");
    assertThat(d.revoke("w", "a", List.of("INSERT")))
        .containsExactly("REVOKE INSERT ON SCHEMA::[a] FROM [w]");
    assertThat(d.dropRole("w")).containsExactly("DECLARE @sql nvarchar(max);\n"
        + "SELECT @sql = STRING_AGG(CAST(N'ALTER ROLE ' + QUOTENAME(N'w') + N' DROP MEMBER '"
        + " + QUOTENAME(m.name) AS nvarchar(max)), N'; ') FROM sys.database_role_members rm"
        + " JOIN sys.database_principals m ON m.principal_id = rm.member_principal_id"
        + " WHERE rm.role_principal_id = DATABASE_PRINCIPAL_ID(N'w');\n"
        + "IF @sql IS NOT NULL EXEC sys.sp_executesql @sql;\n"
        + "DROP ROLE [w]");
    assertThat(d.listRoles()).isEqualTo("SELECT r.name, CAST(p.value AS nvarchar(4000))"
        + " FROM sys.database_principals r LEFT JOIN sys.extended_properties p ON p.class = 4"
        + " AND p.major_id = r.principal_id AND p.minor_id = 0 AND p.name = N'edx.dev/owner'"
        + " WHERE r.type = 'R' AND r.is_fixed_role = 0 AND r.name <> N'public'");
    assertThat(d.listGrants(List.of("w"))).contains("SELECT r.name, s.name, p.permission_name,"
        + " 'Y' FROM sys.database_permissions p"
        + " JOIN sys.database_principals r ON r.principal_id = p.grantee_principal_id"
        + " JOIN sys.schemas s ON s.schema_id = p.major_id"
        + " WHERE p.class = 3 AND p.state IN ('G', 'W')"
        + " AND p.permission_name IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE')"
        + " AND r.name IN (N'w')");
    assertThat(d.checkRoleName("db_owner")).isPresent();
    assertThat(d.checkRoleName("public")).isPresent();
    assertThat(d.checkRoleName("gha_reader")).isEmpty();
  }

  @Test
  void oracleMarksARoleInAnEmptyTableOfItsOwnSchemaAndGrantsSchemaPrivileges() {
    SqlDialect d = SqlDialect.ORACLE;
    Role reader = new Role("gha_reader", false, List.of("gha"), Role.Access.READ);
    assertThat(d.createRole(reader, MARK)).containsExactly(
        "CREATE USER IF NOT EXISTS \"EDX$ROLES\" NO AUTHENTICATION",
        "CREATE TABLE IF NOT EXISTS \"EDX$ROLES\".\"GHA_READER\" (\"ENVIRONMENT\" VARCHAR2(63))"
            + " SEGMENT CREATION DEFERRED",
        "COMMENT ON TABLE \"EDX$ROLES\".\"GHA_READER\" IS 'edx.dev/environment=dev'",
        "CREATE ROLE \"GHA_READER\"",
        "GRANT SELECT ANY TABLE ON SCHEMA \"GHA\" TO \"GHA_READER\"");
    Role writer = new Role("w", true, List.of("a"), Role.Access.WRITE);
    assertThat(d.adoptRole(writer, MARK)).endsWith(
        "GRANT SELECT ANY TABLE ON SCHEMA \"A\" TO \"W\"",
        "GRANT INSERT ANY TABLE ON SCHEMA \"A\" TO \"W\"",
        "GRANT UPDATE ANY TABLE ON SCHEMA \"A\" TO \"W\"",
        "GRANT DELETE ANY TABLE ON SCHEMA \"A\" TO \"W\"");
    assertThat(d.adoptRole(writer, MARK)).noneMatch(sql -> sql.startsWith("CREATE ROLE"));
    assertThat(d.revoke("w", "a", List.of("DELETE ANY TABLE")))
        .containsExactly("REVOKE DELETE ANY TABLE ON SCHEMA \"A\" FROM \"W\"");
    assertThat(d.dropRole("w")).containsExactly("DROP ROLE \"W\"",
        "DROP TABLE IF EXISTS \"EDX$ROLES\".\"W\" PURGE");
    assertThat(d.listRoles()).isEqualTo("SELECT LOWER(r.ROLE), c.COMMENTS FROM DBA_ROLES r"
        + " LEFT JOIN ALL_TAB_COMMENTS c ON c.OWNER = 'EDX$ROLES' AND c.TABLE_NAME = r.ROLE"
        + " WHERE r.ORACLE_MAINTAINED = 'N' AND r.ROLE = UPPER(r.ROLE)");
    assertThat(d.roleMarksPresent())
        .contains("SELECT count(*) FROM ALL_USERS WHERE USERNAME = 'EDX$ROLES'");
    assertThat(d.roleMarks()).isEmpty();
    assertThat(d.listGrants(List.of("w"))).contains("SELECT LOWER(GRANTEE), LOWER(SCHEMA),"
        + " PRIVILEGE, 'Y' FROM DBA_SCHEMA_PRIVS WHERE PRIVILEGE IN ('SELECT ANY TABLE',"
        + " 'INSERT ANY TABLE', 'UPDATE ANY TABLE', 'DELETE ANY TABLE') AND GRANTEE IN ('W')");
    assertThat(d.checkRoleName("_r")).isPresent();
  }

  @Test
  void snowflakeCreatesAnUppercaseRoleWithItsCommentAndGrantsNowAndOnFutureTables() {
    SqlDialect d = SqlDialect.SNOWFLAKE;
    Role reader = new Role("gha_reader", false, List.of("gha"), Role.Access.READ);
    assertThat(d.createRole(reader, MARK)).containsExactly(
        "CREATE ROLE \"GHA_READER\" COMMENT = 'edx.dev/environment=dev'",
        "SET EDX_DATABASE = CURRENT_DATABASE()",
        "GRANT USAGE ON DATABASE IDENTIFIER($EDX_DATABASE) TO ROLE \"GHA_READER\"",
        "GRANT USAGE ON SCHEMA \"GHA\" TO ROLE \"GHA_READER\"",
        "GRANT SELECT ON ALL TABLES IN SCHEMA \"GHA\" TO ROLE \"GHA_READER\"",
        "GRANT SELECT ON FUTURE TABLES IN SCHEMA \"GHA\" TO ROLE \"GHA_READER\"");
    Role writer = new Role("w", true, List.of("a"), Role.Access.WRITE);
    assertThat(d.adoptRole(writer, MARK)).startsWith(
        "ALTER ROLE \"W\" SET COMMENT = 'edx.dev/environment=dev'").endsWith(
        "GRANT SELECT, INSERT, UPDATE, DELETE ON FUTURE TABLES IN SCHEMA \"A\" TO ROLE \"W\"");
    assertThat(d.revoke("w", "a", List.of("USAGE", "SELECT"))).containsExactly(
        "REVOKE SELECT ON ALL TABLES IN SCHEMA \"A\" FROM ROLE \"W\"",
        "REVOKE SELECT ON FUTURE TABLES IN SCHEMA \"A\" FROM ROLE \"W\"",
        "REVOKE USAGE ON SCHEMA \"A\" FROM ROLE \"W\"");
    assertThat(d.dropRole("w")).containsExactly("DROP ROLE \"W\"");
    assertThat(d.beforeListRoles()).containsExactly("SHOW ROLES");
    assertThat(d.listRoles()).isEqualTo("SELECT LOWER(\"name\"), \"comment\""
        + " FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) WHERE \"name\" = UPPER(\"name\")");
    assertThat(d.listGrants(List.of("w"))).as("grants are not read on snowflake").isEmpty();
    assertThat(d.checkRoleName("sysadmin")).isPresent();
  }

  @Test
  void teradataCreatesARoleThenCommentsItAndGrantsOnTheDatabase() {
    SqlDialect d = SqlDialect.TERADATA;
    Role reader = new Role("gha_reader", false, List.of("gha"), Role.Access.READ);
    assertThat(d.createRole(reader, MARK)).containsExactly("CREATE ROLE \"gha_reader\"",
        "COMMENT ON ROLE \"gha_reader\" AS 'edx.dev/environment=dev'",
        "GRANT SELECT ON \"gha\" TO \"gha_reader\"");
    Role writer = new Role("w", true, List.of("a"), Role.Access.WRITE);
    assertThat(d.adoptRole(writer, MARK)).containsExactly(
        "COMMENT ON ROLE \"w\" AS 'edx.dev/environment=dev'",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON \"a\" TO \"w\"");
    assertThat(d.revoke("w", "a", List.of("UPDATE", "DELETE")))
        .containsExactly("REVOKE UPDATE, DELETE ON \"a\" FROM \"w\"");
    assertThat(d.dropRole("w")).containsExactly("DROP ROLE \"w\"");
    assertThat(d.listRoles())
        .isEqualTo("SELECT LOWER(TRIM(RoleName)), CommentString FROM DBC.RoleInfoV");
    assertThat(d.listGrants(List.of("w"))).contains("SELECT LOWER(TRIM(RoleName)),"
        + " LOWER(TRIM(DatabaseName)), CASE AccessRight WHEN 'R' THEN 'SELECT'"
        + " WHEN 'I' THEN 'INSERT' WHEN 'U' THEN 'UPDATE' ELSE 'DELETE' END, 'Y'"
        + " FROM DBC.AllRoleRightsV WHERE TableName = 'All'"
        + " AND AccessRight IN ('R', 'I', 'U', 'D') AND RoleName IN ('w')");
  }
}
