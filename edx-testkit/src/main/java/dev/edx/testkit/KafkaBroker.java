package dev.edx.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in the test JVM: one node in KRaft mode (broker and controller combined),
 * from Kafka's own test kit, on a loopback port, its logs in a temporary folder. Internal topics
 * (consumer offsets, transaction state) have one replica, so consumer groups and transactional
 * producers work on it.
 *
 * <p>A test gets the run's broker as a parameter of type {@code KafkaBroker} under {@link
 * EdxTest} (started on first use, stopped when the run ends), or starts one of its own with
 * {@link #start()} and closes it. It needs {@code org.apache.kafka:kafka_2.13} and {@code
 * org.apache.kafka:kafka-test-common-runtime} on the test class path: the testkit declares them
 * optional, so a user who wants a broker adds them (test scope).
 */
public final class KafkaBroker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;
  private final AtomicBoolean closed = new AtomicBoolean();

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** Starts a broker and waits until it serves. */
  public static KafkaBroker start() {
    try {
      TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true)
          .setNumBrokerNodes(1).setNumControllerNodes(1).build();
      KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("offsets.topic.num.partitions", "1")
          .setConfigProp("transaction.state.log.replication.factor", "1")
          .setConfigProp("transaction.state.log.min.isr", "1")
          .setConfigProp("transaction.state.log.num.partitions", "1")
          .setConfigProp("group.initial.rebalance.delay.ms", "0")
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
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Cannot start the test Kafka broker: " + e, e);
    }
  }

  /** {@code host:port} of the broker, for {@code bootstrap.servers} or a spec. */
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** The properties a plain Kafka client connects with ({@code bootstrap.servers}). */
  public Map<String, Object> clientProperties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("bootstrap.servers", bootstrapServers());
    return properties;
  }

  /** Stops the broker and deletes its logs; idempotent. */
  @Override
  public void close() throws Exception {
    if (closed.compareAndSet(false, true)) {
      cluster.close();
    }
  }

  @Override
  public String toString() {
    return "KafkaBroker{" + bootstrapServers() + "}";
  }
}
