package dev.edx.toolkit;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.PropertyDescriptor.Type;
import dev.edx.api.spi.ServiceSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One setting of a provider, declared once: its key, type, default, sensitivity and description,
 * and how its value is read. Everything else comes from this declaration: the {@link
 * PropertyDescriptor} edx checks a spec against before {@code create} and publishes in the spec's
 * JSON Schema, the masking of sensitive values, and the typed value the provider reads.
 *
 * <pre>{@code
 * public static final Setting<Long> PART_SIZE = Setting.size("partSize",
 *         "The part size of multipart uploads, in bytes or with a unit (16MiB)")
 *     .withDefault(16L << 20, "16MiB")
 *     .check(s -> s >= 5L << 20 && s <= 5L << 30, "must be between 5MiB and 5GiB (S3's limits)");
 *
 * long partSize = PART_SIZE.get(spec);
 * }</pre>
 *
 * <p>A provider lists its settings with {@link #declaredIn(Class)} (every {@code public static
 * final Setting} field of a holder class, in declaration order), so a setting is never listed by
 * hand a second time. Immutable; the modifiers return new declarations.
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {

  /** Reads a value from a spec; empty when the key is absent. Errors through {@code spec.error}. */
  @FunctionalInterface
  public interface Reader<T> {
    Optional<T> read(ServiceSpec spec, String key);
  }

  private final String key;
  private final Type type;
  private final Reader<T> reader;
  private final Optional<T> defaultValue;
  private final Optional<String> defaultText;
  private final boolean required;
  private final boolean sensitive;
  private final String description;

  private Setting(String key, Type type, Reader<T> reader, Optional<T> defaultValue,
      Optional<String> defaultText, boolean required, boolean sensitive, String description) {
    this.key = requireNonNull(key, "key is null");
    this.type = requireNonNull(type, "type is null");
    this.reader = requireNonNull(reader, "reader is null");
    this.defaultValue = requireNonNull(defaultValue, "defaultValue is null");
    this.defaultText = requireNonNull(defaultText, "defaultText is null");
    this.required = required;
    this.sensitive = sensitive;
    this.description = requireNonNull(description, "description is null");
  }

  /** A setting of any type, read by {@code reader}. */
  public static <T> Setting<T> of(String key, Type type, Reader<T> reader, String description) {
    return new Setting<>(key, type, reader, Optional.empty(), Optional.empty(), false, false,
        description);
  }

  /**
   * A string; numbers and booleans are taken as their text. A blank value of a {@link #required()}
   * string counts as missing.
   */
  public static Setting<String> string(String key, String description) {
    return of(key, Type.STRING, Specs::getString, description);
  }

  /** A whole number that fits an {@code int}. */
  public static Setting<Integer> integer(String key, String description) {
    return of(key, Type.INTEGER, (spec, k) -> Specs.getLong(spec, k).map(n -> {
      if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
        throw spec.error(k, "is out of range: " + n);
      }
      return n.intValue();
    }), description);
  }

  /** A whole number. */
  public static Setting<Long> longValue(String key, String description) {
    return of(key, Type.INTEGER, Specs::getLong, description);
  }

  /** {@code true} or {@code false}. */
  public static Setting<Boolean> bool(String key, String description) {
    return of(key, Type.BOOLEAN, (spec, k) -> spec.has(k)
        ? Optional.of(Specs.getBoolean(spec, k, false)) : Optional.empty(), description);
  }

  /** A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601. */
  public static Setting<Duration> duration(String key, String description) {
    return of(key, Type.DURATION, Specs::getDuration, description);
  }

  /** A size in bytes, as a number or with a unit ({@code 16MiB}). */
  public static Setting<Long> size(String key, String description) {
    return of(key, Type.STRING, Specs::getSize, description);
  }

  /** A list of strings (a single string is a list of one); empty when absent. */
  public static Setting<List<String>> stringList(String key, String description) {
    return of(key, Type.STRING_LIST, (spec, k) -> spec.has(k)
        ? Optional.of(Specs.getStringList(spec, k)) : Optional.empty(), description)
        .withDefault(List.of(), null);
  }

  /** A map of names to strings; empty when absent. */
  public static Setting<Map<String, String>> stringMap(String key, String description) {
    return of(key, Type.STRING_MAP, (spec, k) -> spec.has(k)
        ? Optional.of(Specs.getStringMap(spec, k)) : Optional.empty(), description)
        .withDefault(Map.of(), null);
  }

  /**
   * Resources a provisioner manages: names, or {@code {name, adopt}} maps ({@link
   * DeclaredResource}); each name checked by {@code validate}, which throws {@link
   * IllegalArgumentException} stating the rule. Empty when absent.
   *
   * @param kind what the entries are, for messages: {@code bucket}, {@code database}
   */
  public static Setting<List<DeclaredResource>> resources(String key, String kind,
      Consumer<String> validate, String description) {
    requireNonNull(kind, "kind is null");
    requireNonNull(validate, "validate is null");
    return of(key, Type.RESOURCE_LIST, (spec, k) -> spec.has(k)
        ? Optional.of(DeclaredResource.parseList(spec, k, kind, validate)) : Optional.empty(),
        description).withDefault(List.of(), null);
  }

  /** A value of any shape (a string, list or map), read raw; the provider checks it. */
  public static Setting<Object> any(String key, String description) {
    return of(key, Type.ANY, (spec, k) -> spec.get(k), description);
  }

  /** This setting with a default, shown in docs and the schema as {@code String.valueOf}. */
  public Setting<T> withDefault(T value) {
    return withDefault(value, String.valueOf(value));
  }

  /** This setting with a default, shown in docs and the schema as {@code text} (may be null). */
  public Setting<T> withDefault(T value, String text) {
    return new Setting<>(key, type, reader, Optional.of(value), Optional.ofNullable(text), false,
        sensitive, description);
  }

  /** This setting, required: an absent value is an error naming the key and the description. */
  public Setting<T> required() {
    return new Setting<>(key, type, reader, Optional.empty(), Optional.empty(), true, sensitive,
        description);
  }

  /** This setting, secret: masked in {@code toString}, logs and rendered specs. */
  public Setting<T> sensitive() {
    return new Setting<>(key, type, reader, defaultValue, defaultText, required, true,
        description);
  }

  /** This setting, with a rule its values must follow ({@code "must be at least 1"}). */
  public Setting<T> check(Predicate<? super T> valid, String rule) {
    requireNonNull(valid, "valid is null");
    requireNonNull(rule, "rule is null");
    Reader<T> checked = (spec, k) -> {
      Optional<T> value = reader.read(spec, k);
      if (value.isPresent() && !valid.test(value.get())) {
        String text = String.valueOf(value.get());
        String shown = sensitive || spec.isSensitive(k) || text.isBlank() ? "" : ", not " + text;
        throw spec.error(k, rule + shown);
      }
      return value;
    };
    return new Setting<>(key, type, checked, defaultValue, defaultText, required, sensitive,
        description);
  }

  /**
   * This setting read into another type: {@code convert} may throw {@link
   * IllegalArgumentException}, whose message (which must not hold the value when it is
   * sensitive) becomes the error naming the key.
   */
  public <R> Setting<R> map(Function<? super T, ? extends R> convert) {
    requireNonNull(convert, "convert is null");
    Reader<R> mapped = (spec, k) -> reader.read(spec, k).map(value -> {
      try {
        return convert.apply(value);
      } catch (IllegalArgumentException e) {
        throw spec.error(k, e.getMessage(), e);
      }
    });
    return new Setting<>(key, type, mapped, Optional.empty(), Optional.empty(), required,
        sensitive, description);
  }

  public String key() {
    return key;
  }

  public boolean isSensitive() {
    return sensitive;
  }

  public boolean isRequired() {
    return required;
  }

  public Optional<T> defaultValue() {
    return defaultValue;
  }

  /** The declaration edx checks specs against and publishes in the JSON Schema. */
  public PropertyDescriptor descriptor() {
    return new PropertyDescriptor(key, type, required, defaultText, sensitive, description);
  }

  /** The value when the spec has the key, read and checked; empty when it is absent. */
  public Optional<T> find(ServiceSpec spec) {
    return reader.read(requireNonNull(spec, "spec is null"), key);
  }

  /**
   * The value, else the default. A required setting that is absent is an error naming the key;
   * so is calling this for an optional setting that has no default (use {@link #find}).
   */
  public T get(ServiceSpec spec) {
    Optional<T> value = find(spec);
    if (value.isPresent() && !(required && value.get() instanceof String s && s.isBlank())) {
      return value.get();
    }
    if (defaultValue.isPresent()) {
      return defaultValue.get();
    }
    if (required) {
      throw spec.error(key, "is required and missing; add it to " + spec.path("") + " ("
          + description + ")");
    }
    throw new IllegalStateException("setting '" + key + "' has no default: use find()");
  }

  /** Whether the spec has this key. */
  public boolean isSet(ServiceSpec spec) {
    return spec.has(key);
  }

  /**
   * The settings declared as {@code public static final Setting} fields of {@code holder}, in
   * declaration order: a provider's whole list, without writing it twice.
   */
  public static List<Setting<?>> declaredIn(Class<?> holder) {
    List<Setting<?>> result = new ArrayList<>();
    for (Field field : holder.getDeclaredFields()) {
      int m = field.getModifiers();
      if (Modifier.isStatic(m) && Modifier.isFinal(m) && Modifier.isPublic(m)
          && field.getType() == Setting.class) {
        try {
          result.add((Setting<?>) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("Cannot read setting " + field, e);
        }
      }
    }
    if (result.isEmpty()) {
      throw new IllegalArgumentException(holder.getName() + " declares no public static final"
          + " Setting field");
    }
    return List.copyOf(result);
  }

  /** The descriptors of the settings declared in {@code holder} ({@link #declaredIn}). */
  public static List<PropertyDescriptor> descriptors(Class<?> holder) {
    return declaredIn(holder).stream().map(Setting::descriptor).toList();
  }

  @Override
  public String toString() {
    return "Setting{" + key + ", " + type + (required ? ", required" : "")
        + defaultText.map(d -> ", default " + (sensitive ? "****" : d)).orElse("")
        + (sensitive ? ", sensitive" : "") + "}";
  }
}
