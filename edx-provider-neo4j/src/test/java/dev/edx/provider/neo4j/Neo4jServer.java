package dev.edx.provider.neo4j;

import dev.edx.testkit.RunSharedResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * One real Neo4j 5.26 (Community Edition, from {@code neo4j-harness}) in the test JVM, Bolt on a
 * free loopback port, HTTP off, authentication off; shared by every test class of the run that
 * asks for it as a parameter and closed when the run ends (it is kept in the root context's
 * store). Also reaches the database behind edx's back, through Neo4j's embedded API.
 */
final class Neo4jServer implements AutoCloseable {
  private final Neo4j neo4j;

  private Neo4jServer(Neo4j neo4j) {
    this.neo4j = neo4j;
  }

  static Neo4jServer start() throws Exception {
    Path dir = Files.createTempDirectory("edx-neo4j");
    return new Neo4jServer(Neo4jBuilders.newInProcessBuilder(dir).withDisabledServer()
        // Bolt's Netty waits a quiet period of 5 s on shutdown by default: none is needed here.
        .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
        .build());
  }

  String boltUri() {
    return neo4j.boltURI().toString();
  }

  GraphDatabaseService database() {
    return neo4j.defaultDatabaseService();
  }

  /** Runs a statement in a transaction of its own. */
  void execute(String statement, Map<String, Object> parameters) {
    database().executeTransactionally(statement, parameters);
  }

  void execute(String statement) {
    execute(statement, Map.of());
  }

  /** The first column of the rows a query returns. */
  List<Object> column(String query, Map<String, Object> parameters) {
    return database().executeTransactionally(query, parameters, result -> result.stream()
        .map(row -> row.values().iterator().next()).toList());
  }

  /** The first row of a query's result, as a map; empty when it returns none. */
  Optional<Map<String, Object>> row(String query, Map<String, Object> parameters) {
    return database().executeTransactionally(query, parameters, result -> result.hasNext()
        ? Optional.of(new java.util.HashMap<>(result.next())) : Optional.empty());
  }

  @Override
  public void close() {
    neo4j.close();
  }

  /** Injects the run's server into test constructors, test methods and {@code @BeforeAll}. */
  static final class Extension extends RunSharedResolver<Neo4jServer> {
    Extension() {
      super(Neo4jServer.class, Neo4jServer::start);
    }
  }
}
