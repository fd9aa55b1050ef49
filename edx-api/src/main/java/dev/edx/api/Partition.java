package dev.edx.api;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A partition of a table: one value per partition key, in key order, and where its files are.
 */
public record Partition(List<String> values, String location) {
  public Partition {
    values = List.copyOf(requireNonNull(values, "values is null"));
    requireNonNull(location, "location is null");
    if (values.isEmpty()) {
      throw new IllegalArgumentException("Partition has no values");
    }
  }

  public static Partition of(List<String> values, String location) {
    return new Partition(values, location);
  }
}
