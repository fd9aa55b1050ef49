package dev.edx.provider.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.edx.api.DataStore;
import dev.edx.api.Environment;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import dev.edx.core.EnvironmentLoader;
import dev.edx.core.EnvironmentSpec;
import dev.edx.testkit.DataStoreSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.ClientException;

/**
 * The {@code neo4j} data store through an environment, on the run's in-JVM Neo4j 5.26: a spec
 * declares it with its password from a secret, code gets a {@link Neo4jStore} whose driver
 * reads and writes the graph, apply makes the declared constraints (which the server then
 * enforces) and remakes one whose declaration changed; bad settings fail naming the key, and the
 * password is never shown. The server runs without authentication, so the password is checked
 * as what the driver is given, not against the server.
 */
@ExtendWith(Neo4jServer.Extension.class)
class Neo4jDataStoreTest {
  private static final String PASSWORD = "s3cr3t-neo4j";
  private static Neo4jServer server;
  private final EnvironmentLoader loader = EnvironmentLoader.builder()
      .setEnvironmentVariables(Map.of("EDX_SECRET_NEO4J__PASSWORD", PASSWORD)).build();

  @BeforeAll
  static void open(Neo4jServer shared) {
    server = shared;
  }

  /** The {@code graph} store at {@code uri}, {@code settings} (YAML) added. */
  private static DataStoreSpec.Builder graph(String uri, String settings) {
    return DataStoreSpec.builder("graph", "neo4j").set("uri", uri).set("user", "neo4j")
        .set("password", "${secret:neo4j/password}").addYaml(settings);
  }

  private static EnvironmentSpec spec(String settings) {
    return spec(server.boltUri(), settings);
  }

  private static EnvironmentSpec spec(String uri, String settings) {
    return graph(uri, settings).build();
  }

  private static List<Object> constraint(String name) {
    return server.column("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties"
        + " WHERE name = $n RETURN [type, labelsOrTypes[0], properties]", Map.of("n", name));
  }

  @Test
  void applyMakesTheConstraintsTheServerEnforcesAndCodeGetsADriver() {
    EnvironmentSpec v1 = spec("constraints:\n  - {label: Repo, property: id, type: unique}\n"
        + "  - {name: actor_login, label: Actor, properties: [login]}");
    assertThat(loader.plan(v1)).extracting(Change::service, Change::resource, Change::action,
        Change::detail).containsExactly(
            tuple("datastores.graph", "constraint repo_id_unique", Action.CREATE,
                "unique (:Repo {id})"),
            tuple("datastores.graph", "constraint actor_login", Action.CREATE,
                "unique (:Actor {login})"));
    loader.apply(v1);
    assertThat(constraint("repo_id_unique")).hasSize(1);
    assertThat(loader.plan(v1)).extracting(Change::action).containsOnly(Action.NONE);

    try (Environment env = loader.open(v1)) {
      Neo4jStore store = env.datastore("graph", Neo4jStore.class);
      assertThat(env.datastore("graph", DataStore.class).provider()).isEqualTo("neo4j");
      assertThat(store.toString()).contains("password=****").doesNotContain(PASSWORD);
      assertThat(env.datastore("graph", DataStore.class).check()).hasValueSatisfying(line ->
          assertThat(line).startsWith("neo4j: Neo4j/").contains("RETURN 1 in")
              .doesNotContain(PASSWORD));
      try (Session session = store.session()) {
        session.run("CREATE (:Repo {id: 1, name: 'edx'})").consume();
        assertThat(session.run("MATCH (r:Repo {id: 1}) RETURN r.name AS name").single()
            .get("name").asString()).isEqualTo("edx");
        assertThatThrownBy(() -> session.run("CREATE (:Repo {id: 1})").consume())
            .as("the constraint edx made is enforced").isInstanceOf(ClientException.class)
            .hasMessageContaining("already exists");
      }
    }
    assertThat(loader.render(v1)).doesNotContain(PASSWORD);

    // A changed declaration: the constraint is dropped and made again (constraints cannot change).
    EnvironmentSpec v2 = spec("constraints:\n  - {label: Repo, property: id, type: unique}\n"
        + "  - {name: actor_login, label: Actor, properties: [login, site]}");
    assertThat(loader.plan(v2)).extracting(Change::resource, Change::action, Change::detail)
        .contains(tuple("constraint actor_login", Action.UPDATE, "update: unique (:Actor"
            + " {login}) -> unique (:Actor {login, site}) (dropped and made again)"));
    loader.apply(v2);
    assertThat(constraint("actor_login")).singleElement().asString().contains("login, site");
    assertThat(loader.plan(v2)).extracting(Change::action).containsOnly(Action.NONE);

    // Repo holds a node: kept under RETAIN; purge drops the constraint, never the nodes.
    assertThat(loader.destroy(v2, DataPolicy.RETAIN)).extracting(Change::resource,
        Change::action).containsExactly(tuple("constraint repo_id_unique", Action.RETAIN),
            tuple("constraint actor_login", Action.DELETE));
    assertThat(loader.destroy(v2, DataPolicy.PURGE)).extracting(Change::resource,
        Change::action).containsExactly(tuple("constraint repo_id_unique", Action.DELETE),
            tuple("constraint actor_login", Action.NONE));
    assertThat(constraint("repo_id_unique")).isEmpty();
    assertThat(server.column("MATCH (r:Repo) RETURN count(r)", Map.of())).containsExactly(1L);
    server.execute("MATCH (r:Repo) DELETE r");
  }

  @Test
  void prefixedEnvironmentsMakeAndUseOnlyTheirOwnLabelsAndConstraints() {
    // Without prefixes the second environment's constraint would be refused as equivalent.
    String settings = "constraints: [{label: Lab, property: id, type: unique}]";
    EnvironmentSpec pr42 = graph(server.boltUri(), settings)
        .setMetadata("{name: pr42, namePrefix: pr42}").build();
    EnvironmentSpec pr43 = graph(server.boltUri(), settings)
        .setMetadata("{name: pr-43, namePrefix: pr-43}").build();
    assertThat(loader.plan(pr42)).extracting(Change::resource, Change::action, Change::detail)
        .containsExactly(tuple("constraint pr42_lab_id_unique", Action.CREATE,
            "unique (:pr42_Lab {id})"));
    loader.apply(pr42);
    loader.apply(pr43);
    assertThat(constraint("pr42_lab_id_unique")).singleElement().asString()
        .contains("pr42_Lab");
    assertThat(constraint("pr_43_lab_id_unique")).hasSize(1);
    assertThat(constraint("lab_id_unique")).isEmpty();

    try (Environment a = loader.open(pr42); Environment b = loader.open(pr43)) {
      Neo4jStore storeA = a.datastore("graph", Neo4jStore.class);
      Neo4jStore storeB = b.datastore("graph", Neo4jStore.class);
      assertThat(storeA.label("Lab")).isEqualTo("pr42_Lab");
      assertThat(storeB.label("Lab")).isEqualTo("pr_43_Lab");
      // The same code, naming the logical label, writes each environment's own nodes.
      for (Neo4jStore store : List.of(storeA, storeB)) {
        try (Session session = store.session()) {
          session.run("CREATE (:" + Neo4jConstraints.quote(store.label("Lab")) + " {id: 1})")
              .consume();
        }
      }
      try (Session session = storeA.session()) {
        assertThatThrownBy(() -> session.run("CREATE (:" + Neo4jConstraints.quote(
            storeA.label("Lab")) + " {id: 1})").consume())
            .as("each environment's constraint holds on its own label")
            .isInstanceOf(ClientException.class).hasMessageContaining("already exists");
      }
    }
    assertThat(loader.planDestroy(pr42, DataPolicy.RETAIN)).extracting(Change::detail)
        .containsExactly("kept: holds 1 node(s) it constrains (destroy with purge to delete them)");

    assertThat(loader.destroy(pr42, DataPolicy.PURGE)).extracting(Change::resource,
        Change::action).containsExactly(tuple("constraint pr42_lab_id_unique", Action.DELETE));
    assertThat(constraint("pr42_lab_id_unique")).isEmpty();
    assertThat(loader.plan(pr43)).extracting(Change::action).containsOnly(Action.NONE);
    loader.destroy(pr43, DataPolicy.PURGE);
    server.execute("MATCH (n) WHERE n:pr42_Lab OR n:pr_43_Lab DELETE n");
  }

  @Test
  void aConstraintTheServerEditionLacksFailsNamingItAndTheServersReason() {
    // Property existence constraints are Neo4j Enterprise Edition's; the test server is Community.
    EnvironmentSpec spec = spec("constraints:\n  - {name: repo_name, label: Repo, property: name,"
        + " type: exists}");
    assertThatThrownBy(() -> loader.apply(spec)).isInstanceOf(ProviderException.class)
        .hasMessageContaining("Cannot create constraint repo_name in data store 'graph'")
        .hasMessageContaining("Enterprise Edition")
        .hasMessageNotContaining(PASSWORD);
    assertThat(constraint("repo_name")).isEmpty();
    assertThat(server.column("MATCH (m:EdxOwnership {constraint: 'repo_name'}) RETURN m",
        Map.of())).as("no ownership record left for a constraint never made").isEmpty();
  }

  @Test
  void aServerThatIsDownFailsOnUseNamingTheStoreButNeverThePassword() {
    EnvironmentSpec spec = spec("bolt://127.0.0.1:1",
        "connectTimeout: 1s\nconstraints: [{label: Repo, property: id}]");
    try (Environment env = loader.open(spec)) { // opening connects nothing
      assertThat(env.datastore("graph", Neo4jStore.class).database()).isEmpty();
      assertThatThrownBy(() -> env.datastore("graph", DataStore.class).check())
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("Cannot reach data store 'graph' (bolt://127.0.0.1:1)")
          .hasMessageNotContaining(PASSWORD);
    }
    assertThatThrownBy(() -> loader.plan(spec)).isInstanceOf(ProviderException.class)
        .hasMessageContaining("data store 'graph' (bolt://127.0.0.1:1)")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void badSettingsFailNamingTheKeyAndTheFix() {
    assertThatThrownBy(() -> loader.open(spec("databse: gha")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.graph.databse");
    String leaky = "bolt://neo4j:" + PASSWORD + "@127.0.0.1:7687";
    assertThatThrownBy(() -> loader.open(spec(leaky, "")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.graph.uri")
        .hasMessageContaining("must not carry a user or password")
        .hasMessageNotContaining(PASSWORD);
    assertThatThrownBy(() -> loader.open(spec("http://127.0.0.1:7474", "")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("must use one of the schemes [neo4j, neo4j+s, neo4j+ssc, bolt,");
    assertThatThrownBy(() -> loader.open(spec("constraints: [{label: Repo, property: id,"
        + " type: uniq}]"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.graph.constraints[0].type")
        .hasMessageContaining("must be unique, exists or key");
    assertThatThrownBy(() -> loader.open(spec("constraints: [{label: Repo}]")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("constraints[0].property")
        .hasMessageContaining("give either 'property' (one) or 'properties' (a list)");
    assertThatThrownBy(() -> loader.open(spec("constraints: [{label: Repo, property: id,"
        + " lable: x}]"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("constraints[0].lable").hasMessageContaining("unknown key");
    assertThatThrownBy(() -> loader.open(spec("constraints: [{label: Repo, property: id},"
        + " {label: Repo, property: id}]"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("constraints[1]").hasMessageContaining("listed twice");
    assertThatThrownBy(() -> loader.open(spec("constraints: [{label: \"a b\", property: id}]")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("constraints[0].label")
        .hasMessageContaining("not a valid label name");
    EnvironmentSpec userOnly = DataStoreSpec.builder("graph", "neo4j")
        .set("uri", "bolt://127.0.0.1:7687").set("user", "neo4j").build();
    assertThatThrownBy(() -> loader.open(userOnly)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.graph.password")
        .hasMessageContaining("is required with user");
  }
}
