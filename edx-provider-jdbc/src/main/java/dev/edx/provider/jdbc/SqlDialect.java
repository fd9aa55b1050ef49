package dev.edx.provider.jdbc;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The statements each SQL dialect provisions schemas with, the JDBC URLs it takes and the driver
 * it needs. Ownership is a mark, {@code edx.dev/environment=NAME}, kept where each database keeps
 * a description of a schema:
 *
 * <ul>
 *   <li>{@code postgresql}: the schema's comment, set in the transaction that creates it;
 *   <li>{@code mariadb}: the database's {@code COMMENT}, part of {@code CREATE DATABASE};
 *   <li>{@code sqlserver}: the schema's extended property {@value #SQLSERVER_PROPERTY}, added in
 *       the transaction that creates it;
 *   <li>{@code oracle}: a schema is a user, and users take no comment: the mark is the comment of
 *       an empty table {@value #ORACLE_MARKER_TABLE} edx creates in the schema, so it goes when
 *       the schema goes;
 *   <li>{@code snowflake}: the schema's {@code COMMENT}, part of {@code CREATE SCHEMA};
 *   <li>{@code teradata}: the database's comment ({@code COMMENT ON DATABASE}).
 * </ul>
 *
 * <p>Roles ({@code roles:}) are marked the same way where the database can: {@code postgresql}
 * and {@code teradata} with {@code COMMENT ON ROLE}, {@code snowflake} with the role's {@code
 * COMMENT}, {@code sqlserver} with the role's extended property; where roles take no description
 * the mark is kept apart, written before the role is made: {@code mariadb} in a row of edx's
 * table {@code `edx$owner`.`roles`}, {@code oracle} in the comment of an empty table named as the
 * role in edx's schema {@value #ORACLE_ROLE_MARKS}. Roles of {@code oracle} need Oracle 23ai
 * (schema privileges, {@code IF NOT EXISTS}).
 *
 * <p>Schema names in specs are lowercase ({@link JdbcProperties#SCHEMAS}). Oracle and Snowflake
 * fold unquoted names to uppercase, so there edx creates the uppercase name ({@code gha} becomes
 * {@code "GHA"}), which code can then write unquoted in any case; the others keep the name as
 * written. Every name is quoted in the statements.
 */
public enum SqlDialect {
  /** PostgreSQL: schemas in one database; DDL is transactional. */
  POSTGRESQL("postgresql", List.of("jdbc:postgresql:"), List.of("org.postgresql.Driver"),
      "org.postgresql:postgresql", true) {
    @Override
    String quote(String identifier) {
      return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    List<String> createSchema(String name, String marker, SchemaOptions options) {
      return List.of("CREATE SCHEMA " + quote(name), markSchema(name, marker));
    }

    @Override
    String markSchema(String name, String marker) {
      return "COMMENT ON SCHEMA " + quote(name) + " IS " + literal(marker);
    }

    @Override
    List<String> dropSchema(String name) {
      return List.of("DROP SCHEMA " + quote(name) + " CASCADE");
    }

    @Override
    String listSchemas() {
      return "SELECT nspname, obj_description(oid, 'pg_namespace') FROM pg_namespace"
          + " WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'";
    }

    @Override
    String countRelations() {
      return "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')";
    }

    @Override
    String createRoleStatement(String name, String marker) {
      return "CREATE ROLE " + quote(name) + " NOLOGIN";
    }

    @Override
    List<String> markRole(String name, String marker) {
      return List.of("COMMENT ON ROLE " + quote(name) + " IS " + literal(marker));
    }

    @Override
    List<String> privileges(Role.Access access) {
      return withSchemaUsage(super.privileges(access));
    }

    @Override
    List<String> grant(String role, String schema, List<String> privileges) {
      List<String> sql = new ArrayList<>();
      String to = " TO " + quote(role);
      if (privileges.contains("USAGE")) {
        sql.add("GRANT USAGE ON SCHEMA " + quote(schema) + to);
      }
      String tables = tablePrivileges(privileges);
      if (!tables.isEmpty()) {
        sql.add("GRANT " + tables + " ON ALL TABLES IN SCHEMA " + quote(schema) + to);
        sql.add("ALTER DEFAULT PRIVILEGES IN SCHEMA " + quote(schema) + " GRANT " + tables
            + " ON TABLES" + to);
      }
      return sql;
    }

    @Override
    List<String> revoke(String role, String schema, List<String> privileges) {
      List<String> sql = new ArrayList<>();
      String from = " FROM " + quote(role);
      String tables = tablePrivileges(privileges);
      if (!tables.isEmpty()) {
        sql.add("REVOKE " + tables + " ON ALL TABLES IN SCHEMA " + quote(schema) + from);
        sql.add("ALTER DEFAULT PRIVILEGES IN SCHEMA " + quote(schema) + " REVOKE " + tables
            + " ON TABLES" + from);
      }
      if (privileges.contains("USAGE")) {
        sql.add("REVOKE USAGE ON SCHEMA " + quote(schema) + from);
      }
      return sql;
    }

    /**
     * USAGE from the schemas' ACLs; a table privilege is held completely when the connecting
     * user's default privileges in the schema give it and every table there (but the role's
     * own) grants it to the role, and partly when only some of them do.
     */
    @Override
    Optional<String> listGrants(Collection<String> roles) {
      String in = " IN (" + roles.stream().map(this::literal).collect(Collectors.joining(", "))
          + ")";
      String kinds = "c.relkind IN ('r', 'p', 'v', 'm', 'f')";
      String byDefault = "EXISTS (SELECT 1 FROM pg_default_acl d CROSS JOIN LATERAL"
          + " aclexplode(d.defaclacl) da WHERE d.defaclnamespace = n.oid AND d.defaclobjtype = 'r'"
          + " AND d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
          + " AND da.grantee = r.oid AND da.privilege_type = p.privilege)";
      String onSome = "EXISTS (SELECT 1 FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl)"
          + " ca WHERE c.relnamespace = n.oid AND " + kinds + " AND ca.grantee = r.oid"
          + " AND ca.privilege_type = p.privilege)";
      String lacking = "EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid AND "
          + kinds + " AND c.relowner <> r.oid AND NOT EXISTS (SELECT 1 FROM aclexplode(c.relacl)"
          + " ca WHERE ca.grantee = r.oid AND ca.privilege_type = p.privilege))";
      return Optional.of("SELECT r.rolname, n.nspname, 'USAGE', 'Y' FROM pg_namespace n"
          + " CROSS JOIN LATERAL aclexplode(n.nspacl) a JOIN pg_roles r ON r.oid = a.grantee"
          + " WHERE a.privilege_type = 'USAGE' AND r.rolname" + in
          + " UNION ALL SELECT r.rolname, n.nspname, p.privilege, CASE WHEN " + byDefault
          + " AND NOT " + lacking + " THEN 'Y' ELSE 'N' END FROM pg_roles r CROSS JOIN"
          + " pg_namespace n CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'))"
          + " p(privilege) WHERE r.rolname" + in + " AND (" + byDefault + " OR " + onSome + ")");
    }

    @Override
    List<String> dropRole(String name) {
      // REASSIGN and DROP OWNED need the role's privileges: a CREATEROLE user has them once a
      // member. What the role owns (an adopted one may own tables) is kept, owned by the
      // connecting user; DROP OWNED then revokes its grants and default privileges.
      return List.of("GRANT " + quote(name) + " TO CURRENT_USER",
          "REASSIGN OWNED BY " + quote(name) + " TO CURRENT_USER", "DROP OWNED BY " + quote(name),
          "DROP ROLE " + quote(name));
    }

    @Override
    String listRoles() {
      return "SELECT rolname, shobj_description(oid, 'pg_authid') FROM pg_roles"
          + " WHERE rolname NOT LIKE 'pg\\_%'";
    }

    @Override
    Optional<String> checkRoleName(String name) {
      return name.startsWith("pg_") || RESERVED_POSTGRESQL_ROLES.contains(name)
          ? Optional.of("'" + name + "' is not a valid postgresql role name: names starting"
              + " pg_ and " + RESERVED_POSTGRESQL_ROLES + " are reserved; choose another name")
          : Optional.empty();
    }
  },
  /** MariaDB: a schema is a database; DDL commits at once, so the comment is in the create. */
  MARIADB("mariadb", List.of("jdbc:mariadb:", "jdbc:mysql:"),
      List.of("org.mariadb.jdbc.Driver", "com.mysql.cj.jdbc.Driver"),
      "org.mariadb.jdbc:mariadb-java-client", false) {
    @Override
    String quote(String identifier) {
      return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    List<String> createSchema(String name, String marker, SchemaOptions options) {
      return List.of("CREATE DATABASE " + quote(name) + " COMMENT " + literal(marker));
    }

    @Override
    String markSchema(String name, String marker) {
      return "ALTER DATABASE " + quote(name) + " COMMENT " + literal(marker);
    }

    @Override
    List<String> dropSchema(String name) {
      return List.of("DROP DATABASE " + quote(name));
    }

    @Override
    String listSchemas() {
      return "SELECT SCHEMA_NAME, SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE"
          + " SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys', "
          + literal(MARIADB_OWNER_DATABASE) + ")";
    }

    @Override
    String countRelations() {
      return "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?";
    }

    @Override
    boolean marksRoleFirst() {
      return true;
    }

    /** The mark is a row of the ownership table, written before the role is created. */
    @Override
    List<String> markRole(String name, String marker) {
      return List.of("CREATE DATABASE IF NOT EXISTS " + quote(MARIADB_OWNER_DATABASE)
              + " COMMENT " + literal("edx.dev ownership marks of roles"),
          "CREATE TABLE IF NOT EXISTS " + roleMarkTable() + " (`role` VARCHAR(128) NOT NULL"
              + " PRIMARY KEY, `mark` VARCHAR(255) NOT NULL)",
          "REPLACE INTO " + roleMarkTable() + " (`role`, `mark`) VALUES (" + literal(name) + ", "
              + literal(marker) + ")");
    }

    private String roleMarkTable() {
      return quote(MARIADB_OWNER_DATABASE) + "." + quote(MARIADB_ROLE_TABLE);
    }

    /**
     * In a database-level GRANT, {@code _} and {@code %} of the name are wildcards: the name is
     * escaped ({@code gha\_dm}), so the grant reaches that database only.
     */
    @Override
    List<String> grant(String role, String schema, List<String> privileges) {
      return List.of("GRANT " + String.join(", ", privileges) + " ON "
          + quote(grantTarget(schema)) + ".* TO " + quote(role));
    }

    @Override
    List<String> revoke(String role, String schema, List<String> privileges) {
      return revokeTarget(role, grantTarget(schema), privileges);
    }

    @Override
    String grantTarget(String schema) {
      return schema.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%");
    }

    /** The target as {@code mysql.db} holds it: escaped, or a pattern (an old grant's). */
    @Override
    List<String> revokeTarget(String role, String target, List<String> privileges) {
      return List.of("REVOKE " + String.join(", ", privileges) + " ON " + quote(target)
          + ".* FROM " + quote(role));
    }

    @Override
    String describeTarget(String target) {
      String name = target.replaceAll("\\\\(.)", "$1");
      return grantTarget(name).equals(target) ? name
          : "the pattern " + target + " (_ and % match any character)";
    }

    /**
     * A role's database-level privileges, from {@code mysql.db} (a role's host is empty); {@code
     * Db} is the grant's target: an escaped name, or a pattern.
     */
    @Override
    Optional<String> listGrants(Collection<String> roles) {
      String in = roles.stream().map(this::literal).collect(Collectors.joining(", "));
      return Optional.of(Stream.of("Select", "Insert", "Update", "Delete")
          .map(p -> "SELECT User, Db, '" + p.toUpperCase(Locale.ROOT) + "', 'Y' FROM mysql.db"
              + " WHERE Host = '' AND " + p + "_priv = 'Y' AND User IN (" + in + ")")
          .collect(Collectors.joining(" UNION ALL ")));
    }

    @Override
    List<String> dropRole(String name) {
      return List.of("DROP ROLE " + quote(name), "DELETE FROM " + roleMarkTable()
          + " WHERE `role` = " + literal(name));
    }

    @Override
    String listRoles() {
      return "SELECT User, NULL FROM mysql.user WHERE is_role = 'Y'";
    }

    @Override
    Optional<String> roleMarksPresent() {
      return Optional.of("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
          + literal(MARIADB_OWNER_DATABASE) + " AND TABLE_NAME = " + literal(MARIADB_ROLE_TABLE));
    }

    @Override
    Optional<String> roleMarks() {
      return Optional.of("SELECT `role`, `mark` FROM " + roleMarkTable());
    }

    @Override
    Optional<String> checkRoleName(String name) {
      return name.equals("none") || name.equals("public")
          ? Optional.of("'" + name + "' is not a valid mariadb role name: NONE and PUBLIC are"
              + " reserved; choose another name")
          : Optional.empty();
    }

    @Override
    String literal(String text) {
      return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }
  },
  /**
   * SQL Server (2017 or later, and Azure SQL): schemas in one database; DDL is transactional, so
   * the schema and its extended property are created in one transaction. {@code DROP SCHEMA}
   * has no {@code CASCADE}: dropping first drops the foreign keys that touch the schema's tables,
   * then its views and tables; other objects in it (procedures, functions, sequences, types)
   * make the drop fail with SQL Server's message.
   */
  SQLSERVER("sqlserver", List.of("jdbc:sqlserver:"),
      List.of("com.microsoft.sqlserver.jdbc.SQLServerDriver"),
      "com.microsoft.sqlserver:mssql-jdbc", true) {
    @Override
    String quote(String identifier) {
      return '[' + identifier.replace("]", "]]") + ']';
    }

    @Override
    List<String> createSchema(String name, String marker, SchemaOptions options) {
      return List.of("CREATE SCHEMA " + quote(name), extendedProperty("add", name, marker));
    }

    @Override
    String markSchema(String name, String marker) {
      return "IF EXISTS (SELECT 1 FROM sys.extended_properties WHERE class = 3 AND major_id = "
          + "SCHEMA_ID(" + literal(name) + ") AND minor_id = 0 AND name = "
          + literal(SQLSERVER_PROPERTY) + ") " + extendedProperty("update", name, marker)
          + " ELSE " + extendedProperty("add", name, marker);
    }

    private String extendedProperty(String verb, String name, String marker) {
      return "EXEC sys.sp_" + verb + "extendedproperty @name = " + literal(SQLSERVER_PROPERTY)
          + ", @value = " + literal(marker) + ", @level0type = N'SCHEMA', @level0name = "
          + literal(name);
    }

    @Override
    List<String> dropSchema(String name) {
      String schema = literal(name);
      String quoted = "QUOTENAME(" + schema + ") + N'.' + QUOTENAME(o.name)";
      return List.of("DECLARE @sql nvarchar(max);\n"
          + "SELECT @sql = STRING_AGG(CAST(N'ALTER TABLE ' + QUOTENAME(OBJECT_SCHEMA_NAME("
          + "f.parent_object_id)) + N'.' + QUOTENAME(OBJECT_NAME(f.parent_object_id))"
          + " + N' DROP CONSTRAINT ' + QUOTENAME(f.name) AS nvarchar(max)), N'; ')"
          + " FROM sys.foreign_keys f WHERE f.schema_id = SCHEMA_ID(" + schema + ")"
          + " OR OBJECT_SCHEMA_NAME(f.referenced_object_id) = " + schema + ";\n"
          + "IF @sql IS NOT NULL EXEC sys.sp_executesql @sql;\n"
          + "SELECT @sql = STRING_AGG(CAST(N'DROP VIEW ' + " + quoted + " AS nvarchar(max)),"
          + " N'; ') FROM sys.views o WHERE o.schema_id = SCHEMA_ID(" + schema + ");\n"
          + "IF @sql IS NOT NULL EXEC sys.sp_executesql @sql;\n"
          + "SELECT @sql = STRING_AGG(CAST(N'DROP TABLE ' + " + quoted + " AS nvarchar(max)),"
          + " N'; ') FROM sys.tables o WHERE o.schema_id = SCHEMA_ID(" + schema + ");\n"
          + "IF @sql IS NOT NULL EXEC sys.sp_executesql @sql;\n"
          + "DROP SCHEMA " + quote(name));
    }

    @Override
    String listSchemas() {
      // schema_id 1-4 are dbo, guest, INFORMATION_SCHEMA and sys; 16384 and up the fixed roles'
      return "SELECT s.name, CAST(p.value AS nvarchar(4000)) FROM sys.schemas s"
          + " LEFT JOIN sys.extended_properties p ON p.class = 3 AND p.major_id = s.schema_id"
          + " AND p.minor_id = 0 AND p.name = " + literal(SQLSERVER_PROPERTY)
          + " WHERE s.schema_id > 4 AND s.schema_id < 16384";
    }

    @Override
    String countRelations() {
      return "SELECT count(*) FROM sys.objects WHERE schema_id = SCHEMA_ID(?)"
          + " AND type IN ('U', 'V')";
    }

    /** A new role has no extended property yet: it is added. */
    @Override
    List<String> markNewRole(String name, String marker) {
      return List.of(roleProperty("add", name, marker));
    }

    /** A role is a database principal: its extended property is at level 0, type USER. */
    private String roleProperty(String verb, String name, String marker) {
      return "EXEC sys.sp_" + verb + "extendedproperty @name = " + literal(SQLSERVER_PROPERTY)
          + ", @value = " + literal(marker) + ", @level0type = N'USER', @level0name = "
          + literal(name);
    }

    @Override
    List<String> markRole(String name, String marker) {
      return List.of("IF EXISTS (SELECT 1 FROM sys.extended_properties WHERE class = 4"
          + " AND major_id = DATABASE_PRINCIPAL_ID(" + literal(name) + ") AND minor_id = 0"
          + " AND name = " + literal(SQLSERVER_PROPERTY) + ") "
          + roleProperty("update", name, marker) + " ELSE " + roleProperty("add", name, marker));
    }

    @Override
    List<String> grant(String role, String schema, List<String> privileges) {
      return List.of("GRANT " + String.join(", ", privileges) + " ON SCHEMA::" + quote(schema)
          + " TO " + quote(role));
    }

    @Override
    List<String> revoke(String role, String schema, List<String> privileges) {
      return List.of("REVOKE " + String.join(", ", privileges) + " ON SCHEMA::"
          + quote(schema) + " FROM " + quote(role));
    }

    @Override
    Optional<String> listGrants(Collection<String> roles) {
      return Optional.of("SELECT r.name, s.name, p.permission_name, 'Y'"
          + " FROM sys.database_permissions p"
          + " JOIN sys.database_principals r ON r.principal_id = p.grantee_principal_id"
          + " JOIN sys.schemas s ON s.schema_id = p.major_id"
          + " WHERE p.class = 3 AND p.state IN ('G', 'W')"
          + " AND p.permission_name IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE')"
          + " AND r.name IN (" + roles.stream().map(this::literal)
              .collect(Collectors.joining(", ")) + ")");
    }

    /** A role with members cannot be dropped: its members are removed first. */
    @Override
    List<String> dropRole(String name) {
      return List.of("DECLARE @sql nvarchar(max);\n"
          + "SELECT @sql = STRING_AGG(CAST(N'ALTER ROLE ' + QUOTENAME(" + literal(name)
          + ") + N' DROP MEMBER ' + QUOTENAME(m.name) AS nvarchar(max)), N'; ')"
          + " FROM sys.database_role_members rm"
          + " JOIN sys.database_principals m ON m.principal_id = rm.member_principal_id"
          + " WHERE rm.role_principal_id = DATABASE_PRINCIPAL_ID(" + literal(name) + ");\n"
          + "IF @sql IS NOT NULL EXEC sys.sp_executesql @sql;\n"
          + "DROP ROLE " + quote(name));
    }

    /** Database roles but the fixed ones and public; the mark is their extended property. */
    @Override
    String listRoles() {
      return "SELECT r.name, CAST(p.value AS nvarchar(4000)) FROM sys.database_principals r"
          + " LEFT JOIN sys.extended_properties p ON p.class = 4"
          + " AND p.major_id = r.principal_id AND p.minor_id = 0 AND p.name = "
          + literal(SQLSERVER_PROPERTY)
          + " WHERE r.type = 'R' AND r.is_fixed_role = 0 AND r.name <> N'public'";
    }

    @Override
    Optional<String> checkRoleName(String name) {
      return name.equals("public") || name.startsWith("db_")
          ? Optional.of("'" + name + "' is not a valid sqlserver role name: public and the"
              + " fixed database roles (db_...) are reserved; choose another name")
          : Optional.empty();
    }

    @Override
    String literal(String text) {
      return "N'" + text.replace("'", "''") + "'";
    }
  },
  /**
   * Oracle (18c or later): a schema is a user, created without a password ({@code NO
   * AUTHENTICATION}: nobody logs in as it). Users take no comment, so the mark is the comment of
   * an empty table {@value #ORACLE_MARKER_TABLE} in the schema (created with deferred segment
   * creation: it takes no space). Oracle's DDL commits each statement, so a create interrupted
   * between the user and its mark leaves an unmarked schema, which edx then leaves alone until it
   * is declared with {@code adopt: true}. The connecting user needs {@code CREATE USER}, {@code
   * DROP USER}, {@code CREATE ANY TABLE}, {@code COMMENT ANY TABLE} and {@code SELECT ANY TABLE}
   * (the mark is read from {@code ALL_TAB_COMMENTS}, which shows the tables one can read).
   */
  ORACLE("oracle", List.of("jdbc:oracle:thin:"), List.of("oracle.jdbc.OracleDriver"),
      "com.oracle.database.jdbc:ojdbc11", false) {
    @Override
    String quote(String identifier) {
      return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    String fold(String name) {
      return name.toUpperCase(Locale.ROOT);
    }

    @Override
    List<String> createSchema(String name, String marker, SchemaOptions options) {
      return List.of("CREATE USER " + ident(name) + " NO AUTHENTICATION", createMarkerTable(name),
          commentMarkerTable(name, marker));
    }

    private String markerTable(String name) {
      return ident(name) + "." + quote(ORACLE_MARKER_TABLE);
    }

    private String createMarkerTable(String name) {
      return "CREATE TABLE " + markerTable(name) + " (\"ENVIRONMENT\" VARCHAR2(63))"
          + " SEGMENT CREATION DEFERRED";
    }

    private String commentMarkerTable(String name, String marker) {
      return "COMMENT ON TABLE " + markerTable(name) + " IS " + literal(marker);
    }

    @Override
    String markSchema(String name, String marker) {
      // ORA-00955: the marker table exists already (another environment's mark is replaced)
      return "BEGIN\n"
          + "  BEGIN\n"
          + "    EXECUTE IMMEDIATE " + literal(createMarkerTable(name)) + ";\n"
          + "  EXCEPTION WHEN OTHERS THEN\n"
          + "    IF SQLCODE != -955 THEN RAISE; END IF;\n"
          + "  END;\n"
          + "  EXECUTE IMMEDIATE " + literal(commentMarkerTable(name, marker)) + ";\n"
          + "END;";
    }

    @Override
    List<String> dropSchema(String name) {
      return List.of("DROP USER " + ident(name) + " CASCADE");
    }

    @Override
    String listSchemas() {
      return "SELECT LOWER(u.USERNAME), c.COMMENTS FROM ALL_USERS u"
          + " LEFT JOIN ALL_TAB_COMMENTS c ON c.OWNER = u.USERNAME AND c.TABLE_NAME = "
          + literal(ORACLE_MARKER_TABLE)
          + " WHERE u.ORACLE_MAINTAINED = 'N' AND u.USERNAME = UPPER(u.USERNAME)"
          + " AND u.USERNAME <> " + literal(ORACLE_ROLE_MARKS);
    }

    @Override
    String countRelations() {
      return "SELECT count(*) FROM ALL_OBJECTS WHERE OWNER = UPPER(?) AND OBJECT_TYPE IN"
          + " ('TABLE', 'VIEW', 'MATERIALIZED VIEW') AND OBJECT_NAME <> "
          + literal(ORACLE_MARKER_TABLE);
    }

    @Override
    String ping() {
      return "SELECT 1 FROM DUAL"; // a FROM-less SELECT needs Oracle 23
    }

    @Override
    Optional<String> checkName(String name) {
      return Character.isLetter(name.charAt(0)) ? Optional.empty()
          : Optional.of("'" + name + "' is not a valid oracle schema name: Oracle names a schema"
              + " that code can write unquoted with a letter first; start it with a letter");
    }

    @Override
    Optional<String> checkRoleName(String name) {
      return Character.isLetter(name.charAt(0)) ? Optional.empty()
          : Optional.of("'" + name + "' is not a valid oracle role name: Oracle names a role"
              + " that code can write unquoted with a letter first; start it with a letter");
    }

    @Override
    boolean marksRoleFirst() {
      return true;
    }

    private String roleMarkTable(String name) {
      return quote(ORACLE_ROLE_MARKS) + "." + ident(name);
    }

    /**
     * Roles take no comment: the mark is the comment of an empty table named as the role in
     * edx's schema {@value #ORACLE_ROLE_MARKS}, made before the role (Oracle 23ai's {@code IF
     * NOT EXISTS}).
     */
    @Override
    List<String> markRole(String name, String marker) {
      return List.of("CREATE USER IF NOT EXISTS " + quote(ORACLE_ROLE_MARKS)
              + " NO AUTHENTICATION",
          "CREATE TABLE IF NOT EXISTS " + roleMarkTable(name) + " (\"ENVIRONMENT\""
              + " VARCHAR2(63)) SEGMENT CREATION DEFERRED",
          "COMMENT ON TABLE " + roleMarkTable(name) + " IS " + literal(marker));
    }

    /** Oracle 23ai's schema privileges: they cover the schema's later tables too. */
    @Override
    List<String> privileges(Role.Access access) {
      return access == Role.Access.READ ? List.of("SELECT ANY TABLE")
          : List.of("SELECT ANY TABLE", "INSERT ANY TABLE", "UPDATE ANY TABLE",
              "DELETE ANY TABLE");
    }

    @Override
    List<String> grant(String role, String schema, List<String> privileges) {
      return privileges.stream().map(p -> "GRANT " + p + " ON SCHEMA " + ident(schema) + " TO "
          + ident(role)).toList();
    }

    @Override
    List<String> revoke(String role, String schema, List<String> privileges) {
      return privileges.stream().map(p -> "REVOKE " + p + " ON SCHEMA " + ident(schema)
          + " FROM " + ident(role)).toList();
    }

    @Override
    Optional<String> listGrants(Collection<String> roles) {
      return Optional.of("SELECT LOWER(GRANTEE), LOWER(SCHEMA), PRIVILEGE, 'Y'"
          + " FROM DBA_SCHEMA_PRIVS WHERE PRIVILEGE IN ('SELECT ANY TABLE', 'INSERT ANY TABLE',"
          + " 'UPDATE ANY TABLE', 'DELETE ANY TABLE') AND GRANTEE IN (" + roles.stream()
              .map(r -> literal(fold(r))).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    List<String> dropRole(String name) {
      return List.of("DROP ROLE " + ident(name),
          "DROP TABLE IF EXISTS " + roleMarkTable(name) + " PURGE");
    }

    @Override
    Optional<String> roleMarksPresent() {
      return Optional.of("SELECT count(*) FROM ALL_USERS WHERE USERNAME = "
          + literal(ORACLE_ROLE_MARKS));
    }

    @Override
    String listRoles() {
      return "SELECT LOWER(r.ROLE), c.COMMENTS FROM DBA_ROLES r"
          + " LEFT JOIN ALL_TAB_COMMENTS c ON c.OWNER = " + literal(ORACLE_ROLE_MARKS)
          + " AND c.TABLE_NAME = r.ROLE"
          + " WHERE r.ORACLE_MAINTAINED = 'N' AND r.ROLE = UPPER(r.ROLE)";
    }
  },
  /**
   * Snowflake: schemas in the database of the URL's {@code db} parameter; DDL commits each
   * statement, so the comment is in the create. Backslashes escape in its string literals.
   */
  SNOWFLAKE("snowflake", List.of("jdbc:snowflake:"),
      List.of("net.snowflake.client.jdbc.SnowflakeDriver"), "net.snowflake:snowflake-jdbc",
      false) {
    @Override
    String quote(String identifier) {
      return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    String fold(String name) {
      return name.toUpperCase(Locale.ROOT);
    }

    @Override
    List<String> createSchema(String name, String marker, SchemaOptions options) {
      return List.of("CREATE SCHEMA " + ident(name) + " COMMENT = " + literal(marker));
    }

    @Override
    String markSchema(String name, String marker) {
      return "ALTER SCHEMA " + ident(name) + " SET COMMENT = " + literal(marker);
    }

    @Override
    List<String> dropSchema(String name) {
      return List.of("DROP SCHEMA " + ident(name) + " CASCADE");
    }

    @Override
    String listSchemas() {
      return "SELECT LOWER(SCHEMA_NAME), COMMENT FROM INFORMATION_SCHEMA.SCHEMATA"
          + " WHERE SCHEMA_NAME <> 'INFORMATION_SCHEMA' AND SCHEMA_NAME = UPPER(SCHEMA_NAME)";
    }

    @Override
    String countRelations() {
      return "SELECT count(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = UPPER(?)";
    }

    /** The mark is the create's {@code COMMENT}. */
    @Override
    String createRoleStatement(String name, String marker) {
      return "CREATE ROLE " + ident(name) + " COMMENT = " + literal(marker);
    }

    @Override
    List<String> markNewRole(String name, String marker) {
      return List.of();
    }

    @Override
    List<String> markRole(String name, String marker) {
      return List.of("ALTER ROLE " + ident(name) + " SET COMMENT = " + literal(marker));
    }

    /** Schemas are the URL's database's: the role needs USAGE on it first. */
    @Override
    List<String> grants(Role role) {
      List<String> sql = new ArrayList<>();
      sql.add("SET EDX_DATABASE = CURRENT_DATABASE()");
      sql.add("GRANT USAGE ON DATABASE IDENTIFIER($EDX_DATABASE) TO ROLE " + ident(role.name()));
      sql.addAll(super.grants(role));
      return sql;
    }

    @Override
    List<String> privileges(Role.Access access) {
      return withSchemaUsage(super.privileges(access));
    }

    @Override
    List<String> grant(String role, String schema, List<String> privileges) {
      List<String> sql = new ArrayList<>();
      String to = " TO ROLE " + ident(role);
      if (privileges.contains("USAGE")) {
        sql.add("GRANT USAGE ON SCHEMA " + ident(schema) + to);
      }
      String tables = tablePrivileges(privileges);
      if (!tables.isEmpty()) {
        sql.add("GRANT " + tables + " ON ALL TABLES IN SCHEMA " + ident(schema) + to);
        sql.add("GRANT " + tables + " ON FUTURE TABLES IN SCHEMA " + ident(schema) + to);
      }
      return sql;
    }

    @Override
    List<String> revoke(String role, String schema, List<String> privileges) {
      return revokeTarget(role, grantTarget(schema), privileges);
    }

    /** The schema as Snowflake stores it: a spec's name in uppercase. */
    @Override
    String grantTarget(String schema) {
      return fold(schema);
    }

    /** The target is the stored name, quoted as it is (a schema edx did not name may be mixed). */
    @Override
    List<String> revokeTarget(String role, String target, List<String> privileges) {
      List<String> sql = new ArrayList<>();
      String from = " FROM ROLE " + ident(role);
      String tables = tablePrivileges(privileges);
      if (!tables.isEmpty()) {
        sql.add("REVOKE " + tables + " ON ALL TABLES IN SCHEMA " + quote(target) + from);
        sql.add("REVOKE " + tables + " ON FUTURE TABLES IN SCHEMA " + quote(target) + from);
      }
      if (privileges.contains("USAGE")) {
        sql.add("REVOKE USAGE ON SCHEMA " + quote(target) + from);
      }
      return sql;
    }

    /** A stored uppercase name as specs write it; any other quoted, as Snowflake needs it. */
    @Override
    String describeTarget(String target) {
      String spec = target.toLowerCase(Locale.ROOT);
      return fold(spec).equals(target) && spec.matches("[a-z0-9_]+") ? spec : quote(target);
    }

    @Override
    Optional<String> currentDatabase() {
      return Optional.of("SELECT CURRENT_DATABASE()");
    }

    /**
     * {@code SHOW GRANTS TO ROLE} (privileges on existing objects: the schema's USAGE, a table's
     * SELECT, ...) and {@code SHOW FUTURE GRANTS TO ROLE} (privileges on the tables a schema
     * will hold), each read by column name.
     */
    @Override
    List<GrantListing> listGrantsOf(String role) {
      return List.of(
          new GrantListing("SHOW GRANTS TO ROLE " + ident(role),
              List.of("privilege", "granted_on", "name"), false),
          new GrantListing("SHOW FUTURE GRANTS TO ROLE " + ident(role),
              List.of("privilege", "grant_on", "name"), true));
    }

    /**
     * USAGE on a schema ({@code granted_on} SCHEMA, {@code name} DB.SCHEMA) is held; a table
     * privilege is held completely when granted on the schema's future tables ({@code grant_on}
     * TABLE, {@code name} DB.SCHEMA.&lt;TABLE&gt;), and partly when only on some of its tables
     * ({@code granted_on} TABLE, DB.SCHEMA.TABLE). Objects of other databases, other kinds
     * (the database's USAGE, views) and other privileges are outside edx's model.
     */
    @Override
    Optional<HeldGrant> heldGrant(GrantListing listing, Map<String, String> row,
        String database) {
      String privilege = row.get("privilege");
      String kind = row.get(listing.columns().get(1));
      List<String> name = SnowflakeNames.parts(row.get("name"));
      if (privilege == null || kind == null || name.size() < 2
          || !name.get(0).equals(database)) {
        return Optional.empty();
      }
      String schema = name.get(1);
      if (kind.equals("SCHEMA") && name.size() == 2 && privilege.equals("USAGE")
          && !listing.future()) {
        return Optional.of(new HeldGrant(schema, privilege, true));
      }
      if (kind.equals("TABLE") && name.size() == 3
          && privileges(Role.Access.WRITE).contains(privilege) && !privilege.equals("USAGE")) {
        return Optional.of(new HeldGrant(schema, privilege, listing.future()));
      }
      return Optional.empty();
    }

    @Override
    List<String> dropRole(String name) {
      return List.of("DROP ROLE " + ident(name));
    }

    /** {@code SHOW ROLES} is not a query: its result is read with {@code RESULT_SCAN}. */
    @Override
    List<String> beforeListRoles() {
      return List.of("SHOW ROLES");
    }

    @Override
    String listRoles() {
      return "SELECT LOWER(\"name\"), \"comment\" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))"
          + " WHERE \"name\" = UPPER(\"name\")";
    }

    @Override
    Optional<String> checkRoleName(String name) {
      return SNOWFLAKE_SYSTEM_ROLES.contains(name)
          ? Optional.of("'" + name + "' is not a valid snowflake role name: the system roles "
              + SNOWFLAKE_SYSTEM_ROLES + " are reserved; choose another name")
          : Optional.empty();
    }

    @Override
    String literal(String text) {
      return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }
  },
  /**
   * Teradata: a schema is a database, which takes its permanent space ({@code permanentSpace},
   * required) from an owner database ({@code parentDatabase}; the connecting user when absent).
   * {@code CREATE DATABASE} takes no comment and a DDL statement must end its transaction, so the
   * create and the mark commit one after the other: a create interrupted between them leaves an
   * unmarked database, which edx then leaves alone until it is declared with {@code adopt: true}.
   * Teradata compares names case-insensitively; edx lists them in lowercase. {@code DROP
   * DATABASE} needs an empty database: {@code DELETE DATABASE ... ALL} empties it first.
   */
  TERADATA("teradata", List.of("jdbc:teradata:"), List.of("com.teradata.jdbc.TeraDriver"),
      "com.teradata.jdbc:terajdbc", false) {
    @Override
    String quote(String identifier) {
      return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    List<String> createSchema(String name, String marker, SchemaOptions options) {
      long perm = options.permanentSpace().orElseThrow(() -> new IllegalStateException(
          "the teradata dialect needs permanentSpace"));
      String from = options.parentDatabase().map(p -> " FROM " + quote(p)).orElse("");
      return List.of("CREATE DATABASE " + quote(name) + from + " AS PERMANENT = " + perm
          + " BYTES", markSchema(name, marker));
    }

    @Override
    String markSchema(String name, String marker) {
      return "COMMENT ON DATABASE " + quote(name) + " AS " + literal(marker);
    }

    @Override
    List<String> dropSchema(String name) {
      return List.of("DELETE DATABASE " + quote(name) + " ALL", "DROP DATABASE " + quote(name));
    }

    @Override
    String listSchemas() {
      return "SELECT LOWER(TRIM(DatabaseName)), CommentString FROM DBC.DatabasesV"
          + " WHERE DBKind = 'D'";
    }

    @Override
    String countRelations() {
      return "SELECT count(*) FROM DBC.TablesV WHERE DatabaseName = ?"
          + " AND TableKind IN ('T', 'O', 'V')";
    }

    @Override
    List<String> markRole(String name, String marker) {
      return List.of("COMMENT ON ROLE " + quote(name) + " AS " + literal(marker));
    }

    /** Database-level rights: they cover the database's later tables too. */
    @Override
    List<String> grant(String role, String schema, List<String> privileges) {
      return List.of("GRANT " + String.join(", ", privileges) + " ON " + quote(schema) + " TO "
          + quote(role));
    }

    @Override
    List<String> revoke(String role, String schema, List<String> privileges) {
      return List.of("REVOKE " + String.join(", ", privileges) + " ON " + quote(schema)
          + " FROM " + quote(role));
    }

    /** Database-level rights ({@code TableName = 'All'}): R, I, U and D. */
    @Override
    Optional<String> listGrants(Collection<String> roles) {
      return Optional.of("SELECT LOWER(TRIM(RoleName)), LOWER(TRIM(DatabaseName)),"
          + " CASE AccessRight WHEN 'R' THEN 'SELECT' WHEN 'I' THEN 'INSERT'"
          + " WHEN 'U' THEN 'UPDATE' ELSE 'DELETE' END, 'Y' FROM DBC.AllRoleRightsV"
          + " WHERE TableName = 'All' AND AccessRight IN ('R', 'I', 'U', 'D') AND RoleName IN ("
          + roles.stream().map(this::literal).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    List<String> dropRole(String name) {
      return List.of("DROP ROLE " + quote(name));
    }

    @Override
    String listRoles() {
      return "SELECT LOWER(TRIM(RoleName)), CommentString FROM DBC.RoleInfoV";
    }
  };

  /** What a schema's comment holds when edx owns it. */
  static final String MARKER_PREFIX = "edx.dev/environment=";
  /** The SQL Server extended property that holds the mark. */
  static final String SQLSERVER_PROPERTY = "edx.dev/owner";
  /** The Oracle table whose comment holds the mark. */
  static final String ORACLE_MARKER_TABLE = "EDX$OWNER";
  /** The MariaDB database of edx's ownership table of roles (roles take no comment). */
  static final String MARIADB_OWNER_DATABASE = "edx$owner";
  /** The MariaDB table, in {@link #MARIADB_OWNER_DATABASE}, of role name and mark. */
  static final String MARIADB_ROLE_TABLE = "roles";
  /** The Oracle schema (a user nobody logs in as) of the tables that hold roles' marks. */
  static final String ORACLE_ROLE_MARKS = "EDX$ROLES";
  private static final List<String> SNOWFLAKE_SYSTEM_ROLES = List.of("accountadmin",
      "securityadmin", "useradmin", "sysadmin", "orgadmin", "public");
  private static final List<String> RESERVED_POSTGRESQL_ROLES =
      List.of("public", "none", "current_role", "current_user", "session_user");
  private static final Pattern MARKER =
      Pattern.compile("^" + Pattern.quote(MARKER_PREFIX) + "([a-z0-9][a-z0-9-]*)");

  private final String key;
  private final List<String> urlPrefixes;
  private final List<String> driverClasses;
  private final String driverArtifact;
  private final boolean transactionalDdl;

  SqlDialect(String key, List<String> urlPrefixes, List<String> driverClasses,
      String driverArtifact, boolean transactionalDdl) {
    this.key = key;
    this.urlPrefixes = urlPrefixes;
    this.driverClasses = driverClasses;
    this.driverArtifact = driverArtifact;
    this.transactionalDdl = transactionalDdl;
  }

  /** The name specs use: {@code postgresql}, {@code mariadb}, {@code sqlserver}, ... */
  public String key() {
    return key;
  }

  /** Whether a JDBC URL is for this dialect's drivers. */
  public boolean accepts(String url) {
    return urlPrefixes.stream().anyMatch(url::startsWith);
  }

  List<String> urlPrefixes() {
    return urlPrefixes;
  }

  /** The JDBC driver classes of this dialect (any one will do). */
  List<String> driverClasses() {
    return driverClasses;
  }

  /** The Maven artifact ({@code groupId:artifactId}) of the dialect's usual JDBC driver. */
  String driverArtifact() {
    return driverArtifact;
  }

  /**
   * Whether DDL statements can share a transaction. When not, edx runs each statement of a
   * create on its own (Teradata refuses any statement after DDL in a transaction; Oracle,
   * MariaDB and Snowflake commit DDL at once anyway).
   */
  boolean transactionalDdl() {
    return transactionalDdl;
  }

  /**
   * Fails, naming the driver class and the Maven artifact to add, when none of the dialect's
   * drivers can be loaded from {@code loader}.
   */
  void requireDriver(ClassLoader loader) {
    for (String driver : driverClasses) {
      try {
        Class.forName(driver, false, loader);
        return;
      } catch (ClassNotFoundException | LinkageError e) {
        // try the next one
      }
    }
    throw new IllegalStateException("the " + key + " JDBC driver (" + driverClasses.get(0)
        + ") is not on the class path: add the Maven artifact " + driverArtifact
        + " (runtime scope) to the application");
  }

  /** A query that answers one row holding 1: the health check. */
  String ping() {
    return "SELECT 1";
  }

  /** A quoted identifier. */
  abstract String quote(String identifier);

  /** The name the database stores for a spec's (lowercase) name. */
  String fold(String name) {
    return name;
  }

  /** A spec's schema name, folded and quoted. */
  String ident(String name) {
    return quote(fold(name));
  }

  /**
   * Why a schema name (already a valid spec name: lowercase letters, digits, {@code _}) is not
   * one this dialect can take; empty when it can.
   */
  Optional<String> checkName(String name) {
    return Optional.empty();
  }

  /** The statements that create a schema marked with {@code marker}. */
  abstract List<String> createSchema(String name, String marker, SchemaOptions options);

  /** {@link #createSchema(String, String, SchemaOptions)} with no options. */
  List<String> createSchema(String name, String marker) {
    return createSchema(name, marker, SchemaOptions.NONE);
  }

  /** The statement that sets a schema's ownership mark (adoption). */
  abstract String markSchema(String name, String marker);

  /** The statements that drop a schema with everything in it. */
  abstract List<String> dropSchema(String name);

  /**
   * A query of every user schema: its name as specs write it (lowercase, where the dialect folds
   * names) and its ownership text (null when none).
   */
  abstract String listSchemas();

  /** A query of how many tables and views a schema (the one parameter) holds. */
  abstract String countRelations();

  /**
   * The statements that create a {@code NOLOGIN} role marked with {@code marker} (the mark first,
   * or in the same transaction, or, where neither can be, right after) and grant it its access to
   * its schemas: {@link #createRoleStatement}, with {@link #markNewRole} before it where {@link
   * #marksRoleFirst} or else after it, then {@link #grants}.
   */
  final List<String> createRole(Role role, String marker) {
    List<String> sql = new ArrayList<>();
    List<String> mark = markNewRole(role.name(), marker);
    if (marksRoleFirst()) {
      sql.addAll(mark);
    }
    sql.add(createRoleStatement(role.name(), marker));
    if (!marksRoleFirst()) {
      sql.addAll(mark);
    }
    sql.addAll(grants(role));
    return sql;
  }

  /**
   * The statement that creates a role (marked with {@code marker} where the create takes a
   * comment, {@code snowflake}); {@code CREATE ROLE} with the name.
   */
  String createRoleStatement(String name, String marker) {
    return "CREATE ROLE " + ident(name);
  }

  /** The statements that mark a role {@link #createRole} makes; {@link #markRole} by default. */
  List<String> markNewRole(String name, String marker) {
    return markRole(name, marker);
  }

  /**
   * Whether a new role's mark is written before the role is created: where roles take no
   * description and the mark is kept apart ({@code mariadb}, {@code oracle}), so that a create
   * interrupted between the two leaves a mark, not an unmarked role.
   */
  boolean marksRoleFirst() {
    return false;
  }

  /** The statements that set a role's ownership mark (creating or replacing it). */
  abstract List<String> markRole(String name, String marker);

  /** The statements that mark an existing role as edx's and grant it its declared access. */
  List<String> adoptRole(Role role, String marker) {
    List<String> sql = new ArrayList<>(markRole(role.name(), marker));
    sql.addAll(grants(role));
    return sql;
  }

  /** The statements that give a role its declared access to each of its schemas. */
  List<String> grants(Role role) {
    List<String> sql = new ArrayList<>();
    for (String schema : role.schemas()) {
      sql.addAll(grant(role.name(), schema, privileges(role.access())));
    }
    return sql;
  }

  /**
   * The privileges, as GRANT names them, a role of {@code access} holds in each of its schemas,
   * in a fixed order; {@code read}'s are a part of {@code write}'s.
   */
  List<String> privileges(Role.Access access) {
    return access == Role.Access.READ ? List.of("SELECT")
        : List.of("SELECT", "INSERT", "UPDATE", "DELETE");
  }

  /** {@code USAGE} (of the schema) first, then the table privileges. */
  static List<String> withSchemaUsage(List<String> tablePrivileges) {
    List<String> all = new ArrayList<>();
    all.add("USAGE");
    all.addAll(tablePrivileges);
    return List.copyOf(all);
  }

  /** The table privileges of a list that may hold the schema's {@code USAGE}, for one GRANT. */
  static String tablePrivileges(List<String> privileges) {
    return privileges.stream().filter(p -> !p.equals("USAGE"))
        .collect(Collectors.joining(", "));
  }

  /** The statements that grant {@code privileges} (of {@link #privileges}) in a schema. */
  abstract List<String> grant(String role, String schema, List<String> privileges);

  /** The statements that revoke {@code privileges} (of {@link #privileges}) in a schema. */
  abstract List<String> revoke(String role, String schema, List<String> privileges);

  /**
   * How the server records the target of a grant on {@code schema}, as {@link #listGrants}
   * answers it: the schema's name, but in {@code mariadb}, whose database-level grants take
   * {@code _} and {@code %} as wildcards, the name with them escaped ({@code gha\_dm}).
   */
  String grantTarget(String schema) {
    return schema;
  }

  /**
   * The statements that revoke {@code privileges} from a grant target as {@link #listGrants}
   * answers it (a schema, or a {@code mariadb} pattern an unescaped grant left).
   */
  List<String> revokeTarget(String role, String target, List<String> privileges) {
    return revoke(role, target, privileges);
  }

  /** How a plan names a grant target. */
  String describeTarget(String target) {
    return target;
  }

  /**
   * A query of the privileges (of {@link #privileges}) {@code roles} hold, a row (role, schema,
   * privilege, {@code Y} when held completely or {@code N} when on some tables only) each, names
   * as specs write them (schemas as {@link #grantTarget} records them); empty where they are
   * read one role at a time instead ({@link #listGrantsOf}, {@code snowflake}).
   */
  Optional<String> listGrants(Collection<String> roles) {
    return Optional.empty();
  }

  /**
   * Where grants are read one role at a time ({@code snowflake}, whose {@code SHOW GRANTS}
   * answers for one role): the statements that list a role's grants, each answering rows read
   * by the names of its columns ({@link #heldGrant}); empty elsewhere.
   */
  List<GrantListing> listGrantsOf(String role) {
    return List.of();
  }

  /**
   * A query answering the name of the connection's database, where {@link #listGrantsOf} names
   * objects with their database ({@code snowflake}): grants in other databases are not the
   * store's.
   */
  Optional<String> currentDatabase() {
    return Optional.empty();
  }

  /**
   * What a row of a {@link #listGrantsOf} statement (its columns by name) holds in edx's model:
   * a privilege (of {@link #privileges}) on a schema of {@code database}, or nothing.
   */
  Optional<HeldGrant> heldGrant(GrantListing listing, Map<String, String> row,
      String database) {
    return Optional.empty();
  }

  /**
   * A statement listing one role's grants and the columns read from its rows, by name; {@code
   * future} when it lists the grants on objects a schema will hold.
   */
  record GrantListing(String sql, List<String> columns, boolean future) {
    GrantListing {
      requireNonNull(sql, "sql is null");
      columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }
  }

  /**
   * A privilege a role holds on a schema, the schema as {@link #grantTarget} records it; {@code
   * complete} unless on some of its tables only.
   */
  record HeldGrant(String target, String privilege, boolean complete) {
    HeldGrant {
      requireNonNull(target, "target is null");
      requireNonNull(privilege, "privilege is null");
    }
  }

  /** The statements that drop a role (with its grants) and its mark. */
  abstract List<String> dropRole(String name);

  /** What runs before {@link #listRoles()}, on the same connection. */
  List<String> beforeListRoles() {
    return List.of();
  }

  /** A query of every role: its name and its ownership text (null when none, or kept apart). */
  abstract String listRoles();

  /**
   * Where marks are kept apart from roles ({@code mariadb}, {@code oracle}): a query answering 0
   * before the first role is made (a store that never declared roles then reads no more), and,
   * where {@link #listRoles()} does not join them ({@code mariadb}), the query of (role, mark)
   * rows.
   */
  Optional<String> roleMarksPresent() {
    return Optional.empty();
  }

  /** See {@link #roleMarksPresent()}. */
  Optional<String> roleMarks() {
    return Optional.empty();
  }

  /**
   * Why a role name (already a valid spec name) is not one this dialect can take; empty when it
   * can.
   */
  Optional<String> checkRoleName(String name) {
    return Optional.empty();
  }

  /** A string literal. */
  String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** The ownership mark of an environment. */
  static String marker(String environment) {
    return MARKER_PREFIX + environment;
  }

  /** The environment a schema comment names as owner; empty when edx does not own it. */
  static Optional<String> owner(String comment) {
    if (comment == null) {
      return Optional.empty();
    }
    Matcher m = MARKER.matcher(comment);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The dialect a spec names. */
  static SqlDialect of(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    for (SqlDialect d : values()) {
      if (d.key.equals(key)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown dialect '" + name + "'; supported: " + names());
  }

  /** The dialect whose drivers take a JDBC URL, if any. */
  static Optional<SqlDialect> forUrl(String url) {
    return Arrays.stream(values()).filter(d -> d.accepts(url)).findFirst();
  }

  static String names() {
    return Arrays.stream(values()).map(SqlDialect::key)
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
