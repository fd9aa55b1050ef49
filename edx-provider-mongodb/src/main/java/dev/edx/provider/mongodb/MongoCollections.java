package dev.edx.provider.mongodb;

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
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.bson.Document;

/** The collections a spec declares, read once from {@code collections}, with their indexes. */
final class MongoCollections {
  static final String DEFAULT_OWNERSHIP_COLLECTION = "edx.ownership";
  private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}");
  private static final Set<String> KEYS = Set.of("database", "name", "indexes", "adopt");
  private static final Set<String> INDEX_KEYS = Set.of("name", "keys", "unique");

  private MongoCollections() {}

  /** One declared index: its name and keys (field to 1 or -1), and whether it is unique. */
  record Index(String name, Map<String, Integer> keys, boolean unique) {
    Index {
      requireNonNull(name, "name is null");
      keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    Document keysDocument() {
      return new Document(new LinkedHashMap<String, Object>(keys));
    }

    /** {@code repo_1_day_-1 {repo: 1, day: -1} unique}. */
    String describe() {
      return name + " " + keysDocument().toJson() + (unique ? " unique" : "");
    }
  }

  /** One declared collection; its resource name is {@code database.name}. */
  record Collection(String database, String name, boolean adopt, List<Index> indexes) {
    Collection {
      requireNonNull(database, "database is null");
      requireNonNull(name, "name is null");
      indexes = List.copyOf(indexes);
    }

    String namespace() {
      return database + "." + name;
    }

    DeclaredResource declared() {
      return new DeclaredResource(namespace(), adopt);
    }
  }

  /** Throws {@link IllegalArgumentException} stating the rule when a database name breaks it. */
  static void requireValidDatabase(String name) {
    if (!MongoProperties.validDatabase(name)) {
      throw new IllegalArgumentException("a database name is letters, digits, '_' or '-' (at"
          + " most 63)");
    }
  }

  static boolean validCollection(String name) {
    return COLLECTION.matcher(name).matches() && !name.startsWith("system.");
  }

  /**
   * Reads {@code collections}, each in its database's physical name ({@link
   * NamePrefix#identifier}); each error names the entry and its line.
   *
   * @param database the store's default database, logical
   */
  static List<Collection> parse(ServiceSpec spec, String key, Optional<String> database,
      NamePrefix prefix) {
    Object raw = spec.get(key).orElse(List.of());
    if (!(raw instanceof List<?> list)) {
      throw spec.error(key, "must be a list of collection names or {database, name, indexes,"
          + " adopt} maps");
    }
    List<Collection> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = key + "[" + i + "]";
      Object item = list.get(i);
      Map<?, ?> map = item instanceof String s ? Map.of("name", s) : null;
      if (item instanceof Map<?, ?> m) {
        map = m;
      }
      if (map == null) {
        throw spec.error(path, "must be a collection name or a {database, name, indexes, adopt}"
            + " map");
      }
      for (Object k : map.keySet()) {
        if (!KEYS.contains(k.toString())) {
          throw spec.error(path + "." + k, "unknown key; a collection entry takes "
              + new TreeSet<>(KEYS));
        }
      }
      if (!(map.get("name") instanceof String name) || !validCollection(name)) {
        throw spec.error(path + ".name", "is required: the collection's name (letters, digits,"
            + " '_', '.', '-'; not system.*)");
      }
      String db;
      if (map.get("database") instanceof String d) {
        if (!MongoProperties.validDatabase(d)) {
          throw spec.error(path + ".database", "'" + d + "' is not a valid database name:"
              + " letters, digits, '_' or '-' (at most 63)");
        }
        db = d;
      } else if (map.containsKey("database")) {
        throw spec.error(path + ".database", "must be a database name");
      } else if (database.isPresent()) {
        db = database.get();
      } else {
        throw spec.error(path + ".database", "is required: this entry names no database and"
            + " the store declares no 'database'");
      }
      Object adopt = map.get("adopt");
      if (adopt != null && !(adopt instanceof Boolean)) {
        throw spec.error(path + ".adopt", "must be true or false");
      }
      List<Index> indexes = indexes(spec, path + ".indexes", map.get("indexes"));
      String physical = prefix.check(spec, path + (map.containsKey("database") ? ".database"
          : ""), "database", prefix.identifier(db), MongoCollections::requireValidDatabase);
      Collection c = new Collection(physical, name, Boolean.TRUE.equals(adopt), indexes);
      if (!seen.add(c.namespace())) {
        throw spec.error(path, "collection '" + c.namespace() + "' is listed twice");
      }
      result.add(c);
    }
    return List.copyOf(result);
  }

  private static List<Index> indexes(ServiceSpec spec, String path, Object raw) {
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List<?> list)) {
      throw spec.error(path, "must be a list of {keys, unique, name} maps, such as [{keys:"
          + " {repo: 1, day: -1}, unique: true}]");
    }
    List<Index> result = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String at = path + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        throw spec.error(at, "must be a {keys, unique, name} map");
      }
      for (Object k : map.keySet()) {
        if (!INDEX_KEYS.contains(k.toString())) {
          throw spec.error(at + "." + k, "unknown key; an index entry takes "
              + new TreeSet<>(INDEX_KEYS));
        }
      }
      if (!(map.get("keys") instanceof Map<?, ?> keys) || keys.isEmpty()) {
        throw spec.error(at + ".keys", "is required: a map of fields to 1 (ascending) or -1"
            + " (descending)");
      }
      Map<String, Integer> ordered = new LinkedHashMap<>();
      List<String> defaultName = new ArrayList<>();
      for (Map.Entry<?, ?> e : keys.entrySet()) {
        Object v = e.getValue();
        if (!(v instanceof Number n) || (n.intValue() != 1 && n.intValue() != -1)
            || n.doubleValue() != n.intValue()) {
          throw spec.error(at + ".keys." + e.getKey(), "must be 1 (ascending) or -1"
              + " (descending); other index kinds (text, 2dsphere, hashed) are not provisioned");
        }
        int value = n.intValue();
        ordered.put(e.getKey().toString(), value);
        defaultName.add(e.getKey() + "_" + value);
      }
      Object unique = map.get("unique");
      if (unique != null && !(unique instanceof Boolean)) {
        throw spec.error(at + ".unique", "must be true or false");
      }
      String name = map.get("name") instanceof String n ? n : String.join("_", defaultName);
      if (name.equals("_id_") || !names.add(name)) {
        throw spec.error(at + ".name", "index '" + name + "' is listed twice (or is _id_)");
      }
      result.add(new Index(name, ordered, Boolean.TRUE.equals(unique)));
    }
    return List.copyOf(result);
  }
}
