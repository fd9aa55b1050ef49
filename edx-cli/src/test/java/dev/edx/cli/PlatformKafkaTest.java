package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edx.api.Environment;
import dev.edx.core.Environments;
import dev.edx.provider.kafka.KafkaStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edx up --with kafka} end to end: the platform's process runs a Kafka broker, its spec
 * declares it as the data store {@code events} with the topic {@code gha.events} created, {@code
 * edx doctor} checks it, a record produced through the spec's client properties is read back,
 * {@code status} shows the bootstrap address, the data directory remembers the option across
 * {@code down} and {@code up}, and an unknown {@code --with} is a usage error naming the known
 * services.
 */
class PlatformKafkaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Result(int code, String out, String err) {}

  private static Result edx(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = EdxMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void anUnknownServiceIsAUsageErrorNamingTheKnownOnes(@TempDir Path dir) {
    Result up = edx("up", "--data-dir", dir.toString(), "--with", "kafak");
    assertThat(up.code()).isEqualTo(64);
    assertThat(up.err()).contains("Unknown service 'kafak' for --with: use kafka (a Kafka"
        + " broker");
    Result without = edx("up", "--data-dir", dir.toString(), "--without", "zookeeper");
    assertThat(without.code()).isEqualTo(64);
    assertThat(without.err()).contains("Unknown service 'zookeeper' for --without: use kafka");
    // Nothing was started or remembered.
    assertThat(dir.resolve("platform.json")).doesNotExist();
    assertThat(dir.resolve("platform-options.json")).doesNotExist();
  }

  @Test
  void upWithKafkaServesTheEventsStore(@TempDir Path dir) throws Exception {
    String data = dir.toString();
    try {
      Result up = edx("up", "--data-dir", data, "--with", "kafka");
      assertThat(up.code()).as(up.out() + up.err()).isZero();
      assertThat(up.out()).contains("  starting postgres and s3...", "  starting kafka...",
          "  creating the topics of data store events...")
          .containsPattern("kafka +127\\.0\\.0\\.1:\\d+ \\(bootstrap servers; data store"
              + " 'events' of the spec\\)")
          .containsPattern("topics ready: CREATE datastores\\.events [^\\n]*gha\\.events")
          .doesNotContain("NOT REACHABLE").doesNotContain("cannot create the topics");

      JsonNode json = JSON.readTree(dir.resolve("platform.json").toFile());
      String bootstrap = json.at("/kafka/bootstrapServers").asText();
      assertThat(bootstrap).matches("127\\.0\\.0\\.1:\\d+");
      assertThat(json.at("/with/0").asText()).isEqualTo("kafka");
      assertThat(Path.of(json.at("/kafka/directory").asText())).isEqualTo(dir.resolve("kafka"));
      assertThat(Files.readString(dir.resolve("environment.yaml")))
          .contains("events: {provider: kafka, bootstrapServers: \"" + bootstrap + "\"");

      Result status = edx("status", "--data-dir", data);
      assertThat(status.code()).isZero();
      assertThat(status.out()).contains(", with kafka)").contains("kafka").contains(bootstrap);

      Result exports = edx("up", "--data-dir", data, "--output", "env");
      assertThat(exports.code()).as(exports.err()).isZero();
      assertThat(exports.out()).contains("export KAFKA_BOOTSTRAP_SERVERS='" + bootstrap + "'");

      // The data store of the spec: the topic exists, a record goes through it.
      Path spec = dir.resolve("environment.yaml");
      try (Environment env = Environments.open(spec)) {
        KafkaStore events = env.datastore("events", KafkaStore.class);
        assertThat(events.check()).hasValueSatisfying(s -> assertThat(s).isNotBlank());
        Map<String, Object> client = new java.util.HashMap<>(events.clientProperties());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client,
            new StringSerializer(), new StringSerializer())) {
          producer.send(new ProducerRecord<>("gha.events", "edx/edx", "hello"))
              .get(30, TimeUnit.SECONDS);
        }
        assertThat(read(client, "gha.events")).containsExactly("edx/edx=hello");
      }

      Result doctor = edx("doctor", "--no-spark", "--env", spec.toString());
      assertThat(doctor.code()).as(doctor.out() + doctor.err()).isZero();
      assertThat(doctor.out()).contains("datastore events").contains("all checks passed");

      // Running with kafka, the data directory cannot drop it without a restart.
      Result without = edx("up", "--data-dir", data, "--without", "kafka");
      assertThat(without.code()).isEqualTo(64);
      assertThat(without.err()).contains("runs with kafka: stop it first");

      Result down = edx("down", "--data-dir", data);
      assertThat(down.code()).as(down.err()).isZero();
      assertThat(down.out()).contains("starts it again with kafka");
      assertThat(edx("status", "--data-dir", data).out()).contains("starts it with kafka");
      assertThat(dir.resolve("kafka")).isDirectory();
    } finally {
      edx("down", "--data-dir", data);
    }
  }

  private static List<String> read(Map<String, Object> client, String topic) {
    Map<String, Object> properties = new java.util.HashMap<>(client);
    properties.put("group.id", "platform-kafka-test");
    properties.put("auto.offset.reset", "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties,
        new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.key() + "=" + r.value());
        }
      }
    }
    return values;
  }
}
