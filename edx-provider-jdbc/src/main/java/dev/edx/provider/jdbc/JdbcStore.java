package dev.edx.provider.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.edx.api.RelationalStore;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.NamePrefix;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relational data store: a connection pool, opened on first use, and the provisioner of its
 * declared schemas, under their physical names ({@link #schema}), and of its declared roles.
 * Ownership is the schema's comment, and each role's
 * mark ({@link SqlDialect}). Its {@code toString}
 * and messages never hold the password. Thread safe; {@link #close()} is idempotent.
 */
public final class JdbcStore extends ListedProvisioner
    implements RelationalStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

  private final String name;
  private final SqlDialect dialect;
  private final ConnectionSettings settings;
  private final SchemaOptions options;
  private final NamePrefix prefix;
  private final Roles roles;
  private final AtomicBoolean closed = new AtomicBoolean();
  private HikariDataSource pool;
  private DataSource decorated;
  private DataSource substitute;
  private UnaryOperator<DataSource> decorator = UnaryOperator.identity();

  /** What a pool is opened with; the password stays out of {@link #toString()}. */
  record ConnectionSettings(String url, Optional<String> user, Optional<String> password,
      int poolSize, Duration connectTimeout) {
    ConnectionSettings {
      requireNonNull(url, "url is null");
      requireNonNull(user, "user is null");
      requireNonNull(password, "password is null");
      requireNonNull(connectTimeout, "connectTimeout is null");
    }

    @Override
    public String toString() {
      return "ConnectionSettings[url=" + url + ", user=" + user.orElse("<driver default>")
          + ", password=" + (password.isPresent() ? "****" : "<none>") + "]";
    }
  }

  JdbcStore(String service, String name, String environment, SqlDialect dialect,
      ConnectionSettings settings, List<DeclaredResource> schemas, SchemaOptions options,
      NamePrefix prefix) {
    this(service, name, environment, dialect, settings, schemas, options, prefix, List.of());
  }

  JdbcStore(String service, String name, String environment, SqlDialect dialect,
      ConnectionSettings settings, List<DeclaredResource> schemas, SchemaOptions options,
      NamePrefix prefix, List<Role> roles) {
    super(service, "schema", environment, schemas);
    this.roles = new Roles(service, environment, roles);
    this.prefix = requireNonNull(prefix, "prefix is null");
    this.name = requireNonNull(name, "name is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.options = requireNonNull(options, "options is null");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String provider() {
    return JdbcDataStoreProvider.NAME;
  }

  @Override
  public String dialect() {
    return dialect.key();
  }

  /** What schemas are created with (Teradata's space). */
  SchemaOptions options() {
    return options;
  }

  /** {@inheritDoc} The {@link NamePrefix#identifier identifier} rule. */
  @Override
  public String schema(String logical) {
    return prefix.identifier(logical);
  }

  @Override
  public synchronized DataSource dataSource() {
    if (closed.get()) {
      throw new IllegalStateException("Cannot use data store '" + name + "': it is closed");
    }
    if (substitute != null) {
      return substitute;
    }
    if (pool == null) {
      try {
        dialect.requireDriver(Thread.currentThread().getContextClassLoader() != null
            ? Thread.currentThread().getContextClassLoader() : JdbcStore.class.getClassLoader());
      } catch (IllegalStateException e) {
        throw new ProviderException("Cannot connect to data store '" + name + "' ("
            + dialect.key() + "): " + e.getMessage(), e);
      }
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(settings.url());
      settings.user().ifPresent(config::setUsername);
      settings.password().ifPresent(config::setPassword);
      config.setMaximumPoolSize(settings.poolSize());
      config.setMinimumIdle(Math.min(1, settings.poolSize()));
      config.setConnectionTimeout(settings.connectTimeout().toMillis());
      config.setPoolName("edx-datastore-" + name);
      try {
        pool = new HikariDataSource(config);
      } catch (RuntimeException e) {
        throw new ProviderException("Cannot connect to data store '" + name + "' (" + dialect.key()
            + ", " + settings.url() + "): " + e.getMessage(), e);
      }
      LOG.info("Data store '{}': {} pool of {} connection(s) open", name, dialect.key(),
          settings.poolSize());
      decorated = decorator.apply(pool);
    }
    return decorated;
  }

  /**
   * For tests of dialects whose server does not run in the build: {@link #dataSource()} answers
   * {@code dataSource} (a double of the server's catalogue) and no pool is opened.
   */
  synchronized JdbcStore substitute(DataSource dataSource) {
    if (pool != null) {
      throw new IllegalStateException("the pool of data store '" + name + "' is open already");
    }
    this.substitute = requireNonNull(dataSource, "dataSource is null");
    return this;
  }

  /**
   * For tests: what {@link #dataSource()} answers is {@code decorator} applied to the pool (to
   * count the statements a call runs, say). Before the pool opens only.
   */
  synchronized JdbcStore decorate(UnaryOperator<DataSource> decorator) {
    if (pool != null) {
      throw new IllegalStateException("the pool of data store '" + name + "' is open already");
    }
    this.decorator = requireNonNull(decorator, "decorator is null");
    return this;
  }

  /**
   * {@inheritDoc} Takes a connection from the pool (opening it within {@code connectTimeout}) and
   * runs {@code SELECT 1} ({@code SELECT 1 FROM DUAL} in Oracle).
   */
  @Override
  public Optional<String> check() {
    long start = System.nanoTime();
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(dialect.ping())) {
      if (!rs.next() || rs.getInt(1) != 1) {
        throw new ProviderException("Cannot check data store '" + name + "' (" + dialect.key()
            + ", " + settings.url() + "): " + dialect.ping() + " did not answer 1");
      }
      DatabaseMetaData md = c.getMetaData();
      return Optional.of(dialect.key() + ": " + md.getDatabaseProductName() + " "
          + md.getDatabaseProductVersion() + " at " + settings.url() + " as "
          + md.getUserName() + ", SELECT 1 in " + (System.nanoTime() - start) / 1_000_000
          + " ms");
    } catch (SQLException e) {
      throw failure("check", e);
    }
  }

  /** The schemas that exist, with their comments (null when none). */
  @Override
  Map<String, String> list() {
    Map<String, String> result = new LinkedHashMap<>();
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(dialect.listSchemas())) {
      while (rs.next()) {
        result.put(rs.getString(1), rs.getString(2));
      }
    } catch (SQLException e) {
      throw failure("list the schemas of", e);
    }
    return result;
  }

  @Override
  protected void create(String schema) {
    run("create schema " + schema + " in", dialect.createSchema(schema,
        SqlDialect.marker(environment()), options));
  }

  @Override
  protected void adopt(String schema) {
    run("adopt schema " + schema + " of", List.of(dialect.markSchema(schema,
        SqlDialect.marker(environment()))));
  }

  @Override
  protected long dataCount(String schema) {
    try (Connection c = dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(dialect.countRelations())) {
      s.setString(1, schema);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw failure("count the tables of schema " + schema + " in", e);
    }
  }

  @Override
  protected void delete(String schema) {
    run("drop schema " + schema + " of", dialect.dropSchema(schema));
  }

  @Override
  protected String dataUnit() {
    return "table(s) or view(s)";
  }

  @Override
  protected String describeCreate(String schema) {
    return "in " + dialect.key() + " data store '" + name + "'";
  }

  /** {@inheritDoc} Schemas, then roles (which are granted access to them). */
  @Override
  public List<Change> plan() {
    return concat(super.plan(), roles.plan());
  }

  /** {@inheritDoc} Schemas, then roles (which are granted access to them). */
  @Override
  public List<Change> apply() {
    List<Change> schemas = super.apply();
    return concat(schemas, roles.apply());
  }

  /** {@inheritDoc} Roles (which hold no data, so the policy does not keep them), then schemas. */
  @Override
  public List<Change> destroy(DataPolicy policy) {
    List<Change> dropped = roles.destroy(policy);
    return concat(dropped, super.destroy(policy));
  }

  @Override
  public List<Change> planDestroy(DataPolicy policy) {
    return concat(roles.planDestroy(policy), super.planDestroy(policy));
  }

  private static List<Change> concat(List<Change> first, List<Change> second) {
    List<Change> all = new ArrayList<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }

  /**
   * The declared roles: {@code NOLOGIN} roles marked as schemas are ({@link SqlDialect}), granted
   * their access when created or adopted. An owned role's grants (the privileges access levels
   * are made of, on any schema) are read from the server where the dialect allows ({@link
   * SqlDialect#listGrants}): what differs from the spec plans as UPDATE, and apply grants what is
   * missing and revokes what is not declared. A role holds no data.
   */
  private final class Roles extends ListedProvisioner {
    private final Map<String, Role> declared = new LinkedHashMap<>();

    Roles(String service, String environment, List<Role> roles) {
      super(service, "role", environment, roles.stream()
          .map(r -> new DeclaredResource(r.name(), r.adopt())).toList());
      roles.forEach(r -> declared.put(r.name(), r));
    }

    /** The roles that exist, with their ownership text (null when none). */
    @Override
    Map<String, String> list() {
      Map<String, String> result = new LinkedHashMap<>();
      try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
        Map<String, String> marks = new LinkedHashMap<>();
        if (dialect.roleMarksPresent().isPresent()) {
          long tables;
          try (ResultSet rs = s.executeQuery(dialect.roleMarksPresent().get())) {
            rs.next();
            tables = rs.getLong(1);
          }
          if (tables == 0 && declared.isEmpty()) {
            // no role declared and none ever marked: nothing to read (nor the privilege to)
            return result;
          }
          if (tables > 0 && dialect.roleMarks().isPresent()) {
            try (ResultSet rs = s.executeQuery(dialect.roleMarks().orElseThrow())) {
              while (rs.next()) {
                marks.put(rs.getString(1), rs.getString(2));
              }
            }
          }
        }
        for (String sql : dialect.beforeListRoles()) {
          s.execute(sql);
        }
        try (ResultSet rs = s.executeQuery(dialect.listRoles())) {
          while (rs.next()) {
            String role = rs.getString(1);
            result.put(role, marks.containsKey(role) ? marks.get(role) : rs.getString(2));
          }
        }
      } catch (SQLException e) {
        throw failure("list the roles of", e);
      }
      return result;
    }

    @Override
    protected void create(String role) {
      run("create role " + role + " in", dialect.createRole(declared.get(role),
          SqlDialect.marker(environment())));
    }

    @Override
    protected void adopt(String role) {
      run("adopt role " + role + " of", dialect.adoptRole(declared.get(role),
          SqlDialect.marker(environment())));
    }

    @Override
    protected long dataCount(String role) {
      return 0;
    }

    /**
     * The privileges each declared role holds, by role, then schema, then privilege (true when
     * held completely); empty where the dialect's grants are not read.
     */
    private Optional<Map<String, Map<String, Map<String, Boolean>>>> grantsNow() {
      Optional<String> query = dialect.listGrants(declared.keySet());
      if (query.isEmpty()) {
        return Optional.empty();
      }
      Map<String, Map<String, Map<String, Boolean>>> result = new LinkedHashMap<>();
      try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(query.get())) {
        while (rs.next()) {
          result.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
              .computeIfAbsent(rs.getString(2), k -> new LinkedHashMap<>())
              .merge(rs.getString(3), "Y".equals(rs.getString(4)), Boolean::logicalOr);
        }
      } catch (SQLException e) {
        throw failure("read the grants of the roles of", e);
      }
      return Optional.of(result);
    }

    /** What apply grants and revokes for a role to hold what the spec declares, by schema. */
    private GrantChange grantChange(String role) {
      Optional<Map<String, Map<String, Map<String, Boolean>>>> all =
          once("grants", this::grantsNow);
      if (all.isEmpty()) {
        return GrantChange.NONE;
      }
      Map<String, Map<String, Boolean>> now = all.get().getOrDefault(role, Map.of());
      Role r = declared.get(role);
      List<String> order = dialect.privileges(Role.Access.WRITE);
      Map<String, List<String>> grant = new TreeMap<>();
      Map<String, List<String>> revoke = new TreeMap<>();
      List<String> targets = r.schemas().stream().map(dialect::grantTarget).toList();
      for (String schema : r.schemas()) {
        Map<String, Boolean> held = now.getOrDefault(dialect.grantTarget(schema), Map.of());
        List<String> missing = dialect.privileges(r.access()).stream()
            .filter(p -> !held.getOrDefault(p, false)).toList();
        if (!missing.isEmpty()) {
          grant.put(schema, missing);
        }
      }
      for (Map.Entry<String, Map<String, Boolean>> e : now.entrySet()) {
        List<String> wanted = targets.contains(e.getKey())
            ? dialect.privileges(r.access()) : List.of();
        List<String> extra = order.stream()
            .filter(p -> e.getValue().containsKey(p) && !wanted.contains(p)).toList();
        if (!extra.isEmpty()) {
          revoke.put(e.getKey(), extra);
        }
      }
      return new GrantChange(grant, revoke);
    }

    @Override
    protected Optional<String> drift(String role) {
      GrantChange change = grantChange(role);
      if (change.isEmpty()) {
        return Optional.empty();
      }
      List<String> parts = new ArrayList<>();
      change.grant().forEach((schema, p) -> parts.add("grant " + String.join(", ", p) + " on "
          + schema));
      change.revoke().forEach((target, p) -> parts.add("revoke " + String.join(", ", p) + " on "
          + dialect.describeTarget(target)));
      Role r = declared.get(role);
      return Optional.of("grants differ from the spec (" + r.access().name()
          .toLowerCase(Locale.ROOT) + " on " + String.join(", ", r.schemas()) + "): "
          + String.join("; ", parts));
    }

    @Override
    protected void update(String role) {
      GrantChange change = grantChange(role);
      List<String> sql = new ArrayList<>();
      change.grant().forEach((schema, p) -> sql.addAll(dialect.grant(role, schema, p)));
      change.revoke().forEach((target, p) -> sql.addAll(dialect.revokeTarget(role, target, p)));
      if (!sql.isEmpty()) {
        run("change the grants of role " + role + " in", sql);
      }
    }

    @Override
    protected void delete(String role) {
      run("drop role " + role + " of", dialect.dropRole(role));
    }

    @Override
    protected String describeCreate(String role) {
      Role r = declared.get(role);
      return "in " + dialect.key() + " data store '" + name + "': NOLOGIN, "
          + r.access().name().toLowerCase(Locale.ROOT) + " access to schema(s) "
          + String.join(", ", r.schemas());
    }
  }

  /**
   * What a role's grants need: privileges to grant, by schema, and to revoke, by grant target as
   * read ({@link SqlDialect#grantTarget}).
   */
  private record GrantChange(Map<String, List<String>> grant, Map<String, List<String>> revoke) {
    static final GrantChange NONE = new GrantChange(Map.of(), Map.of());

    boolean isEmpty() {
      return grant.isEmpty() && revoke.isEmpty();
    }
  }

  /**
   * Runs statements in one transaction where the dialect's DDL is transactional (atomic), else
   * each on its own, in order.
   */
  private void run(String what, List<String> statements) {
    if (!dialect.transactionalDdl()) {
      try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
        c.setAutoCommit(true);
        for (String sql : statements) {
          LOG.debug("Data store '{}': {}", name, sql);
          s.execute(sql);
        }
      } catch (SQLException e) {
        throw failure(what, e);
      }
      return;
    }
    try (Connection c = dataSource().getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (String sql : statements) {
          LOG.debug("Data store '{}': {}", name, sql);
          s.execute(sql);
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private ProviderException failure(String what, SQLException e) {
    return new ProviderException("Cannot " + what + " data store '" + name + "' ("
        + dialect.key() + "): " + e.getMessage(), e);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (this) {
      if (pool != null) {
        pool.close();
      }
    }
  }

  @Override
  public String toString() {
    return "JdbcStore{name=" + name + ", dialect=" + dialect.key() + ", " + settings + "}";
  }
}
