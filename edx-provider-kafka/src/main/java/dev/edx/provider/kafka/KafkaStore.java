package dev.edx.provider.kafka;

import static java.util.Objects.requireNonNull;

import dev.edx.api.StreamStore;
import dev.edx.api.exceptions.OperationStateUnknownException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.toolkit.NamePrefix;
import dev.edx.toolkit.OwnedResourceProvisioner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka data store: its client properties, an admin client opened on first use, and the
 * provisioner of its declared topics (partitions and configs).
 *
 * <p>Ownership: Kafka topics carry no free labels (a broker rejects unknown topic configs), so
 * ownership is recorded in a compacted ledger topic ({@code __edx_ownership} by default), keyed by
 * topic name, whose value names the environment and the topic's id. A topic is this environment's
 * only while its current id is the one recorded: a topic deleted and made again behind edx's back
 * is not edx's. The id exists only once the topic does, so the mark follows the create: an apply
 * stopped between the two leaves an unowned topic, which the next apply leaves alone unless it is
 * declared with {@code adopt: true}.
 */
public final class KafkaStore extends OwnedResourceProvisioner
    implements StreamStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaStore.class);

  private final String name;
  private final Map<String, String> clientProperties;
  private final String bootstrapServers;
  private final Map<String, KafkaTopics.Topic> topics;
  private final String ownershipTopic;
  private final Duration timeout;
  private final NamePrefix prefix;
  private final AtomicBoolean closed = new AtomicBoolean();
  private Admin admin;
  private KafkaProducer<String, String> producer;
  private KafkaConsumer<String, String> consumer;
  private final Map<String, Mark> marks = new HashMap<>();

  KafkaStore(String service, String name, String environment, Map<String, String> clientProperties,
      List<KafkaTopics.Topic> topics, String ownershipTopic, Duration timeout, NamePrefix prefix) {
    super(service, "topic", environment,
        topics.stream().map(KafkaTopics.Topic::declared).toList());
    this.name = requireNonNull(name, "name is null");
    this.clientProperties = Map.copyOf(clientProperties);
    this.bootstrapServers = clientProperties.get("bootstrap.servers");
    Map<String, KafkaTopics.Topic> byName = new LinkedHashMap<>();
    topics.forEach(t -> byName.put(t.name(), t));
    this.topics = byName;
    this.ownershipTopic = requireNonNull(ownershipTopic, "ownershipTopic is null");
    this.timeout = requireNonNull(timeout, "timeout is null");
    this.prefix = requireNonNull(prefix, "prefix is null");
  }

  /**
   * {@inheritDoc} The {@link NamePrefix#topic topic} rule. The ownership ledger topic is shared
   * by all environments on the cluster and keeps its name.
   */
  @Override
  public String topic(String logical) {
    return prefix.topic(logical);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String provider() {
    return KafkaDataStoreProvider.NAME;
  }

  /** {@inheritDoc} Holds the password when one is set: never log it. */
  @Override
  public Map<String, String> clientProperties() {
    return clientProperties;
  }

  /** {@link #clientProperties()} as {@link Properties}, for a producer, consumer or admin. */
  public Properties properties() {
    Properties properties = new Properties();
    properties.putAll(clientProperties);
    return properties;
  }

  /** The admin client, opened on first use and closed with the store. */
  public synchronized Admin admin() {
    if (closed.get()) {
      throw new IllegalStateException("Cannot use data store '" + name + "': it is closed");
    }
    if (admin == null) {
      Properties properties = properties();
      properties.put("request.timeout.ms", Math.toIntExact(timeout.toMillis()));
      properties.put("default.api.timeout.ms", Math.toIntExact(timeout.toMillis()));
      admin = Admin.create(properties);
      LOG.info("Data store '{}': admin client for {}", name, bootstrapServers);
    }
    return admin;
  }

  /**
   * {@inheritDoc} Describes the cluster with the admin client (its id, brokers and controller),
   * within {@code requestTimeout}.
   */
  @Override
  public Optional<String> check() {
    long start = System.nanoTime();
    DescribeClusterResult cluster = admin().describeCluster(
        new DescribeClusterOptions().timeoutMs(Math.toIntExact(timeout.toMillis())));
    String id;
    Collection<Node> nodes;
    Node controller;
    try {
      id = await("describe the cluster", cluster.clusterId());
      nodes = await("describe the cluster", cluster.nodes());
      controller = await("describe the cluster", cluster.controller());
    } catch (OperationStateUnknownException e) {
      throw new ProviderException("Cannot reach data store '" + name + "' (" + bootstrapServers
          + "): no answer within " + timeout, e);
    }
    return Optional.of("kafka: cluster " + id + ", " + nodes.size() + " broker(s) ("
        + nodes.stream().map(n -> n.host() + ":" + n.port()).sorted()
            .collect(java.util.stream.Collectors.joining(", ")) + "), controller "
        + (controller == null || controller.isEmpty() ? "unknown" : controller.id())
        + ", in " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }

  // ------------------------------------------------------------------------------ provisioning

  @Override
  protected boolean exists(String topic) {
    return describe(topic).isPresent();
  }

  @Override
  protected Optional<String> owner(String topic) {
    Optional<TopicDescription> description = describe(topic);
    if (description.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(ledger().get(topic))
        .filter(mark -> mark.topicId().equals(description.get().topicId().toString()))
        .map(Mark::environment);
  }

  @Override
  protected Set<String> ownedByThisEnvironment() {
    Set<String> owned = new TreeSet<>();
    Map<String, Mark> ledger = ledger();
    Set<String> mine = new TreeSet<>();
    ledger.forEach((topic, mark) -> {
      if (mark.environment().equals(environment())) {
        mine.add(topic);
      }
    });
    if (mine.isEmpty()) {
      return owned;
    }
    Map<String, TopicDescription> existing = describeAll(mine);
    for (String topic : mine) {
      TopicDescription d = existing.get(topic);
      if (d != null && d.topicId().toString().equals(ledger.get(topic).topicId())) {
        owned.add(topic);
      }
    }
    return owned;
  }

  @Override
  protected void create(String topic) {
    KafkaTopics.Topic declared = topics.get(topic);
    NewTopic newTopic = new NewTopic(topic, declared.partitions(), declared.replicationFactor())
        .configs(declared.config());
    Uuid id;
    try {
      id = await("create topic " + topic, admin().createTopics(List.of(newTopic)).topicId(topic));
    } catch (ProviderException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return; // Created concurrently: the next plan tells whose it is.
      }
      throw e;
    }
    mark(topic, new Mark(environment(), id.toString()));
  }

  @Override
  protected void adopt(String topic) {
    TopicDescription d = describe(topic).orElseThrow(() -> new ProviderException(
        "Cannot adopt topic " + topic + " of data store '" + name + "': it does not exist"));
    mark(topic, new Mark(environment(), d.topicId().toString()));
  }

  @Override
  protected Optional<String> drift(String topic) {
    KafkaTopics.Topic declared = topics.get(topic);
    if (declared == null) {
      return Optional.empty();
    }
    List<String> differences = new ArrayList<>();
    Optional<TopicDescription> d = describe(topic);
    if (d.isPresent() && declared.partitions().isPresent()
        && declared.partitions().get() > d.get().partitions().size()) {
      differences.add("partitions " + d.get().partitions().size() + " -> "
          + declared.partitions().get());
    }
    if (!declared.config().isEmpty()) {
      Config actual = configs(topic);
      new TreeMap<>(declared.config()).forEach((key, value) -> {
        ConfigEntry entry = actual.get(key);
        String current = entry == null ? null : entry.value();
        if (!value.equals(current)) {
          differences.add(key + " " + current + " -> " + value);
        }
      });
    }
    return differences.isEmpty() ? Optional.empty()
        : Optional.of("update: " + String.join(", ", differences));
  }

  @Override
  protected void update(String topic) {
    KafkaTopics.Topic declared = topics.get(topic);
    Optional<TopicDescription> d = describe(topic);
    if (d.isPresent() && declared.partitions().isPresent()
        && declared.partitions().get() > d.get().partitions().size()) {
      await("add partitions to topic " + topic, admin().createPartitions(
          Map.of(topic, NewPartitions.increaseTo(declared.partitions().get()))).all());
    }
    if (!declared.config().isEmpty()) {
      List<AlterConfigOp> ops = new ArrayList<>();
      declared.config().forEach((key, value) -> ops.add(
          new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
      await("update the configs of topic " + topic, admin().incrementalAlterConfigs(
          Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops)).all());
    }
  }

  @Override
  protected long dataCount(String topic) {
    Optional<TopicDescription> d = describe(topic);
    if (d.isEmpty()) {
      return 0;
    }
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    d.get().partitions().forEach(p -> {
      earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
      latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
    });
    long count = 0;
    var first = await("read the offsets of topic " + topic, admin().listOffsets(earliest).all());
    var last = await("read the offsets of topic " + topic, admin().listOffsets(latest).all());
    for (var e : last.entrySet()) {
      count += e.getValue().offset() - first.get(e.getKey()).offset();
    }
    return count;
  }

  @Override
  protected void delete(String topic) {
    if (exists(topic)) {
      await("delete topic " + topic, admin().deleteTopics(List.of(topic)).all());
    }
    mark(topic, null);
  }

  @Override
  protected String dataUnit() {
    return "record(s)";
  }

  @Override
  protected String describeCreate(String topic) {
    KafkaTopics.Topic t = topics.get(topic);
    List<String> parts = new ArrayList<>();
    t.partitions().ifPresent(p -> parts.add(p + " partition(s)"));
    t.replicationFactor().ifPresent(r -> parts.add("replication factor " + r));
    if (!t.config().isEmpty()) {
      parts.add("config " + new TreeMap<>(t.config()));
    }
    return String.join(", ", parts);
  }

  private Optional<TopicDescription> describe(String topic) {
    return Optional.ofNullable(describeAll(Set.of(topic)).get(topic));
  }

  /** The descriptions of the topics that exist among {@code names}. */
  private Map<String, TopicDescription> describeAll(Collection<String> names) {
    Map<String, TopicDescription> result = new HashMap<>();
    var futures = admin().describeTopics(names).topicNameValues();
    for (var e : futures.entrySet()) {
      try {
        result.put(e.getKey(), e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw failure("describe topic " + e.getKey(), ex.getCause());
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw failure("describe topic " + e.getKey(), ex);
      } catch (TimeoutException ex) {
        throw failure("describe topic " + e.getKey(), ex);
      }
    }
    return result;
  }

  private Config configs(String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return await("read the configs of topic " + topic,
        admin().describeConfigs(List.of(resource)).all()).get(resource);
  }

  // ------------------------------------------------------------------------------ ledger

  /** One ledger entry: the environment owning a topic, and the topic's id. */
  record Mark(String environment, String topicId) {
    String encode() {
      return "environment=" + environment + ";topicId=" + topicId;
    }

    static Optional<Mark> decode(String value) {
      if (value == null || !value.startsWith("environment=") || !value.contains(";topicId=")) {
        return Optional.empty();
      }
      int sep = value.indexOf(";topicId=");
      return Optional.of(new Mark(value.substring("environment=".length(), sep),
          value.substring(sep + ";topicId=".length())));
    }
  }

  /**
   * The ledger: topic name to mark. One consumer, kept open, reads it from its beginning once and
   * then only what was appended since (starting over if the ledger topic was made again).
   */
  private synchronized Map<String, Mark> ledger() {
    if (describe(ownershipTopic).isEmpty()) {
      marks.clear();
      return Map.of();
    }
    TopicPartition partition = new TopicPartition(ownershipTopic, 0);
    try {
      if (consumer == null) {
        Properties properties = properties();
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(properties);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
      }
      long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
      if (consumer.position(partition, timeout) > end) {
        marks.clear();
        consumer.seekToBeginning(List.of(partition));
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (consumer.position(partition, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new ProviderException("Cannot read the ownership topic " + ownershipTopic
              + " of data store '" + name + "': not at its end after " + timeout);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
          Optional<Mark> mark = Mark.decode(r.value());
          if (mark.isPresent()) {
            marks.put(r.key(), mark.get());
          } else {
            marks.remove(r.key());
          }
        }
      }
    } catch (ProviderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure("read the ownership topic " + ownershipTopic, e);
    }
    return Map.copyOf(marks);
  }

  /** Records (or, with null, removes) a topic's owner in the ledger; waits for the broker. */
  private void mark(String topic, Mark mark) {
    if (mark != null && describe(ownershipTopic).isEmpty()) {
      NewTopic ledger = new NewTopic(ownershipTopic, Optional.of(1), Optional.empty())
          .configs(Map.of("cleanup.policy", "compact"));
      try {
        await("create the ownership topic " + ownershipTopic,
            admin().createTopics(List.of(ledger)).all());
      } catch (ProviderException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    await("record the owner of topic " + topic, producer().send(
        new ProducerRecord<>(ownershipTopic, 0, topic, mark == null ? null : mark.encode())));
  }

  private synchronized KafkaProducer<String, String> producer() {
    if (producer == null) {
      Properties properties = properties();
      properties.put(ProducerConfig.ACKS_CONFIG, "all");
      properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
          Math.toIntExact(timeout.toMillis()));
      properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
          Math.toIntExact(Math.min(timeout.toMillis(), 30_000)));
      properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
      producer = new KafkaProducer<>(properties);
    }
    return producer;
  }

  private <T> T await(String what, KafkaFuture<T> future) {
    return await(what, future.toCompletionStage().toCompletableFuture());
  }

  /**
   * Waits for a client call. The admin client's own deadline is {@code timeout} and ends the wait
   * first (a Kafka {@code TimeoutException}); this wait, a second longer, is the backstop for
   * what has no deadline of its own. Either reads as "no answer within {@code timeout}".
   */
  private <T> T await(String what, java.util.concurrent.Future<T> future) {
    try {
      return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unknown(what, e.getCause());
      }
      throw failure(what, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(what, e);
    } catch (TimeoutException e) {
      throw unknown(what, e);
    }
  }

  private OperationStateUnknownException unknown(String what, Throwable cause) {
    return new OperationStateUnknownException("Cannot " + what + " in data store '" + name
        + "' (" + bootstrapServers + "): no answer within " + timeout + "; it may have been"
        + " done: plan again before retrying", cause);
  }

  private ProviderException failure(String what, Throwable cause) {
    return new ProviderException("Cannot " + what + " in data store '" + name + "' ("
        + bootstrapServers + "): " + cause.getMessage(), cause);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (this) {
      if (producer != null) {
        producer.close(Duration.ofSeconds(5));
      }
      if (consumer != null) {
        consumer.close(Duration.ofSeconds(5));
      }
      if (admin != null) {
        admin.close(Duration.ofSeconds(5));
      }
    }
  }

  @Override
  public String toString() {
    return "KafkaStore{name=" + name + ", bootstrapServers=" + bootstrapServers + "}";
  }
}
