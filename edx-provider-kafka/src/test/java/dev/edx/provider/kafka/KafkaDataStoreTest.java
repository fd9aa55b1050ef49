package dev.edx.provider.kafka;

import static dev.edx.provider.kafka.PlainKafkaClients.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.edx.api.Environment;
import dev.edx.api.StreamStore;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import dev.edx.core.EnvironmentLoader;
import dev.edx.core.EnvironmentSpec;
import dev.edx.testkit.DataStoreSpec;
import dev.edx.testkit.EdxTest;
import dev.edx.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code kafka} data store through an environment, on the run's in-JVM KRaft broker (the
 * testkit's {@link KafkaBroker}): topics made with their partitions and configs, updated when the
 * spec changes, code producing and consuming with the store's client properties; bad settings
 * fail naming the key, and the password is never shown.
 */
@EdxTest
class KafkaDataStoreTest {
  private static KafkaBroker broker;
  private static PlainKafkaClients kafka;
  private final EnvironmentLoader loader = EnvironmentLoader.builder()
      .setEnvironmentVariables(Map.of("EDX_SECRET_KAFKA__PASSWORD", "s3cr3t-kafka")).build();

  @BeforeAll
  static void open(KafkaBroker shared) {
    broker = shared;
    kafka = new PlainKafkaClients(shared);
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  /** The {@code events} store at the run's broker, {@code settings} (YAML) added. */
  private static DataStoreSpec.Builder events(String settings) {
    return DataStoreSpec.builder("events", "kafka")
        .set("bootstrapServers", broker.bootstrapServers()).addYaml(settings);
  }

  private static EnvironmentSpec spec(String settings) {
    return events(settings).build();
  }

  private static EnvironmentSpec topics(int partitions, String retention) {
    return spec("topics:\n  - {name: gha.events, partitions: " + partitions
        + ", config: {retention.ms: \"" + retention + "\"}}\n  - gha.audit");
  }

  @Test
  void applyMakesTopicsWithPartitionsAndConfigsAndUpdatesThemWhenTheSpecChanges() {
    EnvironmentSpec v1 = topics(3, "604800000");
    assertThat(loader.plan(v1)).extracting(Change::resource, Change::action, Change::detail)
        .containsExactly(
            tuple("topic gha.events", Action.CREATE,
                "3 partition(s), config {retention.ms=604800000}"),
            tuple("topic gha.audit", Action.CREATE, ""));
    loader.apply(v1);
    assertThat(partitions("gha.events")).isEqualTo(3);
    assertThat(config("gha.events", "retention.ms")).isEqualTo("604800000");
    assertThat(loader.apply(v1)).extracting(Change::action).containsOnly(Action.NONE);

    try (Environment env = loader.open(v1)) {
      KafkaStore store = env.datastore("events", KafkaStore.class);
      StreamStore neutral = env.datastore("events", StreamStore.class);
      assertThat(neutral.clientProperties())
          .containsEntry("bootstrap.servers", broker.bootstrapServers());
      Properties producerProperties = store.properties();
      producerProperties.put("key.serializer", StringSerializer.class);
      producerProperties.put("value.serializer", StringSerializer.class);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties)) {
        get(producer.send(new ProducerRecord<>("gha.events", "edx/edx", "push")));
      }
      Properties consumerProperties = store.properties();
      consumerProperties.put("key.deserializer", StringDeserializer.class);
      consumerProperties.put("value.deserializer", StringDeserializer.class);
      consumerProperties.put("group.id", "edx-test");
      consumerProperties.put("auto.offset.reset", "earliest");
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties)) {
        consumer.subscribe(List.of("gha.events"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ConsumerRecord<String, String> got = null;
        while (got == null && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            got = r;
          }
        }
        assertThat(got).as("the record produced, consumed by a group").isNotNull();
        assertThat(got.key()).isEqualTo("edx/edx");
      }
    }

    EnvironmentSpec v2 = topics(6, "86400000");
    assertThat(loader.plan(v2)).extracting(Change::resource, Change::action, Change::detail)
        .contains(tuple("topic gha.events", Action.UPDATE,
            "update: partitions 3 -> 6, retention.ms 604800000 -> 86400000"));
    loader.apply(v2);
    assertThat(partitions("gha.events")).isEqualTo(6);
    assertThat(config("gha.events", "retention.ms")).isEqualTo("86400000");
    assertThat(loader.plan(v2)).extracting(Change::action).containsOnly(Action.NONE);
    // Kafka cannot remove partitions: a spec with fewer is not a change.
    assertThat(loader.plan(topics(2, "86400000"))).extracting(Change::action)
        .containsOnly(Action.NONE);

    assertThat(loader.destroy(v2, DataPolicy.RETAIN)).extracting(Change::resource,
        Change::action).containsExactly(tuple("topic gha.events", Action.RETAIN),
            tuple("topic gha.audit", Action.DELETE));
    assertThat(loader.destroy(v2, DataPolicy.PURGE)).extracting(Change::resource,
        Change::action).containsExactly(tuple("topic gha.events", Action.DELETE),
            tuple("topic gha.audit", Action.NONE));
  }

  @Test
  void thePasswordIsResolvedForTheClientAndNeverShown() {
    EnvironmentSpec spec = spec("securityProtocol: SASL_PLAINTEXT\nusername: edx\n"
        + "password: \"${secret:kafka/password}\"");
    try (Environment env = loader.open(spec)) {
      KafkaStore store = env.datastore("events", KafkaStore.class);
      assertThat(store.clientProperties().get("sasl.jaas.config"))
          .contains("username=\"edx\"").contains("password=\"s3cr3t-kafka\"");
      assertThat(store.clientProperties()).containsEntry("sasl.mechanism", "PLAIN")
          .containsEntry("security.protocol", "SASL_PLAINTEXT");
      assertThat(store.toString()).doesNotContain("s3cr3t");
    }
    assertThat(loader.render(spec)).doesNotContain("s3cr3t");
  }

  @Test
  void badSettingsFailNamingTheKey() {
    assertThatThrownBy(() -> loader.open(spec("username: edx")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.events.password")
        .hasMessageContaining("required with username");
    assertThatThrownBy(() -> loader.open(spec(
        "clientProperties: {ssl.keystore.password: hunter2}")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.events.clientProperties")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> loader.open(spec("topics: [{name: t, partitions: 0}]")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.events.topics[0].partitions")
        .hasMessageContaining("from 1");
    assertThatThrownBy(() -> loader.open(spec("topics: [{name: t, partitons: 2}]")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.events.topics[0].partitons")
        .hasMessageContaining("unknown key");
    assertThatThrownBy(() -> loader.open(spec("topics: [a, a]")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> loader.open(spec("topics: [\"no spaces\"]")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("not a valid topic name");
    assertThatThrownBy(() -> loader.open(spec("securityProtocol: TLS")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.events.securityProtocol");
  }

  @Test
  void prefixedEnvironmentsMakeAndUseOnlyTheirOwnTopics() {
    String settings = "topics: [{name: lab.events, partitions: 2}]";
    EnvironmentSpec pr42 =
        events(settings).setMetadata("{name: pr42, namePrefix: pr42}").build();
    EnvironmentSpec pr43 =
        events(settings).setMetadata("{name: pr-43, namePrefix: pr-43}").build();
    assertThat(loader.plan(pr42)).extracting(Change::resource, Change::action)
        .containsExactly(tuple("topic pr42.lab.events", Action.CREATE));
    loader.apply(pr42);
    loader.apply(pr43);
    assertThat(partitions("pr42.lab.events")).isEqualTo(2);
    assertThat(partitions("pr-43.lab.events")).isEqualTo(2);

    try (Environment a = loader.open(pr42); Environment b = loader.open(pr43)) {
      StreamStore storeA = a.datastore("events", StreamStore.class);
      StreamStore storeB = b.datastore("events", StreamStore.class);
      assertThat(storeA.topic("lab.events")).isEqualTo("pr42.lab.events");
      assertThat(storeB.topic("lab.events")).isEqualTo("pr-43.lab.events");
      // The same code, naming the logical topic, sends to each environment's own topic.
      send(storeA, 1);
      send(storeB, 2);
    }
    assertThat(topicNames()).doesNotContain("lab.events");
    assertThat(loader.planDestroy(pr42, DataPolicy.RETAIN))
        .extracting(Change::resource, Change::action, Change::detail)
        .containsExactly(tuple("topic pr42.lab.events", Action.RETAIN,
            "kept: holds 1 record(s) (destroy with purge to delete them)"));
    assertThat(loader.planDestroy(pr43, DataPolicy.RETAIN)).extracting(Change::detail)
        .containsExactly("kept: holds 2 record(s) (destroy with purge to delete them)");

    assertThat(loader.destroy(pr42, DataPolicy.PURGE)).extracting(Change::resource,
        Change::action).containsExactly(tuple("topic pr42.lab.events", Action.DELETE));
    assertThat(topicNames()).doesNotContain("pr42.lab.events").contains("pr-43.lab.events");
    assertThat(loader.plan(pr43)).extracting(Change::action).containsExactly(Action.NONE);
    loader.destroy(pr43, DataPolicy.PURGE);
    try (Environment plain = loader.open(spec(settings))) {
      assertThat(plain.datastore("events", StreamStore.class).topic("lab.events"))
          .isEqualTo("lab.events");
    }
  }

  private static void send(StreamStore store, int records) {
    Properties p = new Properties();
    p.putAll(store.clientProperties());
    p.put("key.serializer", StringSerializer.class);
    p.put("value.serializer", StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (int i = 0; i < records; i++) {
        get(producer.send(new ProducerRecord<>(store.topic("lab.events"), "k" + i, "v")));
      }
    }
  }

  private static java.util.Set<String> topicNames() {
    return get(kafka.admin().listTopics().names());
  }

  private static int partitions(String topic) {
    TopicDescription d = get(kafka.admin().describeTopics(List.of(topic)).allTopicNames())
        .get(topic);
    return d.partitions().size();
  }

  private static String config(String topic, String key) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = get(kafka.admin().describeConfigs(List.of(resource)).all()).get(resource);
    return config.get(key).value();
  }
}
