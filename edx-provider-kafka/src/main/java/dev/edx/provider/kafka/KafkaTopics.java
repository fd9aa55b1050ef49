package dev.edx.provider.kafka;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.NamePrefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The topics a spec declares, read once from {@code topics}. */
final class KafkaTopics {
  static final String DEFAULT_OWNERSHIP_TOPIC = "__edx_ownership";
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Set<String> KEYS =
      Set.of("name", "adopt", "partitions", "replicationFactor", "config");

  private KafkaTopics() {}

  /** One declared topic. */
  record Topic(String name, boolean adopt, Optional<Integer> partitions,
      Optional<Short> replicationFactor, Map<String, String> config) {
    Topic {
      requireNonNull(name, "name is null");
      requireNonNull(partitions, "partitions is null");
      requireNonNull(replicationFactor, "replicationFactor is null");
      config = Map.copyOf(config);
    }

    DeclaredResource declared() {
      return new DeclaredResource(name, adopt);
    }

    Topic named(String physical) {
      return new Topic(physical, adopt, partitions, replicationFactor, config);
    }
  }

  static boolean validName(String name) {
    return NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
  }

  private static void requireValid(String name) {
    if (!validName(name)) {
      throw new IllegalArgumentException("a topic name is letters, digits, '.', '_' or '-' (at"
          + " most 249)");
    }
  }

  /**
   * Reads {@code topics}, each with its physical name ({@link NamePrefix#topic}); each error names
   * the entry and its line.
   */
  static List<Topic> parse(ServiceSpec spec, String key, NamePrefix prefix) {
    Object raw = spec.get(key).orElse(List.of());
    if (!(raw instanceof List<?> list)) {
      throw spec.error(key, "must be a list of topic names or {name, partitions,"
          + " replicationFactor, config, adopt} maps");
    }
    List<Topic> topics = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = key + "[" + i + "]";
      Object item = list.get(i);
      Topic topic;
      if (item instanceof String name) {
        topic = new Topic(name, false, Optional.empty(), Optional.empty(), Map.of());
      } else if (item instanceof Map<?, ?> map) {
        for (Object k : map.keySet()) {
          if (!KEYS.contains(k.toString())) {
            throw spec.error(path + "." + k, "unknown key; a topic entry takes "
                + new java.util.TreeSet<>(KEYS));
          }
        }
        if (!(map.get("name") instanceof String name)) {
          throw spec.error(path + ".name", "is required: the topic's name");
        }
        Object adopt = map.get("adopt");
        if (adopt != null && !(adopt instanceof Boolean)) {
          throw spec.error(path + ".adopt", "must be true or false");
        }
        Optional<Integer> partitions = positive(spec, path + ".partitions", map.get("partitions"),
            Integer.MAX_VALUE).map(Long::intValue);
        Optional<Short> replication = positive(spec, path + ".replicationFactor",
            map.get("replicationFactor"), Short.MAX_VALUE).map(Long::shortValue);
        Map<String, String> config = new LinkedHashMap<>();
        Object rawConfig = map.get("config");
        if (rawConfig != null) {
          if (!(rawConfig instanceof Map<?, ?> configMap)) {
            throw spec.error(path + ".config", "must be a map of topic configs to values, such"
                + " as {retention.ms: \"604800000\"}");
          }
          for (Map.Entry<?, ?> e : configMap.entrySet()) {
            if (e.getValue() instanceof Map || e.getValue() instanceof List
                || e.getValue() == null) {
              throw spec.error(path + ".config." + e.getKey(), "must be a single value");
            }
            config.put(e.getKey().toString(), e.getValue().toString());
          }
        }
        topic = new Topic(name, Boolean.TRUE.equals(adopt), partitions, replication, config);
      } else {
        throw spec.error(path, "must be a topic name or a {name, partitions, replicationFactor,"
            + " config, adopt} map");
      }
      if (!validName(topic.name())) {
        throw spec.error(path, "'" + topic.name() + "' is not a valid topic name: use letters,"
            + " digits, '.', '_' or '-' (at most 249)");
      }
      if (!seen.add(topic.name())) {
        throw spec.error(path, "topic '" + topic.name() + "' is listed twice");
      }
      topics.add(topic.named(prefix.check(spec, path, "topic", prefix.topic(topic.name()),
          KafkaTopics::requireValid)));
    }
    return List.copyOf(topics);
  }

  private static Optional<Long> positive(ServiceSpec spec, String path, Object value, long max) {
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Number n) || n.longValue() != n.doubleValue() || n.longValue() < 1
        || n.longValue() > max) {
      throw spec.error(path, "must be a whole number from 1 to " + max);
    }
    return Optional.of(n.longValue());
  }
}
