package dev.edx.api;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An external table: data files at a location, in a format, with columns and partition keys.
 *
 * @param id the table's name
 * @param location the table's root, in the scheme engines read ({@code s3a://}, {@code file:})
 * @param format the file format: {@code parquet}, {@code orc}, {@code json}, {@code csv}...
 * @param columns data columns, in order
 * @param partitionKeys partition columns, in order; none shares a name with a data column
 * @param properties table properties
 * @param comment a description
 */
public record TableDefinition(
    TableId id,
    String location,
    String format,
    List<Column> columns,
    List<Column> partitionKeys,
    Map<String, String> properties,
    Optional<String> comment) {
  public TableDefinition {
    requireNonNull(id, "id is null");
    requireNonNull(location, "location is null");
    requireNonNull(format, "format is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    partitionKeys = List.copyOf(requireNonNull(partitionKeys, "partitionKeys is null"));
    properties = Map.copyOf(requireNonNull(properties, "properties is null"));
    requireNonNull(comment, "comment is null");
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("Table " + id + " has no columns");
    }
    Set<String> names = new HashSet<>();
    for (Column column : columns) {
      if (!names.add(column.name())) {
        throw new IllegalArgumentException(
            "Table " + id + " has two columns named '" + column.name() + "'");
      }
    }
    for (Column key : partitionKeys) {
      if (!names.add(key.name())) {
        throw new IllegalArgumentException("Table " + id + ": partition key '" + key.name()
            + "' repeats a column name; partition keys are separate from data columns");
      }
    }
  }

  public static TableDefinition of(TableId id, String location, String format,
      List<Column> columns, List<Column> partitionKeys) {
    return new TableDefinition(id, location, format, columns, partitionKeys, Map.of(),
        Optional.empty());
  }
}
