package dev.edx.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A table column. The name is a Hive identifier (lowercased); the type a Hive type name such as
 * {@code bigint}, {@code string}, {@code timestamp}, {@code struct<id:bigint,login:string>}.
 */
public record Column(String name, String type, Optional<String> comment) {
  public Column {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(comment, "comment is null");
    name = Names.hiveIdentifier("column", name);
    if (type.isBlank()) {
      throw new IllegalArgumentException("Column '" + name + "' has a blank type");
    }
  }

  public static Column of(String name, String type) {
    return new Column(name, type, Optional.empty());
  }
}
