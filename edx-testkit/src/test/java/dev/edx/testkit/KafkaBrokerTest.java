package dev.edx.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A user's test with a real Kafka broker: a {@link KafkaBroker} parameter under {@link EdxTest}.
 * The code between the {@code kafka} markers is what edx-testkit's README shows; {@link
 * #readmeShowsThisCode()} fails when the two drift apart.
 */
@EdxTest
class KafkaBrokerTest {
  private static KafkaBroker first;

  @Test
  void aTestGetsARealBroker(KafkaBroker kafka) throws Exception {
    // kafka:start
    Properties props = new Properties();
    props.putAll(kafka.clientProperties()); // bootstrap.servers
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic("orders", Optional.of(2), Optional.empty())))
          .all().get(30, TimeUnit.SECONDS);
    }
    props.put("key.serializer", StringSerializer.class);
    props.put("value.serializer", StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      producer.send(new ProducerRecord<>("orders", "order-1", "{\"total\": 42}")).get();
    }
    props.put("key.deserializer", StringDeserializer.class);
    props.put("value.deserializer", StringDeserializer.class);
    props.put("group.id", "billing");
    props.put("auto.offset.reset", "earliest");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of("orders"));
      List<ConsumerRecord<String, String>> got = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(got::add);
      }
      assertThat(got).extracting(ConsumerRecord::key).containsExactly("order-1");
    }
    // kafka:end
    sameBrokerForTheRun(kafka);
  }

  @Test
  void everyTestOfTheRunSharesOneBroker(KafkaBroker kafka) {
    assertThat(kafka.bootstrapServers()).matches("[\\w.-]+:\\d+");
    assertThat(kafka.clientProperties())
        .isEqualTo(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    sameBrokerForTheRun(kafka);
  }

  private static synchronized void sameBrokerForTheRun(KafkaBroker kafka) {
    if (first == null) {
      first = kafka;
    }
    assertThat(kafka).isSameAs(first);
  }

  @Test
  void readmeShowsThisCode() throws IOException {
    String source = Files.readString(
        Path.of("src/test/java/dev/edx/testkit/KafkaBrokerTest.java"));
    String snippet = source.substring(source.indexOf("// kafka:start") + 15,
        source.indexOf("    // kafka:end"));
    // The README shows it inside a test method: compared line by line, indentation aside.
    assertThat(unindented(Files.readString(Path.of("README.md"))))
        .contains(unindented(snippet).strip());
  }

  private static String unindented(String text) {
    return String.join("\n", text.lines().map(String::strip).toList());
  }
}
