package dev.edx.provider.kafka;

import dev.edx.api.spi.Provisioner;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.EdxCapability;
import dev.edx.testkit.ProvisionerContract;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The provisioner contract against the {@code kafka} data store's topics, on a real KRaft broker
 * in the test JVM. Ownership is read behind edx's back from the ledger topic with a plain
 * consumer, and holds only while the topic's id is the recorded one. A topic is created before
 * its ownership is recorded (its id exists only then): an apply stopped in between leaves an
 * unowned topic, as documented.
 */
@ExtendWith(KafkaBroker.Extension.class)
class KafkaProvisionerContractTest extends ProvisionerContract {
  private static final Pattern MARK = Pattern.compile("^environment=([a-z0-9-]+);topicId=(.+)$");
  private static KafkaBroker broker;

  @BeforeAll
  static void open(KafkaBroker shared) {
    broker = shared;
  }

  @Override
  protected Provisioner provisioner(String environment, List<Declared> declared) {
    ServiceSpec spec = ServiceSpec.builder("datastores.events", "kafka").setSource("<test>")
        .set("bootstrapServers", broker.bootstrapServers())
        .set("topics", declared.stream().map(Declared::specValue).toList())
        .build();
    return (Provisioner) Specs.create(new KafkaDataStoreProvider(), spec,
        new TestProviderContext(environment));
  }

  @Override
  protected String kind() {
    return "topic";
  }

  @Override
  protected boolean supports(EdxCapability capability) {
    return switch (capability) {
      case PROVISION_MULTI_STEP_CREATE -> true;
      case PROVISION_MARKS_BEFORE_CREATE -> false;
      default -> super.supports(capability);
    };
  }

  @Override
  protected void interruptCreate(String environment, String name) {
    broker.createTopic(name, 1); // created; killed before its ownership was recorded
  }

  @Override
  protected Duration consistencyTimeout() {
    return Duration.ofSeconds(10);
  }

  @Override
  protected void createUnowned(String name) {
    broker.createTopic(name, 1);
  }

  @Override
  protected void putData(String name) {
    broker.send(name, "k", "v");
  }

  @Override
  protected boolean holdsData(String name) {
    TopicPartition partition = new TopicPartition(name, 0);
    return KafkaBroker.get(broker.admin().listOffsets(Map.of(partition, OffsetSpec.latest()))
        .all()).get(partition).offset() > 0;
  }

  @Override
  protected void deleteBehindBack(String name) {
    KafkaBroker.get(broker.admin().deleteTopics(List.of(name)).all());
  }

  @Override
  protected boolean exists(String name) {
    return KafkaBroker.get(broker.admin().listTopics().names()).contains(name);
  }

  @Override
  protected Optional<String> owner(String name) {
    if (!exists(name)) {
      return Optional.empty();
    }
    Set<String> topics = KafkaBroker.get(broker.admin().listTopics().names());
    if (!topics.contains(KafkaTopics.DEFAULT_OWNERSHIP_TOPIC)) {
      return Optional.empty();
    }
    String value = broker.readAll(KafkaTopics.DEFAULT_OWNERSHIP_TOPIC).get(name);
    if (value == null) {
      return Optional.empty();
    }
    Matcher m = MARK.matcher(value);
    if (!m.matches()) {
      return Optional.empty();
    }
    TopicDescription d = KafkaBroker.get(broker.admin().describeTopics(List.of(name))
        .allTopicNames()).get(name);
    return d.topicId().toString().equals(m.group(2)) ? Optional.of(m.group(1))
        : Optional.empty();
  }
}
