package dev.edx.provider.minio;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edx.api.ObjectRef;
import dev.edx.api.spi.ServiceSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One declared bucket and the settings the provisioner manages. An absent setting is left as the
 * store has it; a present one is made so, on buckets this environment owns.
 *
 * @param name the bucket's name
 * @param adopt whether edx may take over the bucket when it exists but edx did not create it
 * @param versioning {@code true} enables versioning, {@code false} suspends it
 * @param policy the bucket policy, a JSON document
 * @param lifecycle the expiry rule
 */
record BucketSpec(String name, boolean adopt, Optional<Boolean> versioning,
    Optional<String> policy, Optional<Lifecycle> lifecycle) {
  /** Keys of one bucket's map in {@link MinioProperties#BUCKETS}. */
  static final String NAME = "name";
  /** Take over the bucket when it exists but edx did not create it. */
  static final String ADOPT = "adopt";
  static final String VERSIONING = "versioning";
  static final String POLICY = "policy";
  static final String LIFECYCLE = "lifecycle";
  /** Keys of a bucket's {@link #LIFECYCLE} map. */
  static final String EXPIRE_DAYS = "expireDays";
  static final String PREFIX = "prefix";

  private static final ObjectMapper JSON = new ObjectMapper();

  BucketSpec {
    requireNonNull(name, "name is null");
    requireNonNull(versioning, "versioning is null");
    requireNonNull(policy, "policy is null");
    requireNonNull(lifecycle, "lifecycle is null");
  }

  static BucketSpec named(String name) {
    return new BucketSpec(name, false, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Whether the spec manages any setting of the bucket besides its existence. */
  boolean hasSettings() {
    return versioning.isPresent() || policy.isPresent() || lifecycle.isPresent();
  }

  /**
   * Objects under {@code prefix} expire {@code expireDays} days after they were written. edx
   * manages one rule per bucket, with the id {@link #RULE_ID}.
   */
  record Lifecycle(int expireDays, String prefix) {
    static final String RULE_ID = "edx-expire";

    Lifecycle {
      requireNonNull(prefix, "prefix is null");
      if (expireDays < 1) {
        throw new IllegalArgumentException("expireDays must be at least 1, not " + expireDays);
      }
    }

    @Override
    public String toString() {
      return "expire after " + expireDays + " days"
          + (prefix.isEmpty() ? "" : " under '" + prefix + "'");
    }
  }

  /** A JSON document, or empty when {@code text} is not JSON. */
  static Optional<JsonNode> parseJson(String text) {
    try {
      return Optional.ofNullable(JSON.readTree(text));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  // ------------------------------------------------------- the reader of MinioProperties.BUCKETS

  /**
   * Reads the buckets of {@code key}: names, or maps of settings. Each error names the nested key
   * ({@code spec.storage.buckets[1].lifecycle.expireDays}). Empty when the key is absent.
   */
  static Optional<List<BucketSpec>> readList(ServiceSpec spec, String key) {
    if (!spec.has(key)) {
      return Optional.empty();
    }
    Object raw = spec.get(key).orElse(List.of());
    List<?> items = raw instanceof List<?> list ? list : List.of(raw);
    List<BucketSpec> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String path = key + "[" + i + "]";
      Object item = items.get(i);
      BucketSpec bucket;
      if (item instanceof String name) {
        bucket = named(bucketName(spec, path, name));
      } else if (item instanceof Map<?, ?> map) {
        bucket = read(spec, path, map);
      } else {
        throw spec.error(path, "must be a bucket name or a map with 'name' and its settings");
      }
      if (!seen.add(bucket.name())) {
        throw spec.error(path, "bucket '" + bucket.name() + "' is listed twice");
      }
      result.add(bucket);
    }
    return Optional.of(List.copyOf(result));
  }

  private static BucketSpec read(ServiceSpec spec, String key, Map<?, ?> map) {
    requireOnly(spec, key, map, List.of(NAME, ADOPT, VERSIONING, POLICY, LIFECYCLE));
    Object name = map.get(NAME);
    if (!(name instanceof String s)) {
      throw spec.error(key + "." + NAME, "is required: the bucket's name");
    }
    String bucket = bucketName(spec, key + "." + NAME, s);
    Object adopt = map.get(ADOPT);
    if (adopt != null && !(adopt instanceof Boolean)) {
      throw spec.error(key + "." + ADOPT, "must be true or false");
    }
    return new BucketSpec(bucket, Boolean.TRUE.equals(adopt), versioning(spec, key, map),
        policy(spec, key, map), lifecycle(spec, key, map));
  }

  private static Optional<Boolean> versioning(ServiceSpec spec, String key, Map<?, ?> map) {
    Object v = map.get(VERSIONING);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Boolean b) {
      return Optional.of(b);
    }
    if (v instanceof String t && (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false"))) {
      return Optional.of(Boolean.parseBoolean(t));
    }
    throw spec.error(key + "." + VERSIONING, "must be true (enable) or false (suspend)");
  }

  private static Optional<String> policy(ServiceSpec spec, String key, Map<?, ?> map) {
    Object p = map.get(POLICY);
    if (p == null) {
      return Optional.empty();
    }
    String policyKey = key + "." + POLICY;
    if (!(p instanceof String text)) {
      throw spec.error(policyKey, "must be a JSON policy document, as a string");
    }
    JsonNode node = parseJson(text).filter(JsonNode::isObject).orElseThrow(() ->
        spec.error(policyKey, "must be a JSON policy document ({\"Version\": ...,"
            + " \"Statement\": [...]}); it is not a JSON object"));
    return Optional.of(node.toString());
  }

  private static Optional<Lifecycle> lifecycle(ServiceSpec spec, String key, Map<?, ?> map) {
    Object l = map.get(LIFECYCLE);
    if (l == null) {
      return Optional.empty();
    }
    String lifecycleKey = key + "." + LIFECYCLE;
    if (!(l instanceof Map<?, ?> rule)) {
      throw spec.error(lifecycleKey, "must be a map: {expireDays: N, prefix: ...}");
    }
    requireOnly(spec, lifecycleKey, rule, List.of(EXPIRE_DAYS, PREFIX));
    Object days = rule.get(EXPIRE_DAYS);
    String daysKey = lifecycleKey + "." + EXPIRE_DAYS;
    int expireDays;
    try {
      expireDays = days instanceof Number n ? Math.toIntExact(n.longValue())
          : Integer.parseInt(String.valueOf(days).trim());
    } catch (NumberFormatException | ArithmeticException e) {
      throw spec.error(daysKey, "is required: a whole number of days of at least 1", e);
    }
    if (expireDays < 1) {
      throw spec.error(daysKey, "must be at least 1, not " + expireDays);
    }
    Object prefix = rule.get(PREFIX);
    if (prefix != null && !(prefix instanceof String)) {
      throw spec.error(lifecycleKey + "." + PREFIX,
          "must be a string, the key prefix the rule applies to");
    }
    return Optional.of(new Lifecycle(expireDays, prefix == null ? "" : (String) prefix));
  }

  private static void requireOnly(ServiceSpec spec, String key, Map<?, ?> map,
      Collection<String> known) {
    for (Object k : map.keySet()) {
      if (!known.contains(String.valueOf(k))) {
        throw spec.error(key + "." + k, "is not a bucket setting; known settings: " + known);
      }
    }
  }

  private static String bucketName(ServiceSpec spec, String key, String name) {
    try {
      ObjectRef.of(name, "-"); // the API's bucket naming rule
    } catch (IllegalArgumentException e) {
      throw spec.error(key, e.getMessage(), e);
    }
    return name;
  }
}
