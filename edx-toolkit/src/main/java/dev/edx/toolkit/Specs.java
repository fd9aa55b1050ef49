package dev.edx.toolkit;

import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceProvider;
import dev.edx.api.spi.ServiceSpec;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of a {@link ServiceSpec}'s values, and the check of a section against the settings
 * a provider declares. Every failure is a {@link ConfigurationException} naming the key, the
 * source and the line ({@link ServiceSpec#error}), and saying what is expected; a sensitive value
 * never appears in it. Providers normally read through their {@link Setting} declarations, which
 * call these.
 */
public final class Specs {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(|b|kib|mib|gib|kb|mb|gb|k|m|g)", Pattern.CASE_INSENSITIVE);

  private Specs() {}

  /**
   * Creates a service the way edx-core does when it opens an environment: the provider's sensitive
   * keys marked, the spec checked against the settings it declares ({@link #validate}), then
   * {@code create}. Providers do not check their spec a second time, so code that creates a
   * service outside an environment (tests, embedding) goes through here.
   */
  public static <T> T create(ServiceProvider<T> provider, ServiceSpec spec,
      ProviderContext context) {
    return provider.create(checked(provider, spec), context);
  }

  /** The spec with the provider's sensitive keys marked, checked against its declared settings. */
  public static ServiceSpec checked(ServiceProvider<?> provider, ServiceSpec spec) {
    ServiceSpec marked = spec.withSensitive(provider.sensitivePropertyNames());
    if (!provider.properties().isEmpty()) {
      validate(marked, provider.properties());
    }
    return marked;
  }

  /**
   * Fails on any key not in {@code known}, naming it, its line, and the keys this provider knows.
   */
  public static void requireOnlyKeys(ServiceSpec spec, Collection<String> known) {
    for (String key : spec.keys()) {
      if (!known.contains(key)) {
        throw unknownKey(spec, key, known);
      }
    }
  }

  private static ConfigurationException unknownKey(ServiceSpec spec, String key,
      Collection<String> known) {
    return spec.error(key, "is not a setting of the '" + spec.provider() + "' " + spec.service()
        + " provider; known settings: " + new TreeSet<>(known) + suggestion(key, known));
  }

  /**
   * Checks this section against a provider's declared settings: unknown keys (with a suggestion),
   * missing required ones and values of the wrong type, each naming the key and its line.
   */
  public static void validate(ServiceSpec spec, List<PropertyDescriptor> properties) {
    List<ConfigurationException> problems = new ArrayList<>(problems(spec, properties));
    for (PropertyDescriptor p : properties) {
      if (!spec.has(p.name())) {
        continue;
      }
      try {
        switch (p.type()) {
          case STRING -> {
            if (p.required()) {
              requireString(spec, p.name());
            } else {
              getString(spec, p.name());
            }
          }
          case INTEGER -> getLong(spec, p.name());
          case BOOLEAN -> getBoolean(spec, p.name(), false);
          case DURATION -> getDuration(spec, p.name());
          case STRING_LIST -> getStringList(spec, p.name());
          case STRING_MAP -> getStringMap(spec, p.name());
          case RESOURCE_LIST -> DeclaredResource.parseList(spec, p.name(), "resource", n -> { });
          case ANY -> { }
          default -> throw new IllegalStateException("unknown type " + p.type());
        }
      } catch (ConfigurationException e) {
        problems.add(e);
      }
    }
    if (!problems.isEmpty()) {
      throw ConfigurationException.of(problems);
    }
  }

  /**
   * The problems of a section that need no value read: keys the provider does not declare (each
   * with a suggestion) and required keys that are missing. Values may still hold {@code ${...}}
   * references, so edx-core checks every section this way before it resolves any of them.
   */
  public static List<ConfigurationException> problems(ServiceSpec spec,
      List<PropertyDescriptor> properties) {
    Set<String> known = new LinkedHashSet<>();
    properties.forEach(p -> known.add(p.name()));
    List<ConfigurationException> problems = new ArrayList<>();
    for (String key : spec.keys()) {
      if (!known.contains(key)) {
        problems.add(unknownKey(spec, key, known));
      }
    }
    for (PropertyDescriptor p : properties) {
      if (p.required() && !spec.has(p.name())) {
        problems.add(spec.error(p.name(), "is required and missing; add it to " + spec.path("")
            + " (" + p.description() + ")"));
      }
    }
    return problems;
  }


  public static Optional<String> getString(ServiceSpec spec, String key) {
    Object value = spec.get(key).orElse(null);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String s) {
      return Optional.of(s);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return Optional.of(value.toString());
    }
    throw spec.error(key, "must be a string, not " + describe(value));
  }

  public static String getString(ServiceSpec spec, String key, String defaultValue) {
    return getString(spec, key).orElse(defaultValue);
  }

  public static String requireString(ServiceSpec spec, String key) {
    return getString(spec, key).filter(s -> !s.isBlank())
        .orElseThrow(() -> spec.error(key, "is required and missing; add it to " + spec.path("")));
  }

  public static Optional<Long> getLong(ServiceSpec spec, String key) {
    Object value = spec.get(key).orElse(null);
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
        throw spec.error(key, "must be a whole number, not '" + mask(spec, key, s) + "'");
      }
    }
    throw spec.error(key, "must be a whole number, not " + describe(value));
  }

  public static int getInt(ServiceSpec spec, String key, int defaultValue) {
    long value = getLong(spec, key).orElse((long) defaultValue);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw spec.error(key, "is out of range: " + value);
    }
    return (int) value;
  }

  /** A whole number of at least {@code min}. */
  public static int getInt(ServiceSpec spec, String key, int defaultValue, int min) {
    int value = getInt(spec, key, defaultValue);
    if (value < min) {
      throw spec.error(key, "must be at least " + min + ", not " + value);
    }
    return value;
  }

  public static boolean getBoolean(ServiceSpec spec, String key, boolean defaultValue) {
    Object value = spec.get(key).orElse(null);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw spec.error(key, "must be true or false, not " + describe(value));
  }

  /** A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601. */
  public static Optional<Duration> getDuration(ServiceSpec spec, String key) {
    Optional<String> text = getString(spec, key);
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
      throw spec.error(key, "must be a duration such as 30s, 5m, 2h or PT5M, not '" + s + "'");
    }
  }

  /** A list of strings; a single string counts as a list of one. Empty when absent. */
  public static List<String> getStringList(ServiceSpec spec, String key) {
    Object value = spec.get(key).orElse(null);
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
          throw spec.error(key + "[" + i + "]", "must be a string, not " + describe(item));
        }
      }
      return List.copyOf(result);
    }
    throw spec.error(key, "must be a list of strings, not " + describe(value));
  }

  /** A map of string to string. Empty when absent. */
  public static Map<String, String> getStringMap(ServiceSpec spec, String key) {
    Object value = spec.get(key).orElse(null);
    if (value == null) {
      return Map.of();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, String> result = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object v = e.getValue();
        if (v instanceof Map || v instanceof List || v == null) {
          throw spec.error(key + "." + e.getKey(), "must be a string, not " + describe(v));
        }
        result.put(e.getKey().toString(), v.toString());
      }
      return Map.copyOf(result);
    }
    throw spec.error(key, "must be a map of names to strings, not " + describe(value));
  }


  private static String mask(ServiceSpec spec, String key, String value) {
    return spec.isSensitive(key) ? "****" : value;
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
      int d = distance(key.toLowerCase(Locale.ROOT),
          candidate.toLowerCase(Locale.ROOT));
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


  /**
   * A size in bytes, written as a number or with a unit ({@code 16MiB}, {@code 512k}, {@code 5GiB};
   * k/m/g and kb/mb/gb are binary too).
   */
  public static Optional<Long> getSize(ServiceSpec spec, String key) {
    Optional<String> text = getString(spec, key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = SIZE.matcher(text.get().trim());
    if (!m.matches()) {
      throw spec.error(key, "must be a size in bytes or with a unit, such as 16MiB, not '"
          + mask(spec, key, text.get()) + "'");
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "kib", "kb", "k" -> n * 1024;
      case "mib", "mb", "m" -> n * 1024 * 1024;
      case "gib", "gb", "g" -> n * 1024 * 1024 * 1024;
      default -> n;
    });
  }
}
