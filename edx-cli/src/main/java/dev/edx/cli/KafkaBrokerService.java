package dev.edx.cli;

import dev.edx.embedded.PlatformService;
import dev.edx.kafka.broker.KafkaBrokerServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platform's Kafka broker ({@code edx up --with kafka}): edx-kafka-broker's {@link
 * KafkaBrokerServer}, one KRaft node on 127.0.0.1, its logs and metadata in {@code <dir>/kafka}
 * (kept across restarts), on a free port chosen at each start. An optional service of the
 * platform (registered as a {@link PlatformService.Factory}): it starts only when the data
 * directory asks for it. Its section of {@code platform.json}: {@code kafka} ({@code
 * bootstrapServers}, {@code directory}); the platform's {@code environment.yaml} declares it as
 * the data store {@code events} (provider {@code kafka}) with the topic {@code gha.events}, so
 * {@code edx doctor} checks it and {@code edx gha publish --store events} sends to it.
 */
final class KafkaBrokerService implements PlatformService {
  static final String NAME = "kafka";
  /** The name of the data store the platform's spec declares on the broker. */
  static final String STORE = "events";
  /** The topic the spec declares (what {@code edx gha publish} sends to by default). */
  static final String TOPIC = "gha.events";
  static final int PARTITIONS = 3;

  private final KafkaBrokerServer server;

  private KafkaBrokerService(KafkaBrokerServer server) {
    this.server = server;
  }

  /** The factory {@code META-INF/services} names. */
  public static final class Factory implements PlatformService.Factory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public boolean optional() {
      return true;
    }

    /** The broker needs neither PostgreSQL nor the Hive Metastore: it starts beside them. */
    @Override
    public boolean independent() {
      return true;
    }

    @Override
    public String description() {
      return "a Kafka broker (KRaft, in the platform's JVM), declared as the data store '"
          + STORE + "'";
    }

    @Override
    public PlatformService start(Context context) {
      Path directory = context.directory().resolve(NAME);
      return new KafkaBrokerService(KafkaBrokerServer.start(
          KafkaBrokerServer.Config.of(directory)));
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> contract() {
    Map<String, Object> contract = new LinkedHashMap<>();
    contract.put("bootstrapServers", server.bootstrapServers());
    contract.put("directory", server.directory().toString());
    return contract;
  }

  @Override
  public Map<String, String> datastoreSpecs() {
    return Map.of(STORE, "provider: kafka, bootstrapServers: \"" + server.bootstrapServers()
        + "\", topics: [{name: " + TOPIC + ", partitions: " + PARTITIONS + "}]");
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "KafkaBrokerService{" + server.bootstrapServers() + "}";
  }
}
