package dev.edx.provider.kafka;

import dev.edx.toolkit.Setting;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of the {@code kafka} data store provider ({@code spec.datastores.NAME}), each
 * declared once: key, type, default, sensitivity and description ({@code
 * docs/providers/kafka.md}).
 */
public final class KafkaProperties {
  private static final Set<String> PROTOCOLS =
      Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  /** {@code host:port[,host:port...]}. Required. */
  public static final Setting<String> BOOTSTRAP_SERVERS = Setting.string("bootstrapServers",
      "The brokers to bootstrap from: host:port[,host:port...].").required();

  /** {@code security.protocol}; the client's default ({@code PLAINTEXT}) when absent. */
  public static final Setting<String> SECURITY_PROTOCOL = Setting.string("securityProtocol",
          "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.")
      .map(s -> s.trim().toUpperCase(Locale.ROOT))
      .check(PROTOCOLS::contains, "must be one of " + new TreeSet<>(PROTOCOLS));

  /** The SASL mechanism used with {@code username} and {@code password}. */
  public static final Setting<String> SASL_MECHANISM = Setting.string("saslMechanism",
          "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, with username and password.")
      .map(s -> s.trim().toUpperCase(Locale.ROOT))
      .check(MECHANISMS::contains, "must be one of " + new TreeSet<>(MECHANISMS))
      .withDefault("PLAIN");

  /** The SASL user; with it, {@code password} is required. */
  public static final Setting<String> USERNAME =
      Setting.string("username", "The SASL user to connect as.");

  /** The SASL password. Sensitive. */
  public static final Setting<String> PASSWORD =
      Setting.string("password", "The SASL user's password.").sensitive();

  /**
   * More client properties, such as {@code ssl.truststore.location}; no secrets (the provider
   * refuses keys that hold one, naming the key and never its value).
   */
  public static final Setting<Map<String, String>> CLIENT_PROPERTIES = Setting.stringMap(
          "clientProperties", "More Kafka client properties (no secrets: use password).")
      .withDefault(Map.of(), "{}");

  /** How long an admin request may take. */
  public static final Setting<Duration> REQUEST_TIMEOUT = Setting.duration("requestTimeout",
          "How long an admin request may take.")
      .check(d -> d.toMillis() >= 1_000, "must be at least 1s")
      .withDefault(Duration.ofSeconds(30), "30s");

  /** The compacted topic recording which environment owns which topic. */
  public static final Setting<String> OWNERSHIP_TOPIC = Setting.string("ownershipTopic",
          "The compacted topic recording which environment owns which topic.")
      .check(KafkaTopics::validName, "is not a valid topic name")
      .withDefault(KafkaTopics.DEFAULT_OWNERSHIP_TOPIC);

  /** Topics apply creates (with partitions and configs), updates and destroy removes. */
  public static final Setting<Object> TOPICS = Setting.any("topics", "Topics apply creates and"
      + " destroy removes: names, or {name, partitions, replicationFactor, config, adopt} maps.");

  private KafkaProperties() {}

  /** Whether a client property holds a secret. */
  static boolean secretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password") || k.contains("jaas") || k.endsWith(".key");
  }
}
