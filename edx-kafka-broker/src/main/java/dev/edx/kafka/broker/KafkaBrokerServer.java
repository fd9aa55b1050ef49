package dev.edx.kafka.broker;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka broker in this JVM: one node in KRaft mode (broker and controller combined, a static
 * quorum of itself), Kafka's own {@code KafkaRaftServer}, bound to 127.0.0.1, its logs and metadata
 * in a folder of its own. The folder is formatted on first use and kept: a broker started again on
 * it has the topics and records of the last. Internal topics (consumer offsets, transaction state)
 * have one replica, so consumer groups and transactional producers work on it.
 *
 * <p>What {@code edx up --with kafka} runs in the platform's process (its data in {@code
 * <dir>/kafka}) and what edx-testkit's {@code KafkaBroker} starts in a test JVM (on a temporary
 * folder). Close it.
 */
public final class KafkaBrokerServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerServer.class);
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final String CONTROLLER = "CONTROLLER";

  private final KafkaRaftServer server;
  private final Config config;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  private KafkaBrokerServer(KafkaRaftServer server, Config config, int port) {
    this.server = server;
    this.config = config;
    this.port = port;
  }

  /**
   * How to run a broker.
   *
   * @param directory its folder (logs and metadata); created, formatted when it is not yet
   * @param port the client port on 127.0.0.1, or 0 for a free one
   * @param properties further broker properties (override the defaults above)
   * @param readyTimeout how long to wait for the broker to serve
   */
  public record Config(Path directory, int port, Map<String, String> properties,
      Duration readyTimeout) {
    public Config {
      requireNonNull(directory, "directory is null");
      requireNonNull(readyTimeout, "readyTimeout is null");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Invalid Kafka broker port " + port
            + ": use 0 (a free port) or 1-65535");
      }
      properties = Map.copyOf(requireNonNull(properties, "properties is null"));
    }

    /** A broker on {@code directory}, on a free port, ready within 60 s. */
    public static Config of(Path directory) {
      return new Config(directory, 0, Map.of(), Duration.ofSeconds(60));
    }

    /** This config with the client port {@code port} (0: a free one). */
    public Config withPort(int port) {
      return new Config(directory, port, properties, readyTimeout);
    }

    /** This config with further broker properties. */
    public Config withProperties(Map<String, String> more) {
      Map<String, String> all = new LinkedHashMap<>(properties);
      all.putAll(more);
      return new Config(directory, port, all, readyTimeout);
    }
  }

  /**
   * Formats {@code config.directory()} unless it already is, starts the broker and waits until a
   * client can reach it.
   *
   * @throws IllegalStateException naming the folder and the port when it cannot start
   */
  public static KafkaBrokerServer start(Config config) {
    requireNonNull(config, "config is null");
    Path dir = config.directory().toAbsolutePath().normalize();
    long begin = System.nanoTime();
    int port = config.port() == 0 ? freePort() : config.port();
    int controllerPort = freePort();
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    props.put("listeners", "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER + "://" + HOST
        + ":" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER
        + ":PLAINTEXT");
    props.put("controller.listener.names", CONTROLLER);
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", dir.resolve("data").toString());
    props.put("metadata.log.dir", dir.resolve("metadata").toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.partitions", "1");
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    props.put("auto.create.topics.enable", "false");
    props.putAll(config.properties());
    try {
      Files.createDirectories(dir);
      Properties properties = new Properties();
      properties.putAll(props);
      KafkaConfig kafkaConfig = KafkaConfig.fromProps(properties, false);
      format(dir);
      KafkaRaftServer server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
      KafkaBrokerServer broker = new KafkaBrokerServer(server, config, port);
      try {
        server.startup();
        broker.awaitReady(config.readyTimeout());
      } catch (RuntimeException | Error e) {
        broker.close();
        throw e;
      }
      LOG.info("Kafka broker on {} ready in {} ms (data in {})", broker.bootstrapServers(),
          (System.nanoTime() - begin) / 1_000_000, dir);
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the Kafka broker in " + dir + ": " + e, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot start the Kafka broker in " + dir + " on port "
          + port + ": " + e.getMessage(), e);
    }
  }

  /** Formats the broker's folders unless they already are (the cluster id is kept). */
  private static void format(Path dir) {
    if (Files.exists(dir.resolve("data").resolve("meta.properties"))
        && Files.exists(dir.resolve("metadata").resolve("meta.properties"))) {
      return;
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      Formatter formatter = new Formatter()
          .setPrintStream(print)
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setIgnoreFormatted(true)
          .setControllerListenerName(CONTROLLER)
          .setMetadataLogDirectory(dir.resolve("metadata").toString())
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
      formatter.addDirectory(dir.resolve("data").toString())
          .addDirectory(dir.resolve("metadata").toString());
      formatter.run();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot format the Kafka broker's folder " + dir + ": "
          + e.getMessage(), e);
    }
    LOG.debug("Kafka storage in {}: {}", dir, output.toString(StandardCharsets.UTF_8).strip());
  }

  private void awaitReady(Duration timeout) {
    Map<String, Object> client = new LinkedHashMap<>();
    client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    client.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    client.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    try (Admin admin = Admin.create(client)) {
      while (System.nanoTime() < deadline) {
        try {
          if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        } catch (Exception e) {
          last = e;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
      }
    }
    throw new IllegalStateException("not ready after " + timeout.toSeconds() + " s"
        + (last == null ? "" : " (" + last + ")"));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
    }
  }

  /** {@code host:port} of the broker, for {@code bootstrap.servers} or a spec. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** The client port. */
  public int port() {
    return port;
  }

  /** The broker's folder. */
  public Path directory() {
    return config.directory();
  }

  /** Stops the broker (its data stays in its folder); idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.shutdown();
      server.awaitShutdown();
      LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }
  }

  @Override
  public String toString() {
    return "KafkaBrokerServer{" + bootstrapServers() + ", " + config.directory() + "}";
  }
}
