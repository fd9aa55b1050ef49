package dev.edx.api.spi;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.ConfigurationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One service's section of an environment spec ({@code spec.storage}, ...), with every {@code
 * ${...}} reference already resolved, and where each key came from. A provider reads it once into
 * its own typed settings (the provider toolkit, {@code edx-toolkit}, has typed readers); each
 * failure is reported with {@link #error}, which names the key, the source and the line.
 *
 * <p>Values are strings, booleans, numbers, lists and maps, as YAML and JSON give them. Values of
 * sensitive keys (a provider's {@link ServiceProvider#sensitivePropertyNames()}, and any value that
 * came from a {@code ${secret:}} or {@code ${file:}} reference) are masked in {@link #toString()}.
 * Immutable and thread safe.
 */
public final class ServiceSpec {

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
