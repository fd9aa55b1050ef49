package dev.edx.api.spi;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.ConfigurationException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service's section of an environment spec ({@code spec.storage}, ...), with every {@code
 * ${...}} reference already resolved, and where each key came from. A provider reads it once into
 * its own typed settings with the typed getters below; each failure is a {@link
 * ConfigurationException} naming the key, the source and the line, and saying what is expected.
 *
 * <p>Values are strings, booleans, numbers, lists and maps, as YAML and JSON give them. Values of
 * sensitive keys (a provider's {@link ServiceProvider#sensitivePropertyNames()}, and any value that
 * came from a {@code ${secret:}} or {@code ${file:}} reference) are masked in {@link #toString()}.
 * Immutable and thread safe.
 */
public final class ServiceSpec {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final String service;
  private final String provider;
  private final String source;
  private final Map<String, Object> properties;
  private final Map<String, Integer> lines;
  private final Map<String, String> keySources;
  private final Set<String> sensitive;

  private ServiceSpec(Builder builder) {
    this.service = builder.service;
    this.provider = builder.provider;
    this.source = builder.source;
    this.properties = deepCopy(builder.properties);
    this.lines = Map.copyOf(builder.lines);
    this.keySources = Map.copyOf(builder.keySources);
    this.sensitive = Set.copyOf(builder.sensitive);
  }

  /** A spec for a service (storage, compute, metastore or secrets) and a provider name. */
  public static Builder builder(String service, String provider) {
    return new Builder(service, provider);
  }

  /** This spec with more keys marked sensitive (a provider's {@code sensitivePropertyNames}). */
  public ServiceSpec withSensitive(Collection<String> keys) {
    Builder builder = toBuilder();
    builder.sensitive.addAll(keys);
    return builder.build();
  }

  public Builder toBuilder() {
    Builder builder = new Builder(service, provider);
    builder.source = source;
    builder.properties.putAll(properties);
    builder.lines.putAll(lines);
    builder.keySources.putAll(keySources);
    builder.sensitive.addAll(sensitive);
    return builder;
  }

  /** {@code storage}, {@code compute}, {@code metastore} or {@code secrets}. */
  public String service() {
    return service;
  }

  public String provider() {
    return provider;
  }

  /** Where the spec came from: a file path, or a description such as {@code <embedded>}. */
  public String source() {
    return source;
  }

  /** The keys present, besides {@code provider}. */
  public Set<String> keys() {
    return properties.keySet();
  }

  public boolean has(String key) {
    return properties.containsKey(key);
  }

  /** The raw value: a String, Boolean, Number, List or Map. */
  public Optional<Object> get(String key) {
    return Optional.ofNullable(properties.get(key));
  }

  /** All properties, raw. Values of sensitive keys are included unmasked: do not log. */
  public Map<String, Object> properties() {
    return properties;
  }

  public boolean isSensitive(String key) {
    return sensitive.contains(key);
  }

  /**
   * Fails on any key not in {@code known}, naming it, its line, and the keys this provider knows.
   */
  public void requireOnlyKeys(Collection<String> known) {
    for (String key : properties.keySet()) {
      if (!known.contains(key)) {
        throw error(key, "is not a setting of the '" + provider + "' " + service
            + " provider; known settings: " + new TreeSet<>(known) + suggestion(key, known));
      }
    }
  }

  /**
   * Checks this section against a provider's declared settings: unknown keys (with a suggestion),
   * missing required ones and values of the wrong type, each naming the key and its line.
   */
  public void validate(List<PropertyDescriptor> properties) {
    Map<String, PropertyDescriptor> byName = new LinkedHashMap<>();
    properties.forEach(p -> byName.put(p.name(), p));
    requireOnlyKeys(byName.keySet());
    for (PropertyDescriptor p : properties) {
      if (!has(p.name())) {
        if (p.required()) {
          throw error(p.name(), "is required and missing; add it to " + path("") + " ("
              + p.description() + ")");
        }
        continue;
      }
      switch (p.type()) {
        case STRING -> requireString(p.name());
        case INTEGER -> getLong(p.name());
        case BOOLEAN -> getBoolean(p.name(), false);
        case DURATION -> getDuration(p.name());
        case STRING_LIST -> getStringList(p.name());
        case STRING_MAP -> getStringMap(p.name());
        case RESOURCE_LIST -> DeclaredResource.parseList(this, p.name(), "resource", n -> { });
        case ANY -> { }
        default -> throw new IllegalStateException("unknown type " + p.type());
      }
    }
  }

  public Optional<String> getString(String key) {
    Object value = properties.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String s) {
      return Optional.of(s);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return Optional.of(value.toString());
    }
    throw error(key, "must be a string, not " + describe(value));
  }

  public String getString(String key, String defaultValue) {
    return getString(key).orElse(defaultValue);
  }

  public String requireString(String key) {
    return getString(key).filter(s -> !s.isBlank())
        .orElseThrow(() -> error(key, "is required and missing; add it to " + path("") ));
  }

  public Optional<Long> getLong(String key) {
    Object value = properties.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Integer || value instanceof Long) {
      return Optional.of(((Number) value).longValue());
    }
    if (value instanceof String s) {
      try {
        return Optional.of(Long.parseLong(s.trim()));
      } catch (NumberFormatException e) {
        throw error(key, "must be a whole number, not '" + mask(key, s) + "'");
      }
    }
    throw error(key, "must be a whole number, not " + describe(value));
  }

  public int getInt(String key, int defaultValue) {
    long value = getLong(key).orElse((long) defaultValue);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw error(key, "is out of range: " + value);
    }
    return (int) value;
  }

  /** A whole number of at least {@code min}. */
  public int getInt(String key, int defaultValue, int min) {
    int value = getInt(key, defaultValue);
    if (value < min) {
      throw error(key, "must be at least " + min + ", not " + value);
    }
    return value;
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    Object value = properties.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw error(key, "must be true or false, not " + describe(value));
  }

  /** A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601. */
  public Optional<Duration> getDuration(String key) {
    Optional<String> text = getString(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String s = text.get().trim();
    Matcher m = DURATION.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return Optional.of(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      });
    }
    try {
      return Optional.of(Duration.parse(s));
    } catch (DateTimeParseException e) {
      throw error(key, "must be a duration such as 30s, 5m, 2h or PT5M, not '" + s + "'");
    }
  }

  /** A list of strings; a single string counts as a list of one. Empty when absent. */
  public List<String> getStringList(String key) {
    Object value = properties.get(key);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof List<?> list) {
      List<String> result = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        Object item = list.get(i);
        if (item instanceof String || item instanceof Number || item instanceof Boolean) {
          result.add(item.toString());
        } else {
          throw error(key + "[" + i + "]", "must be a string, not " + describe(item));
        }
      }
      return List.copyOf(result);
    }
    throw error(key, "must be a list of strings, not " + describe(value));
  }

  /** A map of string to string. Empty when absent. */
  public Map<String, String> getStringMap(String key) {
    Object value = properties.get(key);
    if (value == null) {
      return Map.of();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, String> result = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object v = e.getValue();
        if (v instanceof Map || v instanceof List || v == null) {
          throw error(key + "." + e.getKey(), "must be a string, not " + describe(v));
        }
        result.put(e.getKey().toString(), v.toString());
      }
      return Map.copyOf(result);
    }
    throw error(key, "must be a map of names to strings, not " + describe(value));
  }

  /** The 1-based line of a key ({@code endpoint}, {@code buckets[1]}), or -1 when unknown. */
  public int line(String key) {
    Integer line = lines.get(key);
    if (line == null && key.contains("[")) {
      line = lines.get(key.substring(0, key.indexOf('[')));
    }
    if (line == null && key.contains(".")) {
      line = lines.get(key.substring(0, key.indexOf('.')));
    }
    return line == null ? -1 : line;
  }

  /** The file a key came from: a base spec's for keys it inherited, else {@link #source()}. */
  public String source(String key) {
    String found = keySources.get(key);
    if (found == null && key.contains("[")) {
      found = keySources.get(key.substring(0, key.indexOf('[')));
    }
    if (found == null && key.contains(".")) {
      found = keySources.get(key.substring(0, key.indexOf('.')));
    }
    return found == null ? source : found;
  }

  /** The key's full path in the spec: {@code spec.storage.endpoint}. */
  public String path(String key) {
    return key.isEmpty() ? "spec." + service : "spec." + service + "." + key;
  }

  /**
   * A {@link ConfigurationException} about a key: "Invalid spec.storage.endpoint (dev.yaml line
   * 7): &lt;problem&gt;". The problem must not contain a sensitive value.
   */
  public ConfigurationException error(String key, String problem) {
    return error(key, problem, null);
  }

  public ConfigurationException error(String key, String problem, Throwable cause) {
    int line = line(key);
    String from = source(key);
    String where = line > 0 ? " (" + from + " line " + line + ")" : " (" + from + ")";
    return new ConfigurationException(path(key), line,
        "Invalid " + path(key) + where + ": " + problem, cause);
  }

  private String mask(String key, String value) {
    return sensitive.contains(key) ? "****" : value;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof Map) {
      return "a map";
    }
    if (value instanceof List) {
      return "a list";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Number) {
      return "a number";
    }
    return "a string";
  }

  private static String suggestion(String key, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(key.toLowerCase(java.util.Locale.ROOT),
          candidate.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 3)
        ? "; did you mean '" + best + "'?" : "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : map.entrySet()) {
      copy.put(e.getKey(), deepCopyValue(e.getValue()));
    }
    return java.util.Collections.unmodifiableMap(copy);
  }

  @SuppressWarnings("unchecked")
  private static Object deepCopyValue(Object value) {
    if (value instanceof Map<?, ?> m) {
      return deepCopy((Map<String, Object>) m);
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      for (Object item : l) {
        copy.add(deepCopyValue(item));
      }
      return java.util.Collections.unmodifiableList(copy);
    }
    return value;
  }

  /** {@code minio storage {endpoint=http://..., secretKey=****}}: sensitive values masked. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(provider).append(' ').append(service).append(" {");
    String sep = "";
    for (Map.Entry<String, Object> e : properties.entrySet()) {
      sb.append(sep).append(e.getKey()).append('=')
          .append(sensitive.contains(e.getKey()) ? "****" : e.getValue());
      sep = ", ";
    }
    return sb.append('}').toString();
  }

  /** Builds a {@link ServiceSpec}; used by edx-core's parser and by tests. */
  public static final class Builder {
    private final String service;
    private final String provider;
    private String source = "<inline>";
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final Map<String, Integer> lines = new LinkedHashMap<>();
    private final Map<String, String> keySources = new LinkedHashMap<>();
    private final Set<String> sensitive = new HashSet<>();

    private Builder(String service, String provider) {
      this.service = requireNonNull(service, "service is null");
      this.provider = requireNonNull(provider, "provider is null");
    }

    public Builder setSource(String source) {
      this.source = requireNonNull(source, "source is null");
      return this;
    }

    /** Sets a value: a String, Boolean, Number, List or Map of those. */
    public Builder set(String key, Object value) {
      requireNonNull(key, "key is null");
      requireNonNull(value, "value of " + key + " is null");
      properties.put(key, value);
      return this;
    }

    /** Sets a value that is secret: masked in {@code toString}. */
    public Builder setSensitive(String key, Object value) {
      set(key, value);
      sensitive.add(key);
      return this;
    }

    /** Records the line of a key or a nested path ({@code buckets[1]}, {@code tls.caFile}). */
    public Builder setLine(String key, int line) {
      lines.put(requireNonNull(key, "key is null"), line);
      return this;
    }

    /** Records the file a key or nested path came from, when it differs from the spec's. */
    public Builder setKeySource(String key, String source) {
      keySources.put(requireNonNull(key, "key is null"), requireNonNull(source, "source is null"));
      return this;
    }

    public Builder markSensitive(String key) {
      sensitive.add(requireNonNull(key, "key is null"));
      return this;
    }

    public ServiceSpec build() {
      return new ServiceSpec(this);
    }
  }
}
