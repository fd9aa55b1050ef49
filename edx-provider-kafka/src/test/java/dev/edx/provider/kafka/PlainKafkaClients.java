package dev.edx.provider.kafka;

import dev.edx.testkit.KafkaBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients on the testkit's {@link KafkaBroker}: they reach its topics behind edx's
 * back. Close it.
 */
final class PlainKafkaClients implements AutoCloseable {
  private final KafkaBroker broker;
  private final Admin admin;

  PlainKafkaClients(KafkaBroker broker) {
    this.broker = broker;
    this.admin = Admin.create(clientProperties());
  }

  private Properties clientProperties() {
    Properties properties = new Properties();
    properties.putAll(broker.clientProperties());
    return properties;
  }

  Admin admin() {
    return admin;
  }

  void createTopic(String name, int partitions) {
    get(admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions),
        Optional.empty()))).all());
  }

  void send(String topic, String key, String value) {
    Properties p = clientProperties();
    p.put("key.serializer", StringSerializer.class);
    p.put("value.serializer", StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      get(producer.send(new ProducerRecord<>(topic, key, value)));
    }
  }

  /** Every record of partition 0 of a topic, from its beginning: key to last value. */
  Map<String, String> readAll(String topic) {
    Properties p = clientProperties();
    p.put("key.deserializer", StringDeserializer.class);
    p.put("value.deserializer", StringDeserializer.class);
    Map<String, String> values = new HashMap<>();
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.put(r.key(), r.value());
        }
      }
    }
    return values;
  }

  /** A client's result, within 30 s; its failure as an unchecked exception. */
  static <T> T get(Future<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
