package dev.edx.provider.neo4j;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.NamePrefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The constraints a spec declares, read once from {@code constraints}, and their Cypher. */
final class Neo4jConstraints {
  static final String DEFAULT_OWNERSHIP_LABEL = "EdxOwnership";
  private static final Set<String> KEYS =
      Set.of("name", "label", "property", "properties", "type", "adopt");

  private Neo4jConstraints() {}

  /** What a constraint requires of the nodes of its label. */
  enum Type {
    /** Each value (or combination of values) at most once: {@code IS UNIQUE}. */
    UNIQUE("unique", "IS UNIQUE"),
    /** Every node of the label has the property: {@code IS NOT NULL} (Enterprise Edition). */
    EXISTS("exists", "IS NOT NULL"),
    /** Unique and present: {@code IS NODE KEY} (Enterprise Edition). */
    KEY("key", "IS NODE KEY");

    private final String key;
    private final String cypher;

    Type(String key, String cypher) {
      this.key = key;
      this.cypher = cypher;
    }

    String key() {
      return key;
    }

    /** The type {@code SHOW CONSTRAINTS} reports, as edx names it; null for other types. */
    static Type ofShown(String shown) {
      return switch (shown) {
        case "UNIQUENESS", "NODE_PROPERTY_UNIQUENESS" -> UNIQUE;
        case "NODE_PROPERTY_EXISTENCE" -> EXISTS;
        case "NODE_KEY" -> KEY;
        default -> null;
      };
    }

    static Type of(String text) {
      for (Type t : values()) {
        if (t.key.equals(text.trim().toLowerCase(Locale.ROOT))) {
          return t;
        }
      }
      return null;
    }
  }

  /**
   * One node constraint: its name, label, properties and type. Its {@link #definition()} is what
   * it requires, the same text whether read from a spec or from the server.
   */
  record Constraint(String name, boolean adopt, String label, List<String> properties,
      Type type) {
    Constraint {
      requireNonNull(name, "name is null");
      requireNonNull(label, "label is null");
      properties = List.copyOf(properties);
      requireNonNull(type, "type is null");
    }

    DeclaredResource declared() {
      return new DeclaredResource(name, adopt);
    }

    /** {@code unique (:Repo {id})}. */
    String definition() {
      return type.key() + " (:" + label + " {" + String.join(", ", properties) + "})";
    }

    /** The statement that creates it. */
    String createStatement() {
      String props = properties.size() == 1 ? "n." + quote(properties.get(0))
          : "(" + String.join(", ", properties.stream().map(p -> "n." + quote(p)).toList())
              + ")";
      return "CREATE CONSTRAINT " + quote(name) + " FOR (n:" + quote(label) + ") REQUIRE "
          + props + " " + type.cypher;
    }
  }

  /** The statement that drops a constraint. */
  static String dropStatement(String name) {
    return "DROP CONSTRAINT " + quote(name) + " IF EXISTS";
  }

  /** A backquoted identifier. */
  static String quote(String identifier) {
    return '`' + identifier.replace("`", "``") + '`';
  }

  /**
   * Reads {@code constraints}, each with its label's and its own physical name ({@link
   * NamePrefix#identifier}); each error names the entry and its line.
   */
  static List<Constraint> parse(ServiceSpec spec, String key, NamePrefix prefix) {
    Object raw = spec.get(key).orElse(List.of());
    if (!(raw instanceof List<?> list)) {
      throw spec.error(key, "must be a list of {label, property, type} maps, such as [{label:"
          + " Repo, property: id, type: unique}]");
    }
    List<Constraint> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Set<String> definitions = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = key + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        throw spec.error(path, "must be a {label, property, type} map, such as {label: Repo,"
            + " property: id, type: unique}");
      }
      for (Object k : map.keySet()) {
        if (!KEYS.contains(k.toString())) {
          throw spec.error(path + "." + k, "unknown key; a constraint entry takes "
              + new TreeSet<>(KEYS));
        }
      }
      String label = name(spec, path + ".label", map.get("label"), "label");
      List<String> properties = new ArrayList<>();
      if (map.containsKey("property") == map.containsKey("properties")) {
        throw spec.error(path + ".property", "give either 'property' (one) or 'properties' (a"
            + " list), not " + (map.containsKey("property") ? "both" : "neither"));
      }
      if (map.containsKey("property")) {
        properties.add(name(spec, path + ".property", map.get("property"), "property"));
      } else if (map.get("properties") instanceof List<?> props && !props.isEmpty()) {
        for (int j = 0; j < props.size(); j++) {
          properties.add(name(spec, path + ".properties[" + j + "]", props.get(j), "property"));
        }
      } else {
        throw spec.error(path + ".properties", "must be a non-empty list of property names");
      }
      if (new HashSet<>(properties).size() != properties.size()) {
        throw spec.error(path + ".properties", "lists a property twice");
      }
      Object rawType = map.get("type");
      Type type = rawType == null ? Type.UNIQUE : Type.of(rawType.toString());
      if (type == null) {
        throw spec.error(path + ".type", "must be unique, exists or key, not " + rawType);
      }
      if (type == Type.EXISTS && properties.size() > 1) {
        throw spec.error(path + ".properties", "an exists constraint takes one property");
      }
      Object adopt = map.get("adopt");
      if (adopt != null && !(adopt instanceof Boolean)) {
        throw spec.error(path + ".adopt", "must be true or false");
      }
      String name = map.containsKey("name") ? name(spec, path + ".name", map.get("name"), "name")
          : label.toLowerCase(Locale.ROOT) + "_" + String.join("_", properties) + "_"
              + type.key();
      Constraint constraint = new Constraint(
          prefix.check(spec, path + (map.containsKey("name") ? ".name" : ""), "constraint",
              prefix.identifier(name), Neo4jConstraints::requireValid),
          Boolean.TRUE.equals(adopt),
          prefix.check(spec, path + ".label", "label", prefix.identifier(label),
              Neo4jConstraints::requireValid),
          properties, type);
      if (!seen.add(name)) {
        throw spec.error(path, "constraint '" + name + "' is listed twice"
            + (map.containsKey("name") ? "" : " (give each a 'name')"));
      }
      if (!definitions.add(constraint.definition())) {
        throw spec.error(path, "constraint " + constraint.definition() + " is listed twice");
      }
      result.add(constraint);
    }
    return List.copyOf(result);
  }

  private static void requireValid(String name) {
    if (!Neo4jProperties.validName(name)) {
      throw new IllegalArgumentException("edx takes a letter, then letters, digits or '_' (at"
          + " most 63)");
    }
  }

  private static String name(ServiceSpec spec, String path, Object value, String what) {
    if (!(value instanceof String s)) {
      throw spec.error(path, "is required: the " + what + ", a name");
    }
    if (!Neo4jProperties.validName(s)) {
      throw spec.error(path, "'" + s + "' is not a valid " + what + " name for edx: a letter,"
          + " then letters, digits or '_' (at most 63)");
    }
    return s;
  }
}
