package dev.edx.provider.jdbc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
 * <p>Roles ({@code roles:}, {@code NOLOGIN}) are provisioned by {@code postgresql} (marked with
 * {@code COMMENT ON ROLE}) and {@code mariadb} (roles take no comment: the mark is a row of edx's
 * table {@code `edx$owner`.`roles`}, written before the role is created); the other dialects do
 * not provision roles ({@link #supportsRoles()}).
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
    boolean supportsRoles() {
      return true;
    }

    @Override
    List<String> createRole(Role role, String marker) {
      List<String> sql = new ArrayList<>();
      sql.add("CREATE ROLE " + quote(role.name()) + " NOLOGIN");
      sql.add(markRole(role.name(), marker).get(0));
      sql.addAll(grants(role));
      return sql;
    }

    @Override
    List<String> adoptRole(Role role, String marker) {
      List<String> sql = new ArrayList<>(markRole(role.name(), marker));
      sql.addAll(grants(role));
      return sql;
    }

    private List<String> markRole(String name, String marker) {
      return List.of("COMMENT ON ROLE " + quote(name) + " IS " + literal(marker));
    }

    private List<String> grants(Role role) {
      List<String> sql = new ArrayList<>();
      String to = " TO " + quote(role.name());
      String privileges = role.access().tablePrivileges();
      for (String schema : role.schemas()) {
        sql.add("GRANT USAGE ON SCHEMA " + quote(schema) + to);
        sql.add("GRANT " + privileges + " ON ALL TABLES IN SCHEMA " + quote(schema) + to);
        sql.add("ALTER DEFAULT PRIVILEGES IN SCHEMA " + quote(schema) + " GRANT " + privileges
            + " ON TABLES" + to);
      }
      return sql;
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
    boolean supportsRoles() {
      return true;
    }

    @Override
    List<String> createRole(Role role, String marker) {
      List<String> sql = new ArrayList<>(markRole(role.name(), marker));
      sql.add("CREATE ROLE " + quote(role.name()));
      sql.addAll(grants(role));
      return sql;
    }

    @Override
    List<String> adoptRole(Role role, String marker) {
      List<String> sql = new ArrayList<>(markRole(role.name(), marker));
      sql.addAll(grants(role));
      return sql;
    }

    /** The mark is a row of the ownership table, written before the role is created. */
    private List<String> markRole(String name, String marker) {
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

    private List<String> grants(Role role) {
      List<String> sql = new ArrayList<>();
      for (String schema : role.schemas()) {
        sql.add("GRANT " + role.access().tablePrivileges() + " ON " + quote(schema) + ".* TO "
            + quote(role.name()));
      }
      return sql;
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
          + " WHERE u.ORACLE_MAINTAINED = 'N' AND u.USERNAME = UPPER(u.USERNAME)";
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
   * Whether this dialect provisions roles ({@code roles:}); a store of a dialect that does not
   * refuses them.
   */
  boolean supportsRoles() {
    return false;
  }

  /**
   * The statements that create a {@code NOLOGIN} role marked with {@code marker} (the mark first,
   * or in the same transaction) and grant it its access to its schemas.
   */
  List<String> createRole(Role role, String marker) {
    throw noRoles();
  }

  /** The statements that mark an existing role as edx's and grant it its declared access. */
  List<String> adoptRole(Role role, String marker) {
    throw noRoles();
  }

  /** The statements that drop a role (with its grants) and its mark. */
  List<String> dropRole(String name) {
    throw noRoles();
  }

  /** A query of every role: its name and its ownership text (null when none, or kept apart). */
  String listRoles() {
    throw noRoles();
  }

  /**
   * Where marks are kept apart from roles ({@code mariadb}): a query of how many tables hold
   * them (0 before the first role is made), and the query of (role, mark) rows.
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

  private UnsupportedOperationException noRoles() {
    return new UnsupportedOperationException("the " + key + " dialect does not provision roles");
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
