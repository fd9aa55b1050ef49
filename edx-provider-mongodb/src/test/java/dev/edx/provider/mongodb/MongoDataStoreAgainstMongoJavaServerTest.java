package dev.edx.provider.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import dev.edx.api.DataStore;
import dev.edx.api.Environment;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import dev.edx.core.EnvironmentLoader;
import dev.edx.core.EnvironmentSpec;
import dev.edx.testkit.DataStoreSpec;
import java.util.HashMap;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code mongodb} data store through an environment, on mongo-java-server (an in-JVM
 * implementation of MongoDB's wire protocol, NOT MongoDB): the connection string from a secret,
 * code gets a {@link MongoStore} whose client reads and writes, apply makes the declared
 * collections and indexes (a unique one then enforced) and adds an index declared later; bad
 * settings fail naming the key, and the connection string is never shown.
 */
@ExtendWith(MongoJavaServer.Extension.class)
class MongoDataStoreAgainstMongoJavaServerTest {
  private static final String PASSWORD = "s3cr3t-mongo";
  private static MongoJavaServer server;

  @BeforeAll
  static void open(MongoJavaServer shared) {
    server = shared;
  }

  private static EnvironmentLoader loader(String uri) {
    return EnvironmentLoader.builder()
        .setEnvironmentVariables(Map.of("EDX_SECRET_MONGO__URI", uri)).build();
  }

  /** The {@code docs} store, its connection string a secret, {@code settings} (YAML) added. */
  private static DataStoreSpec.Builder docs(String settings) {
    return DataStoreSpec.builder("docs", "mongodb").set("uri", "${secret:mongo/uri}")
        .addYaml(settings);
  }

  private static EnvironmentSpec spec(String settings) {
    return docs(settings).build();
  }

  @Test
  void applyMakesCollectionsWithTheirIndexesAndCodeGetsAClient() {
    EnvironmentLoader loader = loader(server.uri());
    EnvironmentSpec v1 = spec("database: gha\ncollections:\n"
        + "  - {name: events, indexes: [{keys: {repo: 1, day: -1}, unique: true}]}\n"
        + "  - {database: audit, name: runs}");
    assertThat(loader.plan(v1)).extracting(Change::service, Change::resource, Change::action,
        Change::detail).containsExactly(
            tuple("datastores.docs", "collection gha.events", Action.CREATE,
                "indexes repo_1_day_-1 {\"repo\": 1, \"day\": -1} unique"),
            tuple("datastores.docs", "collection audit.runs", Action.CREATE, ""));
    loader.apply(v1);
    assertThat(loader.plan(v1)).extracting(Change::action).containsOnly(Action.NONE);

    try (Environment env = loader.open(v1)) {
      MongoStore store = env.datastore("docs", MongoStore.class);
      assertThat(env.datastore("docs", DataStore.class).provider()).isEqualTo("mongodb");
      assertThat(env.datastore("docs", DataStore.class).check()).hasValueSatisfying(line ->
          assertThat(line).startsWith("mongodb: ").contains("ping in"));
      MongoCollection<Document> events = store.database().getCollection("events");
      events.insertOne(new Document("repo", "edx").append("day", 1));
      assertThat(events.countDocuments()).isEqualTo(1);
      assertThatThrownBy(() -> events.insertOne(new Document("repo", "edx").append("day", 1)))
          .as("the unique index edx made is enforced").isInstanceOf(MongoWriteException.class);
    }

    EnvironmentSpec v2 = spec("database: gha\ncollections:\n"
        + "  - {name: events, indexes: [{keys: {repo: 1, day: -1}, unique: true},"
        + " {name: by_actor, keys: {actor: 1}}]}\n"
        + "  - {database: audit, name: runs}");
    assertThat(loader.plan(v2)).extracting(Change::resource, Change::action, Change::detail)
        .contains(tuple("collection gha.events", Action.UPDATE,
            "update: create index by_actor {\"actor\": 1}"));
    loader.apply(v2);
    assertThat(server.client().getDatabase("gha").getCollection("events").listIndexes()
        .map(d -> d.getString("name")).into(new java.util.ArrayList<>()))
        .contains("repo_1_day_-1", "by_actor");
    assertThat(loader.plan(v2)).extracting(Change::action).containsOnly(Action.NONE);

    assertThat(loader.destroy(v2, DataPolicy.RETAIN)).extracting(Change::resource,
        Change::action).containsExactly(tuple("collection gha.events", Action.RETAIN),
            tuple("collection audit.runs", Action.DELETE));
    assertThat(loader.destroy(v2, DataPolicy.PURGE)).extracting(Change::resource,
        Change::action).containsExactly(tuple("collection gha.events", Action.DELETE),
            tuple("collection audit.runs", Action.NONE));
  }

  @Test
  void prefixedEnvironmentsMakeAndUseOnlyTheirOwnDatabases() {
    EnvironmentLoader loader = loader(server.uri());
    String settings = "database: lab\ncollections: [events, {database: labaudit, name: runs}]";
    EnvironmentSpec pr42 = docs(settings).setMetadata("{name: pr42, namePrefix: pr42}").build();
    EnvironmentSpec pr43 = docs(settings).setMetadata("{name: pr-43, namePrefix: pr-43}").build();
    assertThat(loader.plan(pr42)).extracting(Change::resource, Change::action)
        .containsExactly(tuple("collection pr42_lab.events", Action.CREATE),
            tuple("collection pr42_labaudit.runs", Action.CREATE));
    loader.apply(pr42);
    loader.apply(pr43);

    try (Environment a = loader.open(pr42); Environment b = loader.open(pr43)) {
      MongoStore storeA = a.datastore("docs", MongoStore.class);
      MongoStore storeB = b.datastore("docs", MongoStore.class);
      assertThat(storeA.database().getName()).isEqualTo("pr42_lab");
      assertThat(storeB.databaseName("lab")).isEqualTo("pr_43_lab");
      assertThat(storeB.database("labaudit").getName()).isEqualTo("pr_43_labaudit");
      // The same code, naming the logical database, writes each environment's own collection.
      storeA.database().getCollection("events").insertOne(new Document("n", 1));
      storeB.database("lab").getCollection("events").insertOne(new Document("n", 2));
      storeB.database("lab").getCollection("events").insertOne(new Document("n", 3));
      assertThat(storeA.database("lab").getCollection("events").countDocuments()).isEqualTo(1);
      assertThat(storeB.database().getCollection("events").countDocuments()).isEqualTo(2);
    }
    assertThat(server.client().listDatabaseNames().into(new java.util.ArrayList<>()))
        .contains("pr42_lab", "pr_43_lab").doesNotContain("lab", "labaudit");

    assertThat(loader.destroy(pr42, DataPolicy.PURGE)).extracting(Change::resource,
        Change::action).containsExactly(tuple("collection pr42_lab.events", Action.DELETE),
            tuple("collection pr42_labaudit.runs", Action.DELETE));
    assertThat(loader.plan(pr43)).extracting(Change::action).containsOnly(Action.NONE);
    loader.destroy(pr43, DataPolicy.PURGE);
    try (Environment plain = loader.open(spec(settings))) {
      assertThat(plain.datastore("docs", MongoStore.class).databaseName("lab")).isEqualTo("lab");
    }
  }

  @Test
  void theConnectionStringIsSensitiveEverywhere() {
    String withPassword = server.uri().replace("mongodb://", "mongodb://edx:" + PASSWORD + "@");
    EnvironmentLoader loader = loader(withPassword);
    EnvironmentSpec spec = spec("database: gha\ncollections: [events]");
    try (Environment env = loader.open(spec)) { // opening connects nothing
      MongoStore store = env.datastore("docs", MongoStore.class);
      assertThat(store.toString()).doesNotContain(PASSWORD).contains("credentials=****");
    }
    assertThat(loader.render(spec)).doesNotContain(PASSWORD);
    Map<String, String> variables = new HashMap<>();
    variables.put("EDX_SECRET_MONGO__URI", "mongo://edx:" + PASSWORD + "@127.0.0.1");
    assertThatThrownBy(() -> EnvironmentLoader.builder().setEnvironmentVariables(variables)
        .build().open(spec)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.docs.uri")
        .hasMessageContaining("must be a MongoDB connection string")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void badSettingsFailNamingTheKeyAndTheFix() {
    EnvironmentLoader loader = loader(server.uri());
    assertThatThrownBy(() -> loader.open(spec("collections: [events]")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.docs.collections[0].database")
        .hasMessageContaining("the store declares no 'database'");
    assertThatThrownBy(() -> loader.open(spec("database: gha\ncollections: [{name: e,"
        + " indexs: []}]"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("collections[0].indexs").hasMessageContaining("unknown key");
    assertThatThrownBy(() -> loader.open(spec("database: gha\ncollections: [{name: e,"
        + " indexes: [{keys: {repo: 2}}]}]"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("collections[0].indexes[0].keys.repo")
        .hasMessageContaining("must be 1 (ascending) or -1 (descending)");
    assertThatThrownBy(() -> loader.open(spec("database: gha\ncollections: [events, events]")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("collections[1]").hasMessageContaining("listed twice");
    assertThatThrownBy(() -> loader.open(spec("database: \"g h\"")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.docs.database");
    assertThatThrownBy(() -> loader.open(spec("databse: gha")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.docs.databse");
  }
}
