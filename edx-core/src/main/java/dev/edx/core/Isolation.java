package dev.edx.core;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Database;
import dev.edx.api.ObjectRef;
import dev.edx.api.TableId;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.NamePrefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An environment's name prefix ({@code metadata.namePrefix}): the physical names of its buckets
 * ({@code pr42-gha-raw}), metastore databases ({@code pr42_gha_dm}), secrets ({@code pr42-pg}) and
 * namespace ({@code pr42-edx-dev}), so environments derived from one base share nothing. Code keeps
 * using the logical names; the environment maps them, with the rules of {@link NamePrefix} (which
 * data store providers apply themselves). Not public API.
 */
final class Isolation {
  /** Spec keys that name resources, by convention across providers. */
  static final List<String> RESOURCE_KEYS = List.of("buckets", "databases", "namespace");

  private final String prefix;
  private final NamePrefix rules;

  /** Throws {@link dev.edx.api.exceptions.ConfigurationException} when the prefix is invalid. */
  Isolation(String prefix) {
    this.prefix = requireNonNull(prefix, "prefix is null");
    this.rules = NamePrefix.of(prefix);
  }

  String prefix() {
    return prefix;
  }

  String bucket(String logical) {
    return rules.dashed(logical);
  }

  String database(String logical) {
    return rules.identifier(logical).toLowerCase(Locale.ROOT);
  }

  String secret(String logical) {
    return rules.dashed(logical);
  }

  String namespace(String logical) {
    return rules.dashed(logical);
  }

  /** The logical name of a physical bucket, or null when it is not this environment's. */
  String logicalBucket(String physical) {
    return physical.startsWith(prefix + "-") ? physical.substring(prefix.length() + 1) : null;
  }

  String logicalDatabase(String physical) {
    String p = prefix.replace('-', '_') + "_";
    return physical.startsWith(p) ? physical.substring(p.length()) : null;
  }

  String logicalSecret(String physical) {
    return physical.startsWith(prefix + "-") ? physical.substring(prefix.length() + 1) : null;
  }

  ObjectRef ref(ObjectRef logical) {
    return ObjectRef.of(bucket(logical.bucket()), logical.key());
  }

  ObjectRef logicalRef(ObjectRef physical) {
    String bucket = logicalBucket(physical.bucket());
    return bucket == null ? physical : ObjectRef.of(bucket, physical.key());
  }

  TableId table(TableId logical) {
    return TableId.of(database(logical.database()), logical.table());
  }

  TableId logicalTable(TableId physical) {
    String db = logicalDatabase(physical.database());
    return db == null ? physical : TableId.of(db, physical.table());
  }

  Database database(Database logical) {
    return new Database(database(logical.name()), logical.location(), logical.properties());
  }

  /** A service spec with its declared resource names made physical. */
  ServiceSpec rewrite(ServiceSpec spec) {
    ServiceSpec.Builder builder = spec.toBuilder();
    spec.get("buckets").ifPresent(v -> builder.set("buckets", names(spec, "buckets", v,
        this::bucket)));
    spec.get("databases").ifPresent(v -> builder.set("databases", names(spec, "databases", v,
        this::database)));
    spec.get("namespace").ifPresent(v -> {
      if (!(v instanceof String ns)) {
        throw spec.error("namespace", "must be a string");
      }
      builder.set("namespace", namespace(ns));
    });
    return builder.build();
  }

  private static List<Object> names(ServiceSpec spec, String key, Object value,
      java.util.function.UnaryOperator<String> physical) {
    if (!(value instanceof List<?> list)) {
      throw spec.error(key, "must be a list");
    }
    List<Object> result = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof String name) {
        result.add(physical.apply(name));
      } else if (item instanceof Map<?, ?> map && map.get("name") instanceof String name) {
        Map<Object, Object> copy = new LinkedHashMap<>(map);
        copy.put("name", physical.apply(name));
        result.add(copy);
      } else {
        result.add(item); // the provider reports the malformed entry, naming it
      }
    }
    return result;
  }
}
