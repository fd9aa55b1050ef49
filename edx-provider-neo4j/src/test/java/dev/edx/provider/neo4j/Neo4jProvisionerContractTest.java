package dev.edx.provider.neo4j;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.DataStoreProvisionerContract;
import dev.edx.testkit.EdxCapability;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The provisioner contract against the {@code neo4j} data store's constraints, on a real Neo4j
 * 5.26 in the test JVM. Each declared constraint is {@code {name: N, label: N, property: id,
 * type: unique}}; its data is the nodes of label N. The database is reached behind edx's back
 * through Neo4j's embedded API. The ownership record is written before the constraint is made
 * (Neo4j does not mix schema and data changes in one transaction): an apply stopped in between
 * leaves a record without its constraint, which the next apply completes.
 */
@ExtendWith(Neo4jServer.Extension.class)
class Neo4jProvisionerContractTest extends DataStoreProvisionerContract<Neo4jServer> {
  Neo4jProvisionerContractTest(Neo4jServer server) {
    super(new Neo4jDataStoreProvider(), "graph", "constraints", server);
  }

  @Override
  protected void connectionSettings(ServiceSpec.Builder section) {
    section.set("uri", server().boltUri());
  }

  @Override
  protected Object specValue(Declared declared) {
    return declared.specValue(Map.of("name", declared.name(), "label", declared.name(),
        "property", "id", "type", "unique"));
  }

  @Override
  protected char separator() {
    return '_';
  }

  @Override
  protected boolean supports(EdxCapability capability) {
    return switch (capability) {
      case PROVISION_MULTI_STEP_CREATE -> true;
      default -> super.supports(capability);
    };
  }

  @Override
  protected void interruptCreate(String environment, String name) {
    // The ownership record written, the apply stopped before the constraint was made.
    server().execute("MERGE (m:EdxOwnership {constraint: $c}) SET m.environment = $e,"
        + " m.definition = $d", Map.of("c", name, "e", environment,
            "d", "unique (:" + name + " {id})"));
  }

  @Override
  protected Duration consistencyTimeout() {
    return Duration.ZERO;
  }

  @Override
  protected void createUnowned(String name) {
    server().execute("CREATE CONSTRAINT " + name + " FOR (n:" + name + ") REQUIRE n.id IS UNIQUE");
  }

  @Override
  protected void putData(String name) {
    server().execute("CREATE (:" + name + " {id: 1})");
  }

  @Override
  protected boolean holdsData(String name) {
    return ((Number) server().column("MATCH (n:" + name + ") RETURN count(n)", Map.of()).get(0))
        .longValue() > 0;
  }

  @Override
  protected void deleteBehindBack(String name) {
    server().execute("DROP CONSTRAINT " + name + " IF EXISTS");
    server().execute("MATCH (n:" + name + ") DELETE n");
  }

  @Override
  protected boolean exists(String name) {
    return !server().column("SHOW CONSTRAINTS YIELD name WHERE name = $n RETURN name",
        Map.of("n", name)).isEmpty();
  }

  @Override
  protected Optional<String> owner(String name) {
    Optional<Map<String, Object>> mark = server().row("MATCH (m:EdxOwnership {constraint: $n})"
        + " RETURN m.environment AS e, m.constraintId AS i", Map.of("n", name));
    if (mark.isEmpty()) {
      return Optional.empty();
    }
    List<Object> ids = server().column("SHOW CONSTRAINTS YIELD id, name WHERE name = $n"
        + " RETURN id", Map.of("n", name));
    Object recorded = mark.get().get("i");
    if (!ids.isEmpty() && recorded != null
        && ((Number) recorded).longValue() != ((Number) ids.get(0)).longValue()) {
      return Optional.empty(); // made again behind edx's back: not the one edx made
    }
    return Optional.of((String) mark.get().get("e"));
  }
}
