package dev.edx.provider.neo4j;

import static java.util.Objects.requireNonNull;

import dev.edx.api.DataStore;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.toolkit.NamePrefix;
import dev.edx.toolkit.OwnedResourceProvisioner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Record;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Value;
import org.neo4j.driver.Values;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.summary.ServerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Neo4j data store: a Neo4j Java driver, opened on first use, and the provisioner of its
 * declared constraints.
 *
 * <p>Ownership: a constraint carries nothing but its name and definition, so ownership is
 * recorded in the database, one node per constraint labelled {@code ownershipLabel} ({@code
 * EdxOwnership} by default) holding the constraint's name, the environment, the definition edx
 * made and the constraint's id. A constraint is an environment's only while its definition (and
 * its id, once recorded) is the recorded one: a constraint dropped and made again behind edx's
 * back is not edx's. Neo4j does not mix schema and data changes in one transaction, so the mark
 * is written first, then the constraint is made, then its id is recorded: an apply stopped in
 * between leaves a marked constraint the next apply completes.
 *
 * <p>Its {@code toString} and messages never hold the password. Thread safe; {@link #close()} is
 * idempotent.
 */
public final class Neo4jStore extends OwnedResourceProvisioner
    implements DataStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Neo4jStore.class);

  private final String name;
  private final ConnectionSettings settings;
  private final Map<String, Neo4jConstraints.Constraint> constraints;
  private final String ownershipLabel;
  private final NamePrefix prefix;
  private final AtomicBoolean closed = new AtomicBoolean();
  private Driver driver;

  /** What a driver is opened with; the password stays out of {@link #toString()}. */
  record ConnectionSettings(String uri, Optional<String> user, Optional<String> password,
      Optional<String> database, Duration connectTimeout) {
    ConnectionSettings {
      requireNonNull(uri, "uri is null");
      requireNonNull(user, "user is null");
      requireNonNull(password, "password is null");
      requireNonNull(database, "database is null");
      requireNonNull(connectTimeout, "connectTimeout is null");
    }

    @Override
    public String toString() {
      return "ConnectionSettings[uri=" + uri + ", user=" + user.orElse("<no authentication>")
          + ", password=" + (password.isPresent() ? "****" : "<none>") + ", database="
          + database.orElse("<server default>") + "]";
    }
  }

  /** A constraint as the server shows it; {@code constraint} null for kinds edx does not make. */
  private record Shown(long id, Neo4jConstraints.Constraint constraint) {
    String definition() {
      return constraint == null ? "" : constraint.definition();
    }
  }

  /** One ownership record: the environment, the definition it made, the id once known. */
  private record Mark(String environment, String definition, Long constraintId) {}

  Neo4jStore(String service, String name, String environment, ConnectionSettings settings,
      List<Neo4jConstraints.Constraint> constraints, String ownershipLabel, NamePrefix prefix) {
    super(service, "constraint", environment,
        constraints.stream().map(Neo4jConstraints.Constraint::declared).toList());
    this.name = requireNonNull(name, "name is null");
    this.settings = requireNonNull(settings, "settings is null");
    Map<String, Neo4jConstraints.Constraint> byName = new LinkedHashMap<>();
    constraints.forEach(c -> byName.put(c.name(), c));
    this.constraints = byName;
    this.ownershipLabel = requireNonNull(ownershipLabel, "ownershipLabel is null");
    this.prefix = requireNonNull(prefix, "prefix is null");
  }

  /**
   * The physical name of the label code calls {@code logical}: {@code pr42_Repo} for {@code Repo}
   * in an environment with {@code metadata.namePrefix: pr42} (the {@link NamePrefix#identifier
   * identifier} rule), {@code logical} itself in one without. Code writes its labels through it
   * (quoted with backticks in Cypher), so environments sharing a database see only their own
   * nodes; the declared constraints are on these labels. The ownership label is shared by all
   * environments and keeps its name.
   */
  public String label(String logical) {
    return prefix.identifier(logical);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String provider() {
    return Neo4jDataStoreProvider.NAME;
  }

  /** The database sessions use; empty for the server's default database. */
  public Optional<String> database() {
    return settings.database();
  }

  /**
   * The driver, opened on first use (opening connects nothing) and closed with the store. Its
   * sessions use the server's default database unless told otherwise: {@link #session()} uses
   * the declared one.
   */
  public synchronized Driver driver() {
    if (closed.get()) {
      throw new IllegalStateException("Cannot use data store '" + name + "': it is closed");
    }
    if (driver == null) {
      Config config = Config.builder()
          .withConnectionTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .withConnectionAcquisitionTimeout(settings.connectTimeout().toMillis(),
              TimeUnit.MILLISECONDS)
          .withLogging(Logging.slf4j())
          .withUserAgent("edx")
          .build();
      try {
        driver = GraphDatabase.driver(settings.uri(), settings.user().isPresent()
            ? AuthTokens.basic(settings.user().get(), settings.password().orElseThrow())
            : AuthTokens.none(), config);
      } catch (RuntimeException e) {
        throw new ProviderException("Cannot open data store '" + name + "' (" + settings.uri()
            + "): " + e.getMessage(), e);
      }
      LOG.info("Data store '{}': Neo4j driver for {}", name, settings.uri());
    }
    return driver;
  }

  /**
   * {@inheritDoc} Runs {@code RETURN 1} in a session on the declared database (which also checks
   * the credentials and that the database exists) and names the server's agent and address.
   */
  @Override
  public Optional<String> check() {
    long start = System.nanoTime();
    try (Session session = session()) {
      Result result = session.run("RETURN 1 AS one");
      long one = result.single().get("one").asLong();
      ServerInfo server = result.consume().server();
      if (one != 1) {
        throw new ProviderException("Cannot check data store '" + name + "' ("
            + settings.uri() + "): RETURN 1 answered " + one);
      }
      return Optional.of("neo4j: " + server.agent() + " at " + server.address() + ", database "
          + settings.database().orElse("(default)") + ", RETURN 1 in "
          + (System.nanoTime() - start) / 1_000_000 + " ms");
    } catch (Neo4jException e) {
      throw new ProviderException("Cannot reach data store '" + name + "' (" + settings.uri()
          + "): " + e.getMessage(), e);
    }
  }

  /** A new session on the declared database (the server's default when none); close it. */
  public Session session() {
    return driver().session(sessionConfig());
  }

  private SessionConfig sessionConfig() {
    return settings.database().map(SessionConfig::forDatabase)
        .orElseGet(SessionConfig::defaultConfig);
  }

  // ------------------------------------------------------------------------------ provisioning

  @Override
  protected boolean exists(String constraint) {
    return shown().containsKey(constraint);
  }

  @Override
  protected Optional<String> owner(String constraint) {
    return owner(constraint, shown(), marks());
  }

  private static Optional<String> owner(String constraint, Map<String, Shown> shown,
      Map<String, Mark> marks) {
    Shown s = shown.get(constraint);
    Mark mark = marks.get(constraint);
    if (s == null || mark == null || !mark.definition().equals(s.definition())) {
      return Optional.empty();
    }
    if (mark.constraintId() != null && mark.constraintId() != s.id()) {
      return Optional.empty();
    }
    return Optional.of(mark.environment());
  }

  @Override
  protected Set<String> ownedByThisEnvironment() {
    Map<String, Shown> shown = shown();
    Map<String, Mark> marks = marks();
    Set<String> owned = new TreeSet<>();
    for (String constraint : marks.keySet()) {
      if (owner(constraint, shown, marks).filter(environment()::equals).isPresent()) {
        owned.add(constraint);
      }
    }
    return owned;
  }

  @Override
  protected void create(String constraint) {
    Neo4jConstraints.Constraint declared = constraints.get(constraint);
    mark(constraint, new Mark(environment(), declared.definition(), null));
    try {
      schema("create constraint " + constraint, declared.createStatement());
    } catch (ProviderException e) {
      unmark(constraint); // nothing was made: no mark left behind
      throw e;
    }
    Shown made = shown().get(constraint);
    if (made != null) {
      mark(constraint, new Mark(environment(), declared.definition(), made.id()));
    }
  }

  @Override
  protected void adopt(String constraint) {
    Shown s = shown().get(constraint);
    if (s == null) {
      throw new ProviderException("Cannot adopt constraint " + constraint + " of data store '"
          + name + "': it does not exist");
    }
    mark(constraint, new Mark(environment(), s.definition(), s.id()));
  }

  @Override
  protected Optional<String> drift(String constraint) {
    Neo4jConstraints.Constraint declared = constraints.get(constraint);
    Shown s = shown().get(constraint);
    if (declared == null || s == null || declared.definition().equals(s.definition())) {
      return Optional.empty();
    }
    String actual = s.constraint() == null ? "a constraint of another kind" : s.definition();
    return Optional.of("update: " + actual + " -> " + declared.definition()
        + " (dropped and made again)");
  }

  @Override
  protected void update(String constraint) {
    schema("drop constraint " + constraint, Neo4jConstraints.dropStatement(constraint));
    create(constraint);
  }

  @Override
  protected long dataCount(String constraint) {
    Shown s = shown().get(constraint);
    if (s == null || s.constraint() == null) {
      return 0;
    }
    Neo4jConstraints.Constraint c = s.constraint();
    String where = String.join(" OR ", c.properties().stream()
        .map(p -> "n." + Neo4jConstraints.quote(p) + " IS NOT NULL").toList());
    return read("count the nodes of constraint " + constraint, "MATCH (n:"
        + Neo4jConstraints.quote(c.label()) + ") WHERE " + where + " RETURN count(n) AS n",
        Map.of(), records -> records.get(0).get("n").asLong());
  }

  @Override
  protected void delete(String constraint) {
    schema("drop constraint " + constraint, Neo4jConstraints.dropStatement(constraint));
    unmark(constraint);
  }

  @Override
  protected String dataUnit() {
    return "node(s) it constrains";
  }

  @Override
  protected String describeCreate(String constraint) {
    return constraints.get(constraint).definition();
  }

  /** Every constraint of the database, by name. */
  private Map<String, Shown> shown() {
    return read("list the constraints", "SHOW CONSTRAINTS YIELD id, name, type, entityType,"
        + " labelsOrTypes, properties", Map.of(), records -> {
          Map<String, Shown> result = new HashMap<>();
          for (Record r : records) {
            String constraint = r.get("name").asString();
            Neo4jConstraints.Type type = Neo4jConstraints.Type.ofShown(r.get("type").asString());
            List<String> labels = r.get("labelsOrTypes").asList(Value::asString);
            Neo4jConstraints.Constraint c = type == null
                || !"NODE".equals(r.get("entityType").asString()) || labels.size() != 1 ? null
                : new Neo4jConstraints.Constraint(constraint, false, labels.get(0),
                    r.get("properties").asList(Value::asString), type);
            result.put(constraint, new Shown(r.get("id").asLong(), c));
          }
          return result;
        });
  }

  /** The ownership records, by constraint name. */
  private Map<String, Mark> marks() {
    return read("read the ownership records", "MATCH (m:" + Neo4jConstraints.quote(ownershipLabel)
        + ") RETURN m.constraint AS c, m.environment AS e, m.definition AS d,"
        + " m.constraintId AS i", Map.of(), records -> {
          Map<String, Mark> result = new HashMap<>();
          for (Record r : records) {
            if (r.get("c").isNull() || r.get("e").isNull() || r.get("d").isNull()) {
              continue;
            }
            result.put(r.get("c").asString(), new Mark(r.get("e").asString(),
                r.get("d").asString(), r.get("i").isNull() ? null : r.get("i").asLong()));
          }
          return result;
        });
  }

  private void mark(String constraint, Mark mark) {
    write("record the owner of constraint " + constraint, "MERGE (m:"
        + Neo4jConstraints.quote(ownershipLabel) + " {constraint: $c}) SET m.environment = $e,"
        + " m.definition = $d, m.constraintId = $i", Map.of("c", constraint,
            "e", mark.environment(), "d", mark.definition(),
            "i", mark.constraintId() == null ? Values.NULL : Values.value(mark.constraintId())));
  }

  private void unmark(String constraint) {
    write("remove the owner record of constraint " + constraint, "MATCH (m:"
        + Neo4jConstraints.quote(ownershipLabel) + " {constraint: $c}) DELETE m",
        Map.of("c", constraint));
  }

  private <T> T read(String what, String query, Map<String, Object> parameters,
      Function<List<Record>, T> result) {
    // Auto-commit, not a managed transaction: a store that is down fails at once, without the
    // driver's retries (which code using driver() keeps).
    try (Session session = session()) {
      return result.apply(session.run(query, parameters).list());
    } catch (Neo4jException e) {
      throw failure(what, e);
    }
  }

  private void write(String what, String query, Map<String, Object> parameters) {
    try (Session session = session()) {
      session.run(query, parameters).consume();
    } catch (Neo4jException e) {
      throw failure(what, e);
    }
  }

  /** A schema statement, in a transaction of its own (Neo4j does not mix it with data). */
  private void schema(String what, String statement) {
    LOG.debug("Data store '{}': {}", name, statement);
    try (Session session = session()) {
      session.run(statement).consume();
    } catch (Neo4jException e) {
      throw failure(what, e);
    }
  }

  private ProviderException failure(String what, Neo4jException e) {
    List<String> parts = new ArrayList<>();
    parts.add(e.getMessage());
    if (e.code() != null && !e.code().isEmpty() && !"N/A".equals(e.code())) {
      parts.add("(" + e.code() + ")");
    }
    return new ProviderException("Cannot " + what + " in data store '" + name + "' ("
        + settings.uri() + "): " + String.join(" ", parts), e);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (this) {
      if (driver != null) {
        driver.close();
      }
    }
  }

  @Override
  public String toString() {
    return "Neo4jStore{name=" + name + ", " + settings + "}";
  }
}
