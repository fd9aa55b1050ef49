package dev.edx.embedded;

import static dev.edx.embedded.OwnerOnlyFilesTest.mode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL trusts nobody: every user, the superuser included, gives its password
 * over loopback TCP, there is no Unix socket, and its folder is its owner's only. (That another OS
 * user is kept out is shown, as that user, by {@link OtherUserAccessTest}.)
 */
class PostgresEndpointSecurityTest {

  @Test
  void everyUserGivesItsPasswordAndNothingIsTrusted(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("postgres");
    try (PostgresEndpoint pg = PostgresEndpoint.persistent(folder)) {
      String url = pg.jdbcUrl();
      String superuserPassword = Files.readString(folder.resolve("superuser-password"));

      assertThat(refusal(url, "postgres", null)).contains("no password was provided");
      assertThat(refusal(url, "postgres", "0123456789abcdef"))
          .contains("password authentication failed for user \"postgres\"");
      assertThat(refusal(url, "edx", null)).contains("no password was provided");
      assertThat(refusal(url, "edx", superuserPassword))
          .contains("password authentication failed for user \"edx\"");
      assertThatCode(() -> DriverManager.getConnection(url, "edx", pg.password()).close())
          .doesNotThrowAnyException();

      try (Connection c = DriverManager.getConnection(url, "postgres", superuserPassword);
          Statement s = c.createStatement()) {
        assertThat(rules(s)).as("pg_hba.conf as the server reads it").containsExactly(
            "local all all scram-sha-256", "host all all 127.0.0.1 scram-sha-256",
            "host all all ::1 scram-sha-256");
        assertThat(show(s, "unix_socket_directories")).as("no Unix socket at all").isEmpty();
        assertThat(show(s, "listen_addresses")).isEqualTo("localhost");
        assertThat(show(s, "password_encryption")).isEqualTo("scram-sha-256");
      }
    }
    assertThat(mode(folder)).isEqualTo("rwx------");
    assertThat(mode(folder.resolve("edx-password"))).isEqualTo("rw-------");
    assertThat(mode(folder.resolve("superuser-password"))).isEqualTo("rw-------");
    assertThat(mode(folder.resolve("data"))).isEqualTo("rwx------");
  }

  @Test
  void aLooserFolderIsTightenedWhenReopenedAndKeepsItsData(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("postgres");
    try (PostgresEndpoint pg = PostgresEndpoint.persistent(folder)) {
      pg.createDatabase("kept");
    }
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(folder.resolve("edx-password"),
        PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(folder.resolve("data"),
        PosixFilePermissions.fromString("rwxr-x---"));

    try (PostgresEndpoint pg = PostgresEndpoint.persistent(folder)) {
      assertThat(mode(folder)).isEqualTo("rwx------");
      assertThat(mode(folder.resolve("edx-password"))).isEqualTo("rw-------");
      assertThat(mode(folder.resolve("data"))).isEqualTo("rwx------");
      assertThatThrownBy(() -> pg.createDatabase("kept"))
          .hasMessageContaining("already exists");
    }
  }

  @Test
  void aFolderWhoseSuperuserHasNoPasswordIsAdministeredAsEdx(@TempDir Path dir)
      throws Exception {
    Path folder = dir.resolve("postgres");
    try (PostgresEndpoint pg = PostgresEndpoint.persistent(folder)) {
      pg.createDatabase("kept");
      // What a folder made before superuser passwords holds: a superuser without one.
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres",
          Files.readString(folder.resolve("superuser-password")));
          Statement s = c.createStatement()) {
        s.execute("ALTER ROLE postgres PASSWORD NULL");
      }
    }
    Files.delete(folder.resolve("superuser-password"));

    try (PostgresEndpoint pg = PostgresEndpoint.persistent(folder)) {
      assertThatThrownBy(() -> pg.createDatabase("kept")).hasMessageContaining("already exists");
      String url = pg.createDatabase("fresh");
      try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT pg_get_userbyid(datdba) FROM pg_database"
              + " WHERE datname = 'fresh'")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("edx");
      }
      assertThat(refusal(pg.jdbcUrl(), "postgres", null)).contains("no password was provided");
      assertThat(refusal(pg.jdbcUrl(), "postgres", "0123456789abcdef"))
          .contains("password authentication failed");
      assertThat(folder.resolve("superuser-password")).doesNotExist();
    }
  }

  @Test
  void anEphemeralServerAlsoAsksTheSuperuserForAPassword() throws Exception {
    try (PostgresEndpoint pg = PostgresEndpoint.ephemeral()) {
      String url = pg.createDatabase("scratch");

      assertThat(refusal(pg.jdbcUrl(), "postgres", null)).contains("no password was provided");
      assertThat(refusal(url, "postgres", null)).contains("no password was provided");
      assertThatCode(() -> DriverManager.getConnection(url, pg.user(), pg.password()).close())
          .doesNotThrowAnyException();
      assertThat(pg.toString()).doesNotContain(pg.password());
    }
  }

  /** The message of the refusal of a connection as {@code user} with {@code password}. */
  private static String refusal(String url, String user, String password) {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    try (Connection c = DriverManager.getConnection(url, properties)) {
      throw new AssertionError("Connected as " + user + " to " + url);
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  private static List<String> rules(Statement s) throws SQLException {
    List<String> rules = new ArrayList<>();
    try (ResultSet r = s.executeQuery("SELECT type, array_to_string(database, ','),"
        + " array_to_string(user_name, ','), address, auth_method, error"
        + " FROM pg_hba_file_rules ORDER BY rule_number")) {
      while (r.next()) {
        assertThat(r.getString(6)).as("error").isNull();
        rules.add(String.join(" ", r.getString(1), r.getString(2), r.getString(3),
            r.getString(4) == null ? "" : r.getString(4), r.getString(5)).replace("  ", " "));
      }
    }
    return rules;
  }

  private static String show(Statement s, String setting) throws SQLException {
    try (ResultSet r = s.executeQuery("SHOW " + setting)) {
      r.next();
      return r.getString(1);
    }
  }
}
