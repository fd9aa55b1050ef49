package dev.edx.api;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * A metastore database (a namespace of tables).
 *
 * @param name a Hive identifier, lowercased
 * @param location where its tables live by default, if set
 * @param properties free-form properties
 */
public record Database(String name, Optional<String> location, Map<String, String> properties) {
  public Database {
    requireNonNull(name, "name is null");
    requireNonNull(location, "location is null");
    name = Names.hiveIdentifier("database", name);
    properties = Map.copyOf(requireNonNull(properties, "properties is null"));
  }

  public static Database of(String name) {
    return new Database(name, Optional.empty(), Map.of());
  }
}
