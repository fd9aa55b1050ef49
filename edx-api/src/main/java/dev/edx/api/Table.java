package dev.edx.api;

import static java.util.Objects.requireNonNull;

/**
 * A table as stored, with the version an update must name (optimistic concurrency).
 *
 * @param definition what the table is
 * @param version its version: 1 when created, one more on each update
 */
public record Table(TableDefinition definition, long version) {
  public Table {
    requireNonNull(definition, "definition is null");
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1: " + version);
    }
  }

  public TableId id() {
    return definition.id();
  }
}
