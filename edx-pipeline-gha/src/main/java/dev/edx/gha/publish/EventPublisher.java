package dev.edx.gha.publish;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edx.api.Environment;
import dev.edx.api.ObjectInfo;
import dev.edx.api.StreamStore;
import dev.edx.gha.Hour;
import dev.edx.gha.Results;
import dev.edx.gha.tables.DuckDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the events of lake hours to a Kafka topic, keyed by repository ({@code repo.name}), one
 * JSON object per event (the lake's columns; {@code payload} and {@code other} as JSON), through
 * any {@link StreamStore}'s client properties ({@code edx-api}), with plain kafka-clients.
 *
 * <p>The guarantee: a consumer that reads committed data ({@code isolation.level=read_committed})
 * sees each hour's events exactly once, however often publish runs, even when a run dies half way.
 * How: each hour is one Kafka transaction, whose producer has the hour's own {@code
 * transactional.id} ({@code edx-gha-publish.TOPIC.HOUR}, so the producer is idempotent as well),
 * and which commits, with the events, a marker record (key {@code TOPIC/HOUR}) on a compacted
 * marker topic. Before sending, the producer's {@code initTransactions()} completes or aborts
 * whatever an earlier producer of that hour left open, and fences it off; the marker topic is then
 * read (committed data only) and an hour already marked is skipped. So a run that died before its
 * commit left nothing a committed reader sees, a run that committed left the marker, and two runs
 * of one hour at once cannot both commit (the later {@code initTransactions()} fences the earlier).
 *
 * <p>The limits: a consumer with {@code read_uncommitted} (Kafka's default) sees the records of
 * aborted attempts too; the marker topic is the record of what was published, so deleting it (or
 * its records) publishes hours again; an hour is one transaction, so it must fit in the broker's
 * {@code transaction.max.timeout.ms} (the producer asks for {@value #TRANSACTION_TIMEOUT_MS} ms);
 * an event larger than the broker's {@code message.max.bytes} fails its hour (nothing of it is
 * committed); and an hour whose lake Parquet changed after it was published is not sent again
 * ({@code --force}, which sends the hour again whole, is what re-publishes it, and a reader then
 * sees it twice).
 */
public final class EventPublisher {
  static final int TRANSACTION_TIMEOUT_MS = 900_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** What publishing one hour did: {@code published}, {@code already-published}, {@code absent}. */
  public record HourPublished(String hour, String status, long events, String message) {}

  /** The marker of a published hour. */
  record Marker(String topic, String hour, long events, String publishedAt) {}

  private final Environment env;
  private final Consumer<String> log;

  public EventPublisher(Environment env, Consumer<String> log) {
    this.env = requireNonNull(env, "env is null");
    this.log = requireNonNull(log, "log is null");
  }

  /** The {@code transactional.id} of an hour's producer. */
  public static String transactionalId(String topic, Hour hour) {
    return "edx-gha-publish." + topic + "." + hour;
  }

  /** The marker record's key of an hour. */
  static String markerKey(String topic, Hour hour) {
    return topic + "/" + hour;
  }

  /**
   * Publishes {@code hours} of {@code lakeBucket} to topic {@code logicalTopic} of data store
   * {@code storeName}, recording each hour in {@code logicalMarkerTopic}; both topics are logical:
   * the store maps them to their physical names ({@link StreamStore#topic}, {@code
   * pr42.gha.events} in an environment with {@code metadata.namePrefix: pr42}), which the records,
   * the markers and the transactional ids use. {@code force} sends hours already marked as
   * published again.
   */
  public List<HourPublished> publish(String storeName, String logicalTopic,
      String logicalMarkerTopic, String lakeBucket, List<Hour> hours, boolean force)
      throws IOException, SQLException {
    StreamStore store = env.datastore(storeName, StreamStore.class);
    String topic = store.topic(logicalTopic);
    String markerTopic = store.topic(logicalMarkerTopic);
    Map<String, String> client = store.clientProperties();
    try (Admin admin = Admin.create(properties(client))) {
      requireTopic(admin, storeName, topic, logicalTopic);
      ensureMarkerTopic(admin, markerTopic);
    }
    List<HourPublished> results = new ArrayList<>();
    for (Hour hour : hours) {
      List<ObjectInfo> files;
      try (Stream<ObjectInfo> list = env.storage().list(lakeBucket, hour.lakePrefix())) {
        files = list.filter(i -> i.ref().key().endsWith(".parquet"))
            .sorted(Comparator.comparing(i -> i.ref().key())).collect(Collectors.toList());
      }
      HourPublished result = files.isEmpty()
          ? new HourPublished(hour.toString(), "absent", 0, "no Parquet under " + lakeBucket
              + "/" + hour.lakePrefix() + ": convert the hour first")
          : publishHour(client, topic, markerTopic, hour, files, force);
      log.accept(String.format("  publish %s %-17s %8d events%s", result.hour(),
          result.status(), result.events(), result.message().isEmpty() ? ""
              : "  " + result.message()));
      results.add(result);
    }
    return results;
  }

  private HourPublished publishHour(Map<String, String> client, String topic, String markerTopic,
      Hour hour, List<ObjectInfo> files, boolean force) throws IOException, SQLException {
    Properties p = properties(client);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(topic, hour));
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    Path dir = Files.createTempDirectory("edx-publish-");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      // Completes or aborts what an earlier producer of this hour left open, and fences it.
      producer.initTransactions();
      Optional<Marker> marker = marker(client, markerTopic, markerKey(topic, hour));
      if (marker.isPresent() && !force) {
        return new HourPublished(hour.toString(), "already-published", marker.get().events(),
            "at " + marker.get().publishedAt());
      }
      producer.beginTransaction();
      AtomicReference<Exception> failure = new AtomicReference<>();
      long events = 0;
      try (Connection duck = DuckDb.open(true); Statement s = duck.createStatement()) {
        List<Path> staged = DuckDb.stage(env.storage(), files, dir);
        String source = "(SELECT * REPLACE (json(payload) AS payload, json(other) AS other) FROM "
            + DuckDb.readParquet(staged) + ")";
        try (ResultSet rs = s.executeQuery("SELECT e.repo.name, CAST(to_json(e) AS VARCHAR)"
            + " FROM " + source + " e")) {
          while (rs.next() && failure.get() == null) {
            producer.send(new ProducerRecord<>(topic, rs.getString(1), rs.getString(2)),
                (metadata, e) -> {
                  if (e != null) {
                    failure.compareAndSet(null, e);
                  }
                });
            events++;
          }
        }
        Marker mark = new Marker(topic, hour.toString(), events, Instant.now().toString());
        producer.send(new ProducerRecord<>(markerTopic, 0, markerKey(topic, hour),
            Results.JSON.writeValueAsString(mark)));
        producer.flush();
        if (failure.get() != null) {
          throw new KafkaException("Cannot send an event of hour " + hour + " to topic " + topic
              + ": " + failure.get().getMessage(), failure.get());
        }
        producer.commitTransaction();
      } catch (ProducerFencedException e) {
        throw new IllegalStateException("Cannot publish hour " + hour + " to topic " + topic
            + ": another run of the same hour took over (its producer fenced this one); nothing"
            + " of this run is committed", e);
      } catch (SQLException | IOException | RuntimeException e) {
        try {
          producer.abortTransaction();
        } catch (RuntimeException abort) {
          e.addSuppressed(abort);
        }
        throw e;
      }
      return new HourPublished(hour.toString(), "published", events,
          marker.isPresent() ? "again (--force)" : "");
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** The committed marker of {@code key}, read from the marker topic's start to its end. */
  Optional<Marker> marker(Map<String, String> client, String markerTopic, String key)
      throws IOException {
    Properties p = properties(client);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    TopicPartition partition = new TopicPartition(markerTopic, 0);
    String value = null;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (consumer.position(partition, TIMEOUT) < end) {
        if (System.nanoTime() > deadline) {
          throw new IOException("Cannot read the marker topic " + markerTopic + ": not at its"
              + " end (" + end + ") after " + TIMEOUT);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (key.equals(r.key())) {
            value = r.value();
          }
        }
      }
    }
    if (value == null) {
      return Optional.empty();
    }
    JsonNode node = Results.JSON.readTree(value);
    return Optional.of(new Marker(node.path("topic").asText(), node.path("hour").asText(),
        node.path("events").asLong(), node.path("publishedAt").asText()));
  }

  private static void requireTopic(Admin admin, String store, String topic, String logical) {
    try {
      admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalArgumentException("Cannot publish to topic " + topic + " of data store '"
            + store + "'" + (logical.equals(topic) ? "" : " (topic " + logical + " of this"
                + " environment's name prefix)") + ": it does not exist; declare it"
            + " (spec.datastores." + store + ".topics: [{name: " + logical + ", partitions: N}])"
            + " and run edx env apply");
      }
      throw new IllegalStateException("Cannot describe topic " + topic + " of data store '"
          + store + "': " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Cannot reach data store '" + store + "': no answer"
          + " within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  /** The marker topic: compacted, one partition; made when missing. */
  private static void ensureMarkerTopic(Admin admin, String markerTopic) {
    NewTopic topic = new NewTopic(markerTopic, Optional.of(1), Optional.empty())
        .configs(Map.of("cleanup.policy", "compact"));
    try {
      admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Cannot create the marker topic " + markerTopic + ": "
            + e.getCause().getMessage(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("Cannot create the marker topic " + markerTopic
          + ": no answer within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  private static Properties properties(Map<String, String> client) {
    Properties p = new Properties();
    p.putAll(new LinkedHashMap<>(client));
    return p;
  }
}
