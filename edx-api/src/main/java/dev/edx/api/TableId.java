package dev.edx.api;

import static java.util.Objects.requireNonNull;

/** A table's name within a database; both are Hive identifiers, lowercased. */
public record TableId(String database, String table) {
  public TableId {
    requireNonNull(database, "database is null");
    requireNonNull(table, "table is null");
    database = Names.hiveIdentifier("database", database);
    table = Names.hiveIdentifier("table", table);
  }

  public static TableId of(String database, String table) {
    return new TableId(database, table);
  }

  /** {@code database.table}. */
  @Override
  public String toString() {
    return database + "." + table;
  }
}
