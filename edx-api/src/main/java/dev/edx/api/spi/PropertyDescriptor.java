package dev.edx.api.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One setting a provider accepts in its spec section. A provider that lists its settings ({@link
 * ServiceProvider#properties()}) gets them checked before {@code create} (unknown keys, missing
 * required ones, wrong types, each naming the key and line) and described in the spec's JSON
 * Schema, from this one declaration. Providers normally declare a {@code dev.edx.toolkit.Setting}
 * and get this from it.
 *
 * @param name the key
 * @param type what the value must be
 * @param required whether the key must be present
 * @param defaultValue the default, as text, when there is one
 * @param sensitive whether its value is secret (masked in logs, {@code toString} and renders)
 * @param description what it does, for docs and editors
 */
public record PropertyDescriptor(String name, Type type, boolean required,
    Optional<String> defaultValue, boolean sensitive, String description) {

  /** The shape of a value. */
  public enum Type {
    STRING,
    INTEGER,
    BOOLEAN,
    /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601. */
    DURATION,
    /** A list of strings. */
    STRING_LIST,
    /** A map of names to strings. */
    STRING_MAP,
    /** Resources the provisioner manages: names, or {@code {name, adopt}} maps. */
    RESOURCE_LIST,
    /** Anything: the provider checks it. */
    ANY
  }

  public PropertyDescriptor {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(defaultValue, "defaultValue is null");
    requireNonNull(description, "description is null");
  }
}
