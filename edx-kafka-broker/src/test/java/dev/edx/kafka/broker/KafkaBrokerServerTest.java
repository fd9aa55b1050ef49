package dev.edx.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker on a folder serves a topic a producer writes and a consumer group reads; started
 * again on the same folder, it still has the topic and its record.
 */
class KafkaBrokerServerTest {

  @Test
  void aRecordSurvivesARestartOnTheSameFolder(@TempDir Path dir) throws Exception {
    try (KafkaBrokerServer broker = KafkaBrokerServer.start(KafkaBrokerServer.Config.of(dir))) {
      assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all()
            .get(30, TimeUnit.SECONDS);
      }
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(
          Map.of("bootstrap.servers", broker.bootstrapServers()), new StringSerializer(),
          new StringSerializer())) {
        producer.send(new ProducerRecord<>("t", "k", "v")).get(30, TimeUnit.SECONDS);
      }
    }
    try (KafkaBrokerServer again = KafkaBrokerServer.start(KafkaBrokerServer.Config.of(dir))) {
      assertThat(read(again.bootstrapServers(), "t")).containsExactly("k=v");
    }
  }

  @Test
  void aBadPortIsRefusedNamingIt(@TempDir Path dir) {
    assertThatThrownBy(() -> KafkaBrokerServer.Config.of(dir).withPort(70000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 70000");
  }

  private static List<String> read(String bootstrap, String topic) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", bootstrap, "group.id", "g", "auto.offset.reset", "earliest"),
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
