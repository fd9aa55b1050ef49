package dev.edx.provider.kafka;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
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
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Kafka broker (KRaft, combined broker and controller) in the test JVM, shared by every
 * test class of the run that asks for it as a parameter and closed when the run ends (it is kept
 * in the root context's store). Also reaches the broker behind edx's back, with plain clients.
 */
final class KafkaBroker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;
  private final Admin admin;

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
    this.admin = Admin.create(clientProperties());
  }

  static KafkaBroker start() throws Exception {
    TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true)
        .setNumBrokerNodes(1).setNumControllerNodes(1).build();
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return new KafkaBroker(cluster);
  }

  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  Properties clientProperties() {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", cluster.bootstrapServers());
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
    Map<String, String> values = new java.util.HashMap<>();
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<String, String> r : consumer.poll(java.time.Duration.ofMillis(200))) {
          values.put(r.key(), r.value());
        }
      }
    }
    return values;
  }

  static <T> T get(java.util.concurrent.Future<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    admin.close();
    cluster.close();
  }

  /** Injects the run's broker into test methods and {@code @BeforeAll} methods. */
  static final class Extension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context.getRoot().getStore(ExtensionContext.Namespace.create(KafkaBroker.class))
          .getOrComputeIfAbsent("broker", key -> {
            try {
              return start();
            } catch (Exception e) {
              throw new IllegalStateException("Cannot start the test Kafka broker: " + e, e);
            }
          }, KafkaBroker.class);
    }
  }
}
