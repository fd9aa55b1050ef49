package dev.edx.testkit;

import dev.edx.kafka.broker.KafkaBrokerServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A real Kafka broker in the test JVM: edx-kafka-broker's {@link KafkaBrokerServer} (one node in
 * KRaft mode, broker and controller combined, the broker {@code edx up --with kafka} runs) on a
 * free loopback port, its logs in a temporary folder deleted on close. Internal topics (consumer
 * offsets, transaction state) have one replica, so consumer groups and transactional producers
 * work on it.
 *
 * <p>A test gets the run's broker as a parameter of type {@code KafkaBroker} under {@link
 * EdxTest} (started on first use, stopped when the run ends), or starts one of its own with
 * {@link #start()} and closes it. It needs {@code dev.edx:edx-kafka-broker} on the test class
 * path: the testkit declares it optional, so a user who wants a broker adds it (test scope).
 */
public final class KafkaBroker implements AutoCloseable {
  private final KafkaBrokerServer server;
  private final Path directory;
  private final AtomicBoolean closed = new AtomicBoolean();

  private KafkaBroker(KafkaBrokerServer server, Path directory) {
    this.server = server;
    this.directory = directory;
  }

  /** Starts a broker and waits until it serves. */
  public static KafkaBroker start() {
    Path directory;
    try {
      directory = Files.createTempDirectory("edx-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the test Kafka broker's folder", e);
    }
    try {
      return new KafkaBroker(KafkaBrokerServer.start(KafkaBrokerServer.Config.of(directory)),
          directory);
    } catch (RuntimeException e) {
      delete(directory);
      throw new IllegalStateException("Cannot start the test Kafka broker: " + e.getMessage(), e);
    }
  }

  /** {@code host:port} of the broker, for {@code bootstrap.servers} or a spec. */
  public String bootstrapServers() {
    return server.bootstrapServers();
  }

  /** The properties a plain Kafka client connects with ({@code bootstrap.servers}). */
  public Map<String, Object> clientProperties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("bootstrap.servers", bootstrapServers());
    return properties;
  }

  /** Stops the broker and deletes its logs; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        server.close();
      } finally {
        delete(directory);
      }
    }
  }

  private static void delete(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary folder is harmless; the broker is stopped.
    }
  }

  @Override
  public String toString() {
    return "KafkaBroker{" + bootstrapServers() + "}";
  }
}
