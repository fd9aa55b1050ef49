package dev.edx.provider.kafka;

import static dev.edx.provider.kafka.PlainKafkaClients.get;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.DataStoreProvisionerContract;
import dev.edx.testkit.EdxCapability;
import dev.edx.testkit.EdxTest;
import dev.edx.testkit.KafkaBroker;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provisioner contract against the {@code kafka} data store's topics, on the testkit's {@link
 * KafkaBroker} (a real KRaft broker in the test JVM). Ownership is read behind edx's back from the
 * ledger topic with a plain consumer, and holds only while the topic's id is the recorded one. A
 * topic is created before its ownership is recorded (its id exists only then): an apply stopped in
 * between leaves an unowned topic, as documented.
 */
@EdxTest
class KafkaProvisionerContractTest extends DataStoreProvisionerContract<KafkaBroker> {
  private static final Pattern MARK = Pattern.compile("^environment=([a-z0-9-]+);topicId=(.+)$");
  private static PlainKafkaClients kafka;

  @BeforeAll
  static void open(KafkaBroker broker) {
    kafka = new PlainKafkaClients(broker);
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  KafkaProvisionerContractTest(KafkaBroker broker) {
    super(new KafkaDataStoreProvider(), "events", "topics", broker);
  }

  @Override
  protected void connectionSettings(ServiceSpec.Builder section) {
    section.set("bootstrapServers", server().bootstrapServers());
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
    kafka.createTopic(name, 1); // created; killed before its ownership was recorded
  }

  @Override
  protected Duration consistencyTimeout() {
    return Duration.ofSeconds(10);
  }

  @Override
  protected void createUnowned(String name) {
    kafka.createTopic(name, 1);
  }

  @Override
  protected void putData(String name) {
    kafka.send(name, "k", "v");
  }

  @Override
  protected boolean holdsData(String name) {
    TopicPartition partition = new TopicPartition(name, 0);
    return get(kafka.admin().listOffsets(Map.of(partition, OffsetSpec.latest()))
        .all()).get(partition).offset() > 0;
  }

  @Override
  protected void deleteBehindBack(String name) {
    get(kafka.admin().deleteTopics(List.of(name)).all());
  }

  @Override
  protected boolean exists(String name) {
    return get(kafka.admin().listTopics().names()).contains(name);
  }

  @Override
  protected Optional<String> owner(String name) {
    if (!exists(name)) {
      return Optional.empty();
    }
    Set<String> topics = get(kafka.admin().listTopics().names());
    if (!topics.contains(KafkaTopics.DEFAULT_OWNERSHIP_TOPIC)) {
      return Optional.empty();
    }
    String value = kafka.readAll(KafkaTopics.DEFAULT_OWNERSHIP_TOPIC).get(name);
    if (value == null) {
      return Optional.empty();
    }
    Matcher m = MARK.matcher(value);
    if (!m.matches()) {
      return Optional.empty();
    }
    TopicDescription d = get(kafka.admin().describeTopics(List.of(name))
        .allTopicNames()).get(name);
    return d.topicId().toString().equals(m.group(2)) ? Optional.of(m.group(1))
        : Optional.empty();
  }
}
