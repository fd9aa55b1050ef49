package dev.edx.gha.export;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Column;
import dev.edx.api.Environment;
import dev.edx.api.ObjectInfo;
import dev.edx.api.Partition;
import dev.edx.api.RelationalStore;
import dev.edx.api.Table;
import dev.edx.api.TableId;
import dev.edx.api.exceptions.NoSuchTableException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.gha.tables.DuckDb;
import dev.edx.gha.tables.TableBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a table the pipeline built (its Parquet under the table's {@code edx.bucket}/{@code
 * edx.prefix}, its columns and partitions from the metastore) into a {@link RelationalStore},
 * knowing only the {@code edx-api} handle: a JDBC {@link java.sql.Connection} from its pool.
 *
 * <p>Each partition is one transaction: its rows in the target table (the partition keys are
 * columns there) are deleted and the partition's rows loaded, then committed, so a re-run replaces
 * a partition's rows and a reader never sees a partition half loaded or twice. Rows go in with
 * PostgreSQL's {@code COPY ... FROM STDIN} when the connection is pgjdbc's ({@link PgCopy}, found
 * by unwrapping the pooled connection), with batched {@code INSERT}s otherwise. The target table
 * is created when missing; its schema must exist (the store's provisioned {@code schemas}).
 */
public final class TableExporter {
  private static final Logger LOG = LoggerFactory.getLogger(TableExporter.class);
  static final int BATCH = 1_000;

  /** What loading one partition did. */
  public record PartitionResult(String partition, long rows) {}

  /** What an export did. */
  public record ExportResult(String table, String store, String target, String method,
      long rows, List<PartitionResult> partitions) {
    public ExportResult {
      partitions = List.copyOf(partitions);
    }
  }

  private final Environment env;
  private final Consumer<String> log;

  public TableExporter(Environment env, Consumer<String> log) {
    this.env = requireNonNull(env, "env is null");
    this.log = requireNonNull(log, "log is null");
  }

  /**
   * Loads table {@code id} into {@code schema.name} of data store {@code storeName}; {@code
   * schema} and {@code name} default (when null) to the table's database and name. The schema is
   * logical: the store maps it to its physical name ({@link RelationalStore#schema}, {@code
   * pr42_gha_dm} in an environment with {@code metadata.namePrefix: pr42}), where the table goes
   * and which the result names. With {@code allowCopy} false, rows go in with batched inserts even
   * where {@code COPY} is available.
   */
  public ExportResult export(TableId id, String storeName, String schema, String name,
      boolean allowCopy) throws IOException, SQLException {
    RelationalStore store = env.datastore(storeName, RelationalStore.class);
    Table table = env.metastore().loadTable(id).orElseThrow(() -> new NoSuchTableException(
        id.toString(), "Cannot export table " + id + ": the metastore has no such table; build"
            + " it first (edx gha tables) or name one of " + env.metastore().listTables(
                id.database())));
    Map<String, String> properties = table.definition().properties();
    String bucket = properties.get(TableBuilder.PROP_BUCKET);
    String prefix = properties.get(TableBuilder.PROP_PREFIX);
    if (bucket == null || prefix == null) {
      throw new IllegalArgumentException("Cannot export table " + id + ": it has no "
          + TableBuilder.PROP_BUCKET + "/" + TableBuilder.PROP_PREFIX + " properties, so it is"
          + " not a table the pipeline built");
    }
    String logicalSchema = schema == null ? id.database() : schema;
    String targetSchema = store.schema(logicalSchema);
    String targetName = name == null ? id.table() : name;
    List<Column> columns = table.definition().columns();
    List<Column> keys = table.definition().partitionKeys();
    List<Partition> partitions;
    try (Stream<Partition> list = env.metastore().listPartitions(id, Map.of())) {
      partitions = list.sorted(Comparator.comparing(p -> p.values().toString())).toList();
    }
    if (keys.isEmpty()) {
      partitions = List.of(Partition.of(List.of(), table.definition().location()));
    }
    String where = "data store '" + storeName + "' (" + store.dialect() + ")";
    List<PartitionResult> results = new ArrayList<>();
    long total = 0;
    String method;
    try (Connection c = store.dataSource().getConnection()) {
      Target target = new Target(c, store.dialect(), targetSchema, targetName, columns, keys);
      target.create(id, storeName, logicalSchema);
      PgCopy copy = allowCopy ? PgCopy.find(c).orElse(null) : null;
      method = copy != null ? "copy" : "insert";
      log.accept("export " + id + " -> " + targetSchema + "." + targetName + " in " + where
          + ": " + partitions.size() + " partition(s), by " + (copy != null ? "COPY"
              : "batched INSERT"));
      for (Partition partition : partitions) {
        String path = partitionPath(keys, partition.values());
        List<ObjectInfo> files;
        try (Stream<ObjectInfo> list = env.storage().list(bucket,
            prefix + (path.isEmpty() ? "" : path + "/"))) {
          files = list.filter(i -> i.ref().key().endsWith(".parquet"))
              .sorted(Comparator.comparing(i -> i.ref().key())).collect(Collectors.toList());
        }
        long rows = load(c, target, copy, partition.values(), files);
        String label = path.isEmpty() ? "(whole table)" : path;
        log.accept("  " + label + ": " + rows + " rows");
        results.add(new PartitionResult(label, rows));
        total += rows;
      }
    } catch (SQLException e) {
      throw new ProviderException("Cannot export table " + id + " to " + where + ": "
          + e.getMessage(), e);
    }
    log.accept("export " + id + ": " + total + " rows in " + results.size() + " partition(s)");
    return new ExportResult(id.toString(), storeName, targetSchema + "." + targetName, method,
        total, results);
  }

  /** One partition in one transaction: delete its rows, load the new ones, commit. */
  private long load(Connection c, Target target, PgCopy copy, List<String> values,
      List<ObjectInfo> files) throws IOException, SQLException {
    Path dir = Files.createTempDirectory("edx-export-");
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Connection duck = DuckDb.open(true); Statement s = duck.createStatement()) {
      long rows = 0;
      target.deletePartition(values);
      if (!files.isEmpty()) {
        List<Path> staged = DuckDb.stage(env.storage(), files, dir);
        try (ResultSet rs = s.executeQuery(target.select(DuckDb.readParquet(staged), values))) {
          rows = copy != null ? copy.copyIn(target.copySql(), new CsvRows(rs,
              target.columnTypes())) : target.insert(rs);
        }
      }
      c.commit();
      return rows;
    } catch (SQLException | IOException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      c.setAutoCommit(auto);
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  static String partitionPath(List<Column> keys, List<String> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : "/").append(keys.get(i).name()).append('=').append(values.get(i));
    }
    return sb.toString();
  }

  /** The target table: its DDL, its statements, and the SQL types of its columns. */
  static final class Target {
    private final Connection c;
    private final String dialect;
    private final String schema;
    private final String qualified;
    private final String quote;
    private final List<Column> all;
    private final List<Column> keys;

    Target(Connection c, String dialect, String schema, String name, List<Column> columns,
        List<Column> keys) throws SQLException {
      this.c = c;
      this.dialect = dialect;
      this.schema = schema;
      String q = c.getMetaData().getIdentifierQuoteString();
      this.quote = q == null || q.isBlank() ? "\"" : q.trim();
      this.qualified = quote(schema) + "." + quote(name);
      List<Column> everything = new ArrayList<>(columns);
      everything.addAll(keys);
      this.all = List.copyOf(everything);
      this.keys = List.copyOf(keys);
    }

    String quote(String identifier) {
      return quote + identifier.replace(quote, quote + quote) + quote;
    }

    List<String> columnTypes() {
      return all.stream().map(Column::type).toList();
    }

    /**
     * Creates the table when missing; a missing schema is a clear error, naming the schema as
     * declared ({@code logical}) and, when they differ, as the store names it.
     */
    void create(TableId id, String store, String logical) throws SQLException {
      if (!schemaExists()) {
        throw new IllegalArgumentException("Cannot export table " + id + " to data store '"
            + store + "': it has no schema '" + schema + "'" + (logical.equals(schema) ? ""
                : " (schema '" + logical + "' of this environment's name prefix)")
            + "; declare it (spec.datastores." + store + ".schemas: [" + logical + "]) and run"
            + " edx env apply, or name an existing one with --schema");
      }
      String ddl = "CREATE TABLE IF NOT EXISTS " + qualified + " (" + all.stream()
          .map(col -> quote(col.name()) + " " + sqlType(col.type()))
          .collect(Collectors.joining(", ")) + ")";
      LOG.debug("export: {}", ddl);
      try (Statement s = c.createStatement()) {
        s.execute(ddl);
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }

    private boolean schemaExists() throws SQLException {
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getSchemas()) {
        while (rs.next()) {
          if (schema.equals(rs.getString(1))) {
            return true;
          }
        }
      }
      try (ResultSet rs = md.getCatalogs()) {
        while (rs.next()) {
          if (schema.equals(rs.getString(1))) {
            return true;
          }
        }
      }
      return false;
    }

    /** The SQL type of a Hive type, in this dialect; records and lists become JSON text. */
    String sqlType(String hive) {
      String t = hive.trim().toLowerCase(Locale.ROOT);
      boolean postgres = dialect.equals("postgresql");
      if (t.startsWith("decimal")) {
        return t.toUpperCase(Locale.ROOT);
      }
      return switch (t) {
        case "bigint" -> "BIGINT";
        case "int", "integer" -> "INTEGER";
        case "smallint", "tinyint" -> "SMALLINT";
        case "boolean" -> "BOOLEAN";
        case "double" -> "DOUBLE PRECISION";
        case "float" -> "REAL";
        case "date" -> "DATE";
        case "timestamp" -> postgres ? "TIMESTAMP WITH TIME ZONE" : "DATETIME(6)";
        case "binary" -> postgres ? "BYTEA" : "LONGBLOB";
        default -> postgres ? "TEXT" : "LONGTEXT";
      };
    }

    static boolean complex(String hive) {
      String t = hive.trim().toLowerCase(Locale.ROOT);
      return t.startsWith("struct") || t.startsWith("array") || t.startsWith("map");
    }

    /** The DuckDB query of a partition's rows, in the target's column order. */
    String select(String source, List<String> values) {
      List<String> items = new ArrayList<>();
      for (Column col : all.subList(0, all.size() - keys.size())) {
        String ref = "\"" + col.name().replace("\"", "\"\"") + "\"";
        items.add(complex(col.type()) ? "CAST(to_json(" + ref + ") AS VARCHAR)" : ref);
      }
      for (int i = 0; i < keys.size(); i++) {
        String duckType = switch (keys.get(i).type().toLowerCase(Locale.ROOT)) {
          case "bigint" -> "BIGINT";
          case "int", "integer", "smallint", "tinyint" -> "INTEGER";
          default -> "VARCHAR";
        };
        items.add("CAST(" + DuckDb.literal(values.get(i)) + " AS " + duckType + ")");
      }
      return "SELECT " + String.join(", ", items) + " FROM " + source;
    }

    void deletePartition(List<String> values) throws SQLException {
      if (keys.isEmpty()) {
        try (Statement s = c.createStatement()) {
          s.executeUpdate("DELETE FROM " + qualified);
        }
        return;
      }
      String sql = "DELETE FROM " + qualified + " WHERE " + keys.stream()
          .map(k -> quote(k.name()) + " = ?").collect(Collectors.joining(" AND "));
      try (PreparedStatement s = c.prepareStatement(sql)) {
        for (int i = 0; i < keys.size(); i++) {
          String type = keys.get(i).type().toLowerCase(Locale.ROOT);
          if (type.equals("bigint")) {
            s.setLong(i + 1, Long.parseLong(values.get(i)));
          } else if (type.equals("string")) {
            s.setString(i + 1, values.get(i));
          } else {
            s.setInt(i + 1, Integer.parseInt(values.get(i)));
          }
        }
        s.executeUpdate();
      }
    }

    String copySql() {
      return "COPY " + qualified + " (" + all.stream().map(col -> quote(col.name()))
          .collect(Collectors.joining(", ")) + ") FROM STDIN WITH (FORMAT csv)";
    }

    /** Batched {@code INSERT}s of every row of {@code rs}; returns the rows inserted. */
    long insert(ResultSet rs) throws SQLException {
      String sql = "INSERT INTO " + qualified + " (" + all.stream().map(col -> quote(col.name()))
          .collect(Collectors.joining(", ")) + ") VALUES (" + all.stream().map(col -> "?")
          .collect(Collectors.joining(", ")) + ")";
      long rows = 0;
      try (PreparedStatement s = c.prepareStatement(sql)) {
        int pending = 0;
        while (rs.next()) {
          for (int i = 1; i <= all.size(); i++) {
            s.setObject(i, JdbcValues.of(rs.getObject(i)));
          }
          s.addBatch();
          rows++;
          if (++pending == BATCH) {
            s.executeBatch();
            pending = 0;
          }
        }
        if (pending > 0) {
          s.executeBatch();
        }
      }
      return rows;
    }
  }
}
