package dev.edx.embedded;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.ConfigurationException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server for tests and the demo: an embedded one (zonky's PostgreSQL binaries, no
 * Docker), either ephemeral or keeping its data in a folder across restarts, or an existing server
 * named by {@code EDX_TEST_JDBC_URL} (with {@code EDX_TEST_JDBC_USER} and {@code
 * EDX_TEST_JDBC_PASSWORD}).
 *
 * <p>An embedded server listens on loopback TCP only, has no Unix socket, and asks every user
 * for its password (SCRAM), the superuser {@code postgres} included: no other local user gets in
 * without one. Both passwords are generated ({@link SecureRandom}, 128 bits) and never logged.
 * Closing it stops the server; an ephemeral one's data is deleted. Closing an external endpoint
 * leaves the server alone. {@link #toString()} never shows a password.
 */
public final class PostgresEndpoint implements AutoCloseable {
  /** The JDBC URL of an existing server to use instead of an embedded one. */
  public static final String URL_VARIABLE = "EDX_TEST_JDBC_URL";
  public static final String USER_VARIABLE = "EDX_TEST_JDBC_USER";
  public static final String PASSWORD_VARIABLE = "EDX_TEST_JDBC_PASSWORD";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresEndpoint.class);
  private static final String EMBEDDED_USER = "edx";
  private static final String SUPERUSER = "postgres";
  private static final String PASSWORD_FILE = "edx-password";
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final String SUPERUSER_PASSWORD_FILE = "superuser-password";
  private static final String PG_HBA = """
      # Written by edx's PostgresEndpoint at every start. Every user, the superuser included,
      # gives its password (SCRAM); the server listens on loopback TCP only and has no Unix
      # socket, so nothing is trusted without one.
      local all all scram-sha-256
      host all all 127.0.0.1/32 scram-sha-256
      host all all ::1/128 scram-sha-256
      """;

  private final EmbeddedPostgres server;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final String adminUser;
  private final String adminPassword;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PostgresEndpoint(EmbeddedPostgres server, String jdbcUrl, String user, String password,
      String adminUser, String adminPassword) {
    this.server = server;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.adminUser = adminUser;
    this.adminPassword = adminPassword;
  }

  /**
   * The server tests use: the one {@code EDX_TEST_JDBC_URL} names if set, else an ephemeral
   * embedded one.
   */
  public static PostgresEndpoint start() {
    return start(name -> Optional.ofNullable(System.getenv(name)));
  }

  /** As {@link #start()}, reading the variables through {@code environment}. */
  public static PostgresEndpoint start(Function<String, Optional<String>> environment) {
    requireNonNull(environment, "environment is null");
    Optional<String> url = environment.apply(URL_VARIABLE).filter(s -> !s.isBlank());
    if (url.isPresent()) {
      return external(url.get(), environment.apply(USER_VARIABLE).orElse(""),
          environment.apply(PASSWORD_VARIABLE).orElse(""));
    }
    return ephemeral();
  }

  /** An existing server; {@link #createDatabase} needs {@code user} to hold CREATEDB. */
  public static PostgresEndpoint external(String jdbcUrl, String user, String password) {
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("Invalid " + URL_VARIABLE + ": it must start with"
          + " jdbc:postgresql:, for example jdbc:postgresql://127.0.0.1:5432/postgres");
    }
    LOG.info("Using the PostgreSQL server at {} as user {}", withoutQuery(jdbcUrl), user);
    return new PostgresEndpoint(null, jdbcUrl, user, password, user, password);
  }

  /** An embedded server whose data lives in a temporary folder, deleted when it closes. */
  public static PostgresEndpoint ephemeral() {
    String password = newPassword();
    String superuserPassword = newPassword();
    Path passwordFile = null;
    try {
      // initdb reads the superuser's password from a file; a temporary file is 0600 on POSIX.
      passwordFile = Files.createTempFile("edx-pg-", ".pw");
      Files.writeString(passwordFile, superuserPassword, StandardCharsets.UTF_8);
      return embedded(EmbeddedPostgres.builder(), password, SUPERUSER, superuserPassword,
          passwordFile, "ephemeral");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare an ephemeral PostgreSQL server: " + e, e);
    } finally {
      deleteQuietly(passwordFile);
    }
  }

  /**
   * An embedded server whose data lives in {@code directory} (created if missing) and survives
   * restarts: a second endpoint on the same folder sees the first one's databases. The folder and
   * everything in it are readable by their owner only ({@link OwnerOnlyFiles}); a looser existing
   * one is tightened. The passwords of {@link #user()} ({@code edx-password}) and of the superuser
   * ({@code superuser-password}) are generated once and kept there, {@code 0600}.
   *
   * <p>A folder made by an earlier edx, whose superuser has no password, still opens: edx then
   * administers it as {@link #user()}, and the superuser cannot log in at all.
   */
  public static PostgresEndpoint persistent(Path directory) {
    requireNonNull(directory, "directory is null");
    Path dir = directory.toAbsolutePath().normalize();
    OwnerOnlyFiles.secureTree(dir);
    Path data = dir.resolve("data");
    // zonky runs initdb exactly when this file is missing.
    boolean initialized = Files.exists(data.resolve("postgresql.conf"));
    Path passwordFile = dir.resolve(PASSWORD_FILE);
    Path superuserFile = dir.resolve(SUPERUSER_PASSWORD_FILE);
    if (initialized && !Files.exists(passwordFile)) {
      throw new IllegalStateException("Cannot open the PostgreSQL data in " + data + ": the"
          + " password file " + passwordFile + " is missing; delete " + dir + " to start afresh");
    }
    String password = readOrCreatePassword(passwordFile);
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        // Durable: this data is meant to outlive the process.
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on");
    String what = "persistent in " + dir;
    if (!initialized || Files.exists(superuserFile)) {
      return embedded(builder, password, SUPERUSER, readOrCreatePassword(superuserFile),
          initialized ? null : superuserFile, what);
    }
    LOG.info("The PostgreSQL data in {} predates superuser passwords: edx administers it as {},"
        + " and the superuser {} cannot log in", data, EMBEDDED_USER, SUPERUSER);
    return embedded(builder, password, EMBEDDED_USER, password, null, what);
  }

  /**
   * Starts the server with edx's authentication rules ({@link #PG_HBA}, loopback TCP only, no
   * Unix socket) and makes sure role {@link #EMBEDDED_USER} exists with {@code password}.
   *
   * @param adminUser who runs zonky's readiness check and edx's administration: the superuser,
   *     or {@link #EMBEDDED_USER} in a folder whose superuser has no password
   * @param superuserPasswordFile for a new data folder, the file initdb reads the superuser's
   *     password from; null for an existing one
   */
  private static PostgresEndpoint embedded(EmbeddedPostgres.Builder builder, String password,
      String adminUser, String adminPassword, Path superuserPasswordFile, String what) {
    requireBinaries(System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
        resource -> EmbeddedPostgres.class.getClassLoader().getResource(resource) != null);
    // DDL takes no parameters; the passwords are hex from SecureRandom or our own files.
    requireHex(password);
    requireHex(adminPassword);
    builder.setDataDirectoryCustomizer(PostgresEndpoint::writeHba)
        .setServerConfig("listen_addresses", "localhost")
        // No Unix socket: zonky's would be in /tmp, where every local user can reach it.
        .setServerConfig("unix_socket_directories", "")
        // zonky's readiness check connects with these (as the superuser unless told otherwise).
        .setConnectConfig("password", adminPassword);
    if (!SUPERUSER.equals(adminUser)) {
      builder.setConnectConfig("user", adminUser);
    }
    if (superuserPasswordFile != null) {
      // zonky passes each "locale" setting to initdb as --key=value.
      builder.setLocaleConfig("pwfile", superuserPasswordFile.toString());
    }
    long start = System.nanoTime();
    EmbeddedPostgres server;
    try {
      server = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded PostgreSQL server (" + what + "): "
          + e.getMessage(), e);
    }
    String base = "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/";
    if (SUPERUSER.equals(adminUser)) {
      try (Connection c = DriverManager.getConnection(base + "postgres", SUPERUSER,
          adminPassword);
          Statement s = c.createStatement()) {
        boolean exists;
        try (ResultSet r = s.executeQuery(
            "SELECT 1 FROM pg_roles WHERE rolname = '" + EMBEDDED_USER + "'")) {
          exists = r.next();
        }
        s.execute((exists ? "ALTER" : "CREATE") + " ROLE " + EMBEDDED_USER
            + " LOGIN CREATEDB CREATEROLE PASSWORD '" + password + "'");
      } catch (SQLException e) {
        closeQuietly(server);
        throw new IllegalStateException("Cannot prepare the embedded PostgreSQL server: "
            + e.getMessage(), e);
      }
    }
    LOG.info("Embedded PostgreSQL ({}) on port {}, started in {} ms", what, server.getPort(),
        (System.nanoTime() - start) / 1_000_000);
    return new PostgresEndpoint(server, base + "postgres", EMBEDDED_USER, password, adminUser,
        adminPassword);
  }

  /** The password in {@code file}, or a new one written there {@code 0600}. */
  private static String readOrCreatePassword(Path file) {
    try {
      if (Files.exists(file)) {
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        requireHex(password);
        return password;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the password file " + file + ": " + e, e);
    }
    String password = newPassword();
    OwnerOnlyFiles.writeString(file, password);
    return password;
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.warn("Cannot delete the temporary password file {}", file, e);
      }
    }
  }

  /**
   * Fails with what to do instead when the class path holds no PostgreSQL binaries for this
   * platform, where zonky's own lookup would end in "Missing embedded postgres binaries". The
   * build adds them, through Maven profiles of edx-embedded activated by the building machine's
   * OS and architecture, for Linux and macOS on x86-64 and arm64.
   *
   * @param osName the {@code os.name} system property
   * @param osArch the {@code os.arch} system property
   * @param hasResource whether the class path holds a resource of that name
   * @throws ConfigurationException naming {@code EDX_TEST_JDBC_URL} and {@code --env}
   */
  static void requireBinaries(String osName, String osArch, Predicate<String> hasResource) {
    String os = system(osName);
    String arch = architecture(osArch);
    String resource = "postgres-" + os + "-" + arch + ".txz";
    if (hasResource.test(resource)) {
      return;
    }
    // zonky falls back to the x86-64 binaries under Rosetta 2 on Apple silicon.
    if (os.equals("darwin") && arch.equals("arm_64")
        && hasResource.test("postgres-darwin-x86_64.txz")) {
      return;
    }
    throw new ConfigurationException("Cannot start an embedded PostgreSQL server: this build"
        + " has no PostgreSQL binaries for " + osName + " " + osArch + " (no " + resource
        + " on the class path). edx's build adds them for Linux and macOS on x86-64 and arm64,"
        + " for the machine that builds it. Use an existing PostgreSQL server instead: set "
        + URL_VARIABLE + "=jdbc:postgresql://HOST:5432/postgres, " + USER_VARIABLE + " (a user"
        + " with CREATEDB) and " + PASSWORD_VARIABLE + " for the tests, and give the edx command"
        + " a spec with --env (envs/minio-postgres.yaml names a server of yours; envs/local.yaml"
        + " needs no PostgreSQL)");
  }

  /** {@code os.name} as zonky names systems in its resources: linux, darwin, windows. */
  private static String system(String osName) {
    String name = osName.toLowerCase(Locale.ROOT);
    if (name.startsWith("linux")) {
      return "linux";
    }
    if (name.startsWith("mac") || name.startsWith("darwin")) {
      return "darwin";
    }
    if (name.startsWith("windows")) {
      return "windows";
    }
    return name.replace(' ', '_');
  }

  /** {@code os.arch} as zonky names architectures (x86_64, arm_64, ...) in its resources. */
  private static String architecture(String osArch) {
    String arch = osArch.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "");
    if (arch.matches("x8664|amd64|ia32e|em64t|x64")) {
      return "x86_64";
    }
    if (arch.matches("(aarch64|armv8|arm64).*")) {
      return "arm_64";
    }
    if (arch.matches("(arm|arm32).*")) {
      return "arm_32";
    }
    if (arch.matches("x8632|x86|i[3-6]86|ia32|x32")) {
      return "x86_32";
    }
    if (arch.equals("ppc64le")) {
      return "ppcle_64";
    }
    return arch;
  }

  private static void writeHba(File dataDirectory) {
    try {
      Files.writeString(dataDirectory.toPath().resolve("pg_hba.conf"), PG_HBA,
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write pg_hba.conf in " + dataDirectory, e);
    }
  }

  /** The server's maintenance database ({@code postgres}, or the one the variable names). */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String user() {
    return user;
  }

  /** The password of {@link #user()}. Secret: do not log it. */
  public String password() {
    return password;
  }

  /** True for an embedded server, false for one named by {@code EDX_TEST_JDBC_URL}. */
  public boolean embedded() {
    return server != null;
  }

  /**
   * Creates a fresh database owned by {@link #user()} and returns its JDBC URL.
   *
   * @throws IllegalStateException if it exists
   */
  public String createDatabase(String name) {
    checkName(name);
    try (Connection c = admin()) {
      if (exists(c, name)) {
        throw new IllegalStateException("Cannot create database " + name + " on "
            + withoutQuery(jdbcUrl) + ": it already exists");
      }
      create(c, name);
    } catch (SQLException e) {
      throw failure("create database " + name, e);
    }
    return databaseUrl(name);
  }

  /** The JDBC URL of database {@code name}, created first if it does not exist. */
  public String database(String name) {
    checkName(name);
    try (Connection c = admin()) {
      if (!exists(c, name)) {
        create(c, name);
      }
    } catch (SQLException e) {
      throw failure("create database " + name, e);
    }
    return databaseUrl(name);
  }

  /** Drops database {@code name} and its connections, if it exists. */
  public void dropDatabase(String name) {
    checkName(name);
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    } catch (SQLException e) {
      throw failure("drop database " + name, e);
    }
  }

  private void create(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement()) {
      // The name is checked against [a-z_][a-z0-9_]* and quoted: DDL takes no parameters.
      s.execute("CREATE DATABASE \"" + name + "\""
          + (server != null ? " OWNER " + EMBEDDED_USER : ""));
    }
  }

  private static boolean exists(Connection c, String name) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      s.setString(1, name);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  private Connection admin() throws SQLException {
    checkOpen();
    Properties properties = new Properties();
    properties.setProperty("user", adminUser);
    if (!adminPassword.isEmpty()) {
      properties.setProperty("password", adminPassword);
    }
    return DriverManager.getConnection(jdbcUrl, properties);
  }

  /** {@code jdbcUrl} with its database replaced by {@code name}, keeping host and parameters. */
  private String databaseUrl(String name) {
    String prefix = "jdbc:postgresql://";
    int query = jdbcUrl.indexOf('?');
    String path = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    String params = query < 0 ? "" : jdbcUrl.substring(query);
    if (!path.startsWith(prefix)) {
      throw new IllegalStateException("Cannot derive a database URL from " + path
          + ": expected jdbc:postgresql://host[:port]/database");
    }
    int slash = path.indexOf('/', prefix.length());
    String hosts = slash < 0 ? path : path.substring(0, slash);
    return hosts + "/" + name + params;
  }

  private void checkName(String name) {
    requireNonNull(name, "name is null");
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Invalid database name '" + name + "': use a lowercase"
          + " letter or '_', then lowercase letters, digits or '_' (at most 63)");
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("Cannot use " + this + ": it is closed");
    }
  }

  private IllegalStateException failure(String action, SQLException e) {
    return new IllegalStateException("Cannot " + action + " on " + withoutQuery(jdbcUrl) + ": "
        + e.getMessage(), e);
  }

  private static String newPassword() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void requireHex(String password) {
    if (!password.matches("[0-9a-f]{8,}")) {
      throw new IllegalStateException("An embedded PostgreSQL password file is corrupt: expected"
          + " hex digits; delete the folder that holds it to start afresh");
    }
  }

  private static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  private static void closeQuietly(EmbeddedPostgres server) {
    try {
      server.close();
    } catch (IOException e) {
      LOG.warn("Cannot stop the embedded PostgreSQL server", e);
    }
  }

  /** Stops an embedded server (deleting an ephemeral one's data). Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true) && server != null) {
      server.close();
      LOG.info("Stopped embedded PostgreSQL on port {}", server.getPort());
    }
  }

  @Override
  public String toString() {
    return "PostgresEndpoint{" + withoutQuery(jdbcUrl) + ", user=" + user
        + (server != null ? ", embedded" : ", external") + "}";
  }
}
