package dev.edx.provider.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The life of declared roles against a real server, shared by the dialects that provision them:
 * plan, create with the mark, grants a login user sees (read selects and cannot insert; write
 * inserts), removal from the spec, an unowned role left alone, adoption, and destroy dropping
 * only owned roles; then grant drift ({@link #runDrift}). Each dialect's test supplies the
 * backend, reached behind edx's back.
 */
abstract class RoleScenario {
  /** A store of environment {@code env} declaring {@code schemas} and {@code roles}. */
  abstract JdbcStore store(String env, List<String> schemas, List<Map<String, Object>> roles);

  /** Runs a statement as the administrator, in schema-qualified SQL. */
  abstract void admin(String sql);

  /** A connection as a new login user (named {@code user}) that has been granted {@code role}. */
  abstract Connection loginGranted(String user, String role) throws SQLException;

  /** Drops a login user made by {@link #loginGranted}. */
  abstract void dropLogin(String user);

  /** Creates a role edx did not create. */
  abstract void createUnownedRole(String role);

  /** Drops a role behind edx's back (clean-up). */
  abstract void dropRoleBehindBack(String role);

  /** Whether a role exists. */
  abstract boolean roleExists(String role);

  /** The environment a role's mark names, read behind edx's back. */
  abstract Optional<String> roleOwner(String role);

  /** Grants a role read access to a schema behind edx's back, as a person would. */
  abstract void grantReadBehindBack(String role, String schema);

  static Map<String, Object> role(String name, String schema, String access) {
    return Map.of("name", name, "schemas", List.of(schema), "access", access);
  }

  void run(String tag) throws SQLException {
    String env = "roles-" + tag;
    String schema = "edxt_roles_" + tag;
    String reader = "edxt_reader_" + tag;
    String writer = "edxt_writer_" + tag;
    String unowned = "edxt_unowned_" + tag;
    String adopted = "edxt_adopted_" + tag;
    String readLogin = "edxt_rlogin_" + tag;
    String writeLogin = "edxt_wlogin_" + tag;
    try (JdbcStore store = store(env, List.of(schema),
        List.of(role(reader, schema, "read"), role(writer, schema, "write")))) {
      assertThat(store.plan()).extracting(Change::resource, Change::action).containsExactly(
          tuple("schema " + schema, Action.CREATE), tuple("role " + reader, Action.CREATE),
          tuple("role " + writer, Action.CREATE));
      store.apply();
      assertThat(roleOwner(reader)).contains(env);
      assertThat(roleOwner(writer)).contains(env);
      assertThat(store.apply()).extracting(Change::action).containsOnly(Action.NONE);

      admin("CREATE TABLE " + schema + ".events (id bigint)");
      admin("INSERT INTO " + schema + ".events VALUES (1)");
      try (Connection c = loginGranted(readLogin, reader); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".events")) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(1);
        }
        assertThatThrownBy(() -> s.executeUpdate("INSERT INTO " + schema + ".events VALUES (2)"))
            .isInstanceOf(SQLException.class).hasMessageContaining("denied");
      }
      try (Connection c = loginGranted(writeLogin, writer); Statement s = c.createStatement()) {
        assertThat(s.executeUpdate("INSERT INTO " + schema + ".events VALUES (2)")).isEqualTo(1);
        assertThat(s.executeUpdate("DELETE FROM " + schema + ".events WHERE id = 2"))
            .isEqualTo(1);
      }
    }
    createUnownedRole(unowned);
    createUnownedRole(adopted);
    Map<String, Object> adopt = Map.of("name", adopted, "schemas", List.of(schema),
        "access", "read", "adopt", true);
    try (JdbcStore store = store(env, List.of(schema),
        List.of(role(writer, schema, "write"), role(unowned, schema, "read"), adopt))) {
      assertThat(store.apply()).extracting(Change::resource, Change::action).containsExactly(
          tuple("schema " + schema, Action.NONE), tuple("role " + writer, Action.NONE),
          tuple("role " + unowned, Action.NONE), tuple("role " + adopted, Action.UPDATE),
          tuple("role " + reader, Action.DELETE));
      assertThat(roleExists(reader)).isFalse();
      assertThat(roleOwner(unowned)).isEmpty();
      assertThat(roleOwner(adopted)).contains(env);

      assertThat(store.destroy(DataPolicy.PURGE)).extracting(Change::resource, Change::action)
          .contains(tuple("role " + writer, Action.DELETE),
              tuple("role " + adopted, Action.DELETE), tuple("role " + unowned, Action.NONE),
              tuple("schema " + schema, Action.DELETE));
      assertThat(roleExists(writer)).isFalse();
      assertThat(roleExists(adopted)).isFalse();
      assertThat(roleExists(unowned)).isTrue();
    } finally {
      dropLogin(readLogin);
      dropLogin(writeLogin);
      dropRoleBehindBack(unowned);
    }
  }

  /**
   * Grant drift of an owned role: a grant made behind edx's back plans as UPDATE and apply
   * revokes it; a role's changed {@code access} and {@code schemas} plan as UPDATE, and after
   * apply a user granted the role can do what the new spec says and nothing it no longer says.
   */
  void runDrift(String tag) throws SQLException {
    String env = "drift-" + tag;
    String first = "edxt_dfirst_" + tag;
    String second = "edxt_dsecond_" + tag;
    String role = "edxt_drole_" + tag;
    List<String> logins = List.of("edxt_dl1_" + tag, "edxt_dl2_" + tag, "edxt_dl3_" + tag);
    List<String> schemas = List.of(first, second);
    try {
      try (JdbcStore store = store(env, schemas, List.of(role(role, first, "read")))) {
        store.apply();
        for (String schema : schemas) {
          admin("CREATE TABLE " + schema + ".events (id bigint)");
          admin("INSERT INTO " + schema + ".events VALUES (1)");
        }
        assertThat(store.plan()).extracting(Change::action).containsOnly(Action.NONE);

        grantReadBehindBack(role, second);
        try (Connection c = loginGranted(logins.get(0), role); Statement s = c.createStatement()) {
          assertThat(count(s, second)).as("the grant made behind edx's back works").isEqualTo(1);
        }
        Change planned = roleChange(store.plan(), role);
        assertThat(planned.action()).isEqualTo(Action.UPDATE);
        assertThat(planned.detail()).contains("revoke").contains(second)
            .doesNotContainPattern("grant [A-Z]");
        assertThat(roleChange(store.apply(), role).action()).isEqualTo(Action.UPDATE);
        try (Connection c = loginGranted(logins.get(1), role); Statement s = c.createStatement()) {
          assertThat(count(s, first)).isEqualTo(1);
          assertThatThrownBy(() -> count(s, second)).as("revoked by apply")
              .isInstanceOf(SQLException.class).hasMessageContaining("denied");
        }
        assertThat(store.plan()).extracting(Change::action).containsOnly(Action.NONE);
      }

      // the spec changes: write access, to the second schema only
      try (JdbcStore store = store(env, schemas, List.of(role(role, second, "write")))) {
        Change planned = roleChange(store.plan(), role);
        assertThat(planned.action()).isEqualTo(Action.UPDATE);
        assertThat(planned.detail()).contains("grant").contains("INSERT").contains(second)
            .contains("revoke").contains(first);
        assertThat(roleChange(store.apply(), role).action()).isEqualTo(Action.UPDATE);
        try (Connection c = loginGranted(logins.get(2), role); Statement s = c.createStatement()) {
          assertThat(s.executeUpdate("INSERT INTO " + second + ".events VALUES (2)")).isEqualTo(1);
          assertThat(count(s, second)).isEqualTo(2);
          assertThatThrownBy(() -> count(s, first)).as("no longer declared")
              .isInstanceOf(SQLException.class).hasMessageContaining("denied");
        }
        assertThat(store.apply()).extracting(Change::action).containsOnly(Action.NONE);

        store.destroy(DataPolicy.PURGE);
        assertThat(roleExists(role)).isFalse();
      }
    } finally {
      logins.forEach(this::dropLogin);
      dropRoleBehindBack(role);
    }
  }

  /**
   * Replaces, behind edx's back, a role's grant on {@code schema} by the one an older edx made
   * (MariaDB: unescaped, so a pattern); false where there is no such older form.
   */
  boolean grantTheOldWay(String role, String schema) {
    return false;
  }

  /**
   * A role granted on a schema whose name holds {@code _} reaches no schema whose name differs
   * there only ({@code a_b} and {@code axb}); where an older grant form reached it ({@link
   * #grantTheOldWay}), the role plans as UPDATE, apply makes the exact grant, and the next plan
   * is clean.
   */
  void runLookalike(String tag) throws SQLException {
    String env = "lookalike-" + tag;
    String schema = "edxt_lk_" + tag;
    String lookalike = "edxtxlk_" + tag;
    String role = "edxt_lkrole_" + tag;
    List<String> logins = List.of("edxt_lk1_" + tag, "edxt_lk2_" + tag, "edxt_lk3_" + tag);
    try (JdbcStore store = store(env, List.of(schema, lookalike),
        List.of(role(role, schema, "read")))) {
      store.apply();
      for (String s : List.of(schema, lookalike)) {
        admin("CREATE TABLE " + s + ".events (id bigint)");
        admin("INSERT INTO " + s + ".events VALUES (1)");
      }
      try (Connection c = loginGranted(logins.get(0), role); Statement s = c.createStatement()) {
        assertThat(count(s, schema)).isEqualTo(1);
        assertThatThrownBy(() -> count(s, lookalike)).as("%s is not %s", lookalike, schema)
            .isInstanceOf(SQLException.class).hasMessageContaining("denied");
      }
      if (grantTheOldWay(role, schema)) {
        try (Connection c = loginGranted(logins.get(1), role);
            Statement s = c.createStatement()) {
          assertThat(count(s, lookalike)).as("the old grant reaches the lookalike").isEqualTo(1);
        }
        Change planned = roleChange(store.plan(), role);
        assertThat(planned.action()).isEqualTo(Action.UPDATE);
        assertThat(planned.detail()).isEqualTo("grants differ from the spec (read on " + schema
            + "): grant SELECT on " + schema + "; revoke SELECT on the pattern " + schema
            + " (_ and % match any character)");
        assertThat(roleChange(store.apply(), role).action()).isEqualTo(Action.UPDATE);
        try (Connection c = loginGranted(logins.get(2), role);
            Statement s = c.createStatement()) {
          assertThat(count(s, schema)).isEqualTo(1);
          assertThatThrownBy(() -> count(s, lookalike)).as("the pattern grant is revoked")
              .isInstanceOf(SQLException.class).hasMessageContaining("denied");
        }
        assertThat(store.plan()).extracting(Change::action).containsOnly(Action.NONE);
      }
      store.destroy(DataPolicy.PURGE);
      assertThat(roleExists(role)).isFalse();
    } finally {
      logins.forEach(this::dropLogin);
      dropRoleBehindBack(role);
    }
  }

  private static long count(Statement s, String schema) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".events")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Change roleChange(List<Change> changes, String role) {
    List<Change> about = changes.stream().filter(c -> c.resource().equals("role " + role))
        .toList();
    assertThat(about).as("the changes of role %s in %s", role, changes).hasSize(1);
    return about.get(0);
  }
}
