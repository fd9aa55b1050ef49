package dev.edx.core.postgres;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Column;
import dev.edx.api.Partition;
import dev.edx.api.TableId;
import dev.edx.api.exceptions.CommitConflictException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions of {@link PostgresMetastore}'s tables. Adds run in one transaction per call, as
 * one multi-row statement per chunk of {@code batchSize} partitions, sorted so that concurrent
 * writers lock rows in the same order, and are idempotent; without {@code replace}, a partition
 * that exists at another location is a {@link CommitConflictException}. Listing pages through
 * partitions by key (keyset pagination), so a stream holds no connection between pages, and
 * filters run in SQL.
 */
final class PostgresPartitions {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresPartitions.class);
  private static final Comparator<List<String>> VALUES_ORDER = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };

  private final PostgresSql sql;
  private final PostgresJson json;
  private final int batchSize;

  PostgresPartitions(PostgresSql sql, PostgresJson json, int batchSize) {
    this.sql = requireNonNull(sql, "sql is null");
    this.json = requireNonNull(json, "json is null");
    this.batchSize = batchSize;
  }

  /** See {@link dev.edx.api.Metastore#addPartitions}. */
  void addPartitions(TableId id, Collection<Partition> partitions, boolean replace) {
    requireNonNull(id, "id is null");
    requireNonNull(partitions, "partitions is null");
    String action = "add partitions to table " + id;
    TreeMap<List<String>, String> wanted = new TreeMap<>(VALUES_ORDER);
    for (Partition p : partitions) {
      requireNonNull(p, "a partition is null");
      checkNoNul(p, id);
      String previous = wanted.put(p.values(), p.location());
      if (previous != null && !previous.equals(p.location())) {
        throw new IllegalArgumentException("Cannot " + action + ": partition " + p.values()
            + " is given twice, at " + previous + " and at " + p.location());
      }
    }
    // Sorted, so concurrent writers lock rows in the same order and never deadlock.
    List<Map.Entry<List<String>, String>> sorted = new ArrayList<>(wanted.entrySet());
    int changed = sql.transaction(action, c -> {
      TableRow table = lockTable(c, id, action);
      for (Map.Entry<List<String>, String> e : sorted) {
        if (e.getKey().size() != table.partitionKeys().size()) {
          throw new IllegalArgumentException("Cannot add partition " + e.getKey() + " to table "
              + id + ": it has " + e.getKey().size() + " value(s) but the table has "
              + table.partitionKeys().size() + " partition key(s) " + table.partitionKeys());
        }
      }
      int rows = 0;
      for (int from = 0; from < sorted.size(); from += batchSize) {
        List<Map.Entry<List<String>, String>> chunk =
            sorted.subList(from, Math.min(sorted.size(), from + batchSize));
        rows += replace ? upsert(c, table, chunk) : insertNew(c, table, chunk, id);
      }
      return rows;
    });
    LOG.debug("Added {} partition(s) to table {} ({} written)", wanted.size(), id, changed);
  }

  /** Inserts the chunk, keeping existing rows; a row at another location is a conflict. */
  private int insertNew(Connection c, TableRow table, List<Map.Entry<List<String>, String>> chunk,
      TableId id) throws SQLException {
    String rows = json.partitions(chunk);
    int inserted;
    try (PreparedStatement s = c.prepareStatement("INSERT INTO partitions (table_id,"
        + " part_values, location) SELECT ?, x.v, x.l"
        + " FROM jsonb_to_recordset(?::jsonb) AS x(v text[], l text)"
        + " ON CONFLICT (table_id, part_values) DO NOTHING")) {
      s.setLong(1, table.id());
      s.setString(2, rows);
      inserted = s.executeUpdate();
    }
    if (inserted == chunk.size()) {
      return inserted;
    }
    // Some existed: a new statement (a new snapshot) sees every committed row, so compare.
    try (PreparedStatement s = c.prepareStatement("SELECT x.v, p.location"
        + " FROM jsonb_to_recordset(?::jsonb) AS x(v text[], l text)"
        + " JOIN partitions p ON p.table_id = ? AND p.part_values = x.v COLLATE \"C\""
        + " WHERE p.location <> x.l ORDER BY x.v COLLATE \"C\" LIMIT 1")) {
      s.setString(1, rows);
      s.setLong(2, table.id());
      try (ResultSet r = s.executeQuery()) {
        if (r.next()) {
          List<String> values = textArray(r.getArray(1));
          String existing = r.getString(2);
          throw new CommitConflictException(id + " partition " + values, table.version(),
              table.version(), "Cannot add partition " + values + " to table " + id
                  + ": it exists at " + existing + ", not " + locationOf(chunk, values)
                  + "; add it with replace to move it");
        }
      }
    }
    return inserted;
  }

  /** Inserts the chunk, moving existing partitions whose location differs. */
  private int upsert(Connection c, TableRow table, List<Map.Entry<List<String>, String>> chunk)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO partitions (table_id,"
        + " part_values, location) SELECT ?, x.v, x.l"
        + " FROM jsonb_to_recordset(?::jsonb) AS x(v text[], l text)"
        + " ON CONFLICT (table_id, part_values) DO UPDATE SET location = EXCLUDED.location"
        + " WHERE partitions.location <> EXCLUDED.location")) {
      s.setLong(1, table.id());
      s.setString(2, json.partitions(chunk));
      return s.executeUpdate();
    }
  }

  /** See {@link dev.edx.api.Metastore#listPartitions}. */
  Stream<Partition> listPartitions(TableId id, Map<String, String> filter) {
    requireNonNull(id, "id is null");
    requireNonNull(filter, "filter is null");
    String action = "list partitions of table " + id;
    TableRow table = sql.autoCommit(action, false, c -> findTable(c, id, false))
        .orElseThrow(() -> sql.noSuchTable(id, action));
    List<String> keys = table.partitionKeys();
    Map<Integer, String> wanted = new TreeMap<>();
    Set<String> unknown = new TreeSet<>();
    filter.forEach((key, value) -> {
      int index = keys.indexOf(key.toLowerCase(Locale.ROOT));
      if (index < 0) {
        unknown.add(key);
      } else {
        wanted.put(index + 1, requireNonNull(value, "filter value of " + key + " is null"));
      }
    });
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Cannot " + action + ": unknown partition key(s) "
          + unknown + " in the filter; its partition keys are " + keys);
    }
    Iterator<Partition> pages = new PartitionPages(table.id(), wanted, action);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages,
        Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
  }

  /** Reads partitions one page at a time, each page starting after the last values seen. */
  private final class PartitionPages implements Iterator<Partition> {
    private final long tableId;
    private final Map<Integer, String> filter;
    private final String action;
    private Iterator<Partition> page = List.<Partition>of().iterator();
    private List<String> after;
    private boolean last;

    PartitionPages(long tableId, Map<Integer, String> filter, String action) {
      this.tableId = tableId;
      this.filter = Map.copyOf(filter);
      this.action = action;
    }

    @Override
    public boolean hasNext() {
      if (!page.hasNext() && !last) {
        List<Partition> next = fetch();
        last = next.size() < batchSize;
        if (!next.isEmpty()) {
          after = next.get(next.size() - 1).values();
        }
        page = next.iterator();
      }
      return page.hasNext();
    }

    @Override
    public Partition next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return page.next();
    }

    private List<Partition> fetch() {
      StringBuilder query = new StringBuilder(
          "SELECT part_values, location FROM partitions WHERE table_id = ?");
      if (after != null) {
        query.append(" AND part_values > ?");
      }
      filter.keySet().forEach(i -> query.append(" AND part_values[?] = ?"));
      query.append(" ORDER BY part_values LIMIT ?");
      return sql.autoCommit(action, false, c -> {
        try (PreparedStatement s = c.prepareStatement(query.toString())) {
          int i = 1;
          s.setLong(i++, tableId);
          if (after != null) {
            s.setArray(i++, c.createArrayOf("text", after.toArray()));
          }
          for (Map.Entry<Integer, String> e : filter.entrySet()) {
            s.setInt(i++, e.getKey());
            s.setString(i++, e.getValue());
          }
          s.setInt(i, batchSize);
          List<Partition> result = new ArrayList<>(batchSize);
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              result.add(new Partition(textArray(r.getArray(1)), r.getString(2)));
            }
          }
          return result;
        }
      });
    }
  }

  /** See {@link dev.edx.api.Metastore#dropPartitions}. */
  void dropPartitions(TableId id, Collection<List<String>> values) {
    requireNonNull(id, "id is null");
    requireNonNull(values, "values is null");
    String action = "drop partitions of table " + id;
    List<Map.Entry<List<String>, String>> rows = new ArrayList<>();
    for (List<String> v : values) {
      rows.add(Map.entry(List.copyOf(requireNonNull(v, "partition values are null")), ""));
    }
    int dropped = sql.transaction(action, c -> {
      TableRow table = lockTable(c, id, action);
      int count = 0;
      for (int from = 0; from < rows.size(); from += batchSize) {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM partitions p"
            + " USING jsonb_to_recordset(?::jsonb) AS x(v text[], l text)"
            + " WHERE p.table_id = ? AND p.part_values = x.v COLLATE \"C\"")) {
          s.setString(1, json.partitions(
              rows.subList(from, Math.min(rows.size(), from + batchSize))));
          s.setLong(2, table.id());
          count += s.executeUpdate();
        }
      }
      return count;
    });
    LOG.debug("Dropped {} partition(s) of table {}", dropped, id);
  }

  // --- rows ---

  /** A table's row id, version and partition key names. */
  private record TableRow(long id, long version, List<String> partitionKeys) {}

  private Optional<TableRow> findTable(Connection c, TableId id, boolean lock)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT id, version, partition_keys FROM tables"
        + " WHERE database_name = ? AND table_name = ?" + (lock ? " FOR SHARE" : ""))) {
      s.setString(1, id.database());
      s.setString(2, id.table());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        List<String> keys = json.columns(r.getString(3)).stream().map(Column::name).toList();
        return Optional.of(new TableRow(r.getLong(1), r.getLong(2), keys));
      }
    }
  }

  /** The table's row, locked against drop and update until the transaction ends. */
  private TableRow lockTable(Connection c, TableId id, String action) throws SQLException {
    Optional<TableRow> row = findTable(c, id, true);
    if (row.isEmpty()) {
      throw sql.noSuchTable(c, id, action);
    }
    return row.get();
  }

  private static void checkNoNul(Partition p, TableId id) {
    boolean nul = p.location().indexOf('\0') >= 0
        || p.values().stream().anyMatch(v -> v.indexOf('\0') >= 0);
    if (nul) {
      throw new IllegalArgumentException("Cannot add partition " + p.values() + " to table " + id
          + ": its values or location contain a NUL character");
    }
  }

  private static String locationOf(List<Map.Entry<List<String>, String>> chunk,
      List<String> values) {
    return chunk.stream().filter(e -> e.getKey().equals(values)).map(Map.Entry::getValue)
        .findFirst().orElse("?");
  }

  private static List<String> textArray(Array array) throws SQLException {
    try {
      return List.of((String[]) array.getArray());
    } finally {
      array.free();
    }
  }
}
