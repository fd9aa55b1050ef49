package dev.edx.gha.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.edx.api.Environment;
import dev.edx.api.ObjectInfo;
import dev.edx.api.Table;
import dev.edx.api.TableId;
import dev.edx.api.exceptions.NoSuchDatabaseException;
import dev.edx.gha.tables.DuckDb;
import dev.edx.gha.tables.TableBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code edx sql}: DuckDB over the tables registered in the metastore. Each table the query names
 * is staged from storage (its {@code edx.bucket}/{@code edx.prefix} properties) into a temporary
 * folder and exposed as the view {@code database.table}.
 */
final class SqlEngine {
  private SqlEngine() {}

  /** Rows of a query: column names, then the values as text. */
  record Rows(List<String> columns, List<List<String>> rows) {}

  /** Receives a query's rows one at a time, so that no result is held whole. */
  interface RowSink {
    void start(List<String> columns) throws IOException;

    void row(List<Object> values) throws IOException;

    void end(long rows) throws IOException;
  }

  /** The output formats of {@code edx sql}. */
  enum Format {
    TABLE, CSV, JSON;

    RowSink sink(PrintWriter out) {
      return switch (this) {
        case TABLE -> new TableSink(out);
        case CSV -> new CsvSink(out);
        case JSON -> new JsonSink(out);
      };
    }
  }

  /** {@code SHOW TABLES}, {@code SHOW ALL TABLES}, {@code SHOW TABLES FROM db}. */
  private static final Pattern SHOW_TABLES = Pattern.compile(
      "\\s*show\\s+(?:all\\s+)?tables(?:\\s+(?:from|in)\\s+\"?(\\w+)\"?)?\\s*;?\\s*",
      Pattern.CASE_INSENSITIVE);

  static Rows query(Environment env, String sql) throws IOException, SQLException {
    List<String> columns = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    query(env, sql, new RowSink() {
      @Override
      public void start(List<String> names) {
        columns.addAll(names);
      }

      @Override
      public void row(List<Object> values) {
        rows.add(values.stream().map(SqlEngine::text).toList());
      }

      @Override
      public void end(long count) {}
    });
    return new Rows(columns, rows);
  }

  /**
   * Runs {@code sql} and hands each row to {@code sink} as it is read; returns the number of rows.
   * {@code SHOW TABLES} lists the tables of the environment's metastore (the tables a query can
   * name), not DuckDB's catalog.
   */
  static long query(Environment env, String sql, RowSink sink) throws IOException, SQLException {
    Matcher show = SHOW_TABLES.matcher(sql);
    if (show.matches()) {
      return showTables(env, show.group(1), sink);
    }
    Path dir = Files.createTempDirectory("edx-sql-");
    try (Connection c = DuckDb.open(); Statement s = c.createStatement()) {
      String lower = sql.toLowerCase(Locale.ROOT);
      for (String database : env.metastore().listDatabases()) {
        // Quoted: a metastore may hold databases named as SQL keywords (Hive's "default").
        s.execute("CREATE SCHEMA IF NOT EXISTS \"" + database + "\"");
        for (TableId id : tablesOf(env, database)) {
          if (!lower.contains(id.table())) {
            continue;
          }
          Table table = env.metastore().loadTable(id).orElseThrow();
          String bucket = table.definition().properties().get(TableBuilder.PROP_BUCKET);
          String prefix = table.definition().properties().get(TableBuilder.PROP_PREFIX);
          if (bucket == null || prefix == null) {
            continue;
          }
          List<ObjectInfo> files;
          try (Stream<ObjectInfo> list = env.storage().list(bucket, prefix)) {
            files = list.filter(i -> i.ref().key().endsWith(".parquet"))
                .sorted(Comparator.comparing(i -> i.ref().key())).collect(Collectors.toList());
          }
          if (files.isEmpty()) {
            continue;
          }
          List<Path> staged = DuckDb.stage(env.storage(), files, dir);
          s.execute("CREATE VIEW \"" + id.database() + "\".\"" + id.table() + "\" AS SELECT * FROM "
              + DuckDb.readParquet(staged));
        }
      }
      try (ResultSet rs = s.executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          columns.add(md.getColumnLabel(i));
        }
        sink.start(columns);
        long count = 0;
        while (rs.next()) {
          List<Object> row = new ArrayList<>(columns.size());
          for (int i = 1; i <= columns.size(); i++) {
            row.add(rs.getObject(i));
          }
          sink.row(row);
          count++;
        }
        sink.end(count);
        return count;
      }
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * The tables of a database the metastore listed a moment ago, or none when it has been dropped
   * since (another command's, such as {@code edx doctor}'s scratch database).
   */
  static List<TableId> tablesOf(Environment env, String database) {
    try {
      return env.metastore().listTables(database);
    } catch (NoSuchDatabaseException e) {
      return List.of();
    }
  }

  private static long showTables(Environment env, String only, RowSink sink) throws IOException {
    sink.start(List.of("database", "table", "format", "location"));
    long count = 0;
    List<String> databases = only == null ? env.metastore().listDatabases()
        : List.of(only.toLowerCase(Locale.ROOT));
    for (String database : databases.stream().sorted().toList()) {
      // A database named in the query must exist; one listed may go (another command's drop).
      for (TableId id : only == null ? tablesOf(env, database)
          : env.metastore().listTables(database)) {
        Table table = env.metastore().loadTable(id).orElse(null);
        if (table == null) {
          continue;
        }
        sink.row(List.of(id.database(), id.table(), table.definition().format(),
            table.definition().location()));
        count++;
      }
    }
    sink.end(count);
    return count;
  }

  static String text(Object value) {
    return value == null ? "NULL" : value.toString();
  }

  /** Prints rows as an aligned text table, cells cut at 40 characters. */
  static void print(Rows rows, PrintWriter out) throws IOException {
    RowSink sink = Format.TABLE.sink(out);
    sink.start(rows.columns());
    for (List<String> row : rows.rows()) {
      sink.row(List.copyOf(row));
    }
    sink.end(rows.rows().size());
  }

  /**
   * An aligned text table: widths from the first {@value #SAMPLE} rows, which it holds; the rest
   * stream through (cells cut at 40 characters).
   */
  static final class TableSink implements RowSink {
    static final int SAMPLE = 200;
    private final PrintWriter out;
    private final List<List<String>> sample = new ArrayList<>();
    private List<String> columns;
    private int[] width;

    TableSink(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void start(List<String> names) {
      columns = List.copyOf(names);
    }

    @Override
    public void row(List<Object> values) {
      List<String> cells = values.stream().map(v -> cut(text(v))).toList();
      if (width != null) {
        line(cells);
        return;
      }
      sample.add(cells);
      if (sample.size() == SAMPLE) {
        flushSample();
      }
    }

    private void flushSample() {
      width = new int[columns.size()];
      for (int i = 0; i < width.length; i++) {
        width[i] = columns.get(i).length();
        for (List<String> row : sample) {
          width[i] = Math.max(width[i], row.get(i).length());
        }
      }
      String header = line(columns);
      out.println("-".repeat(header.length()));
      sample.forEach(this::line);
      sample.clear();
    }

    private String line(List<String> cells) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < cells.size(); i++) {
        sb.append(i == 0 ? "" : " | ").append(pad(cells.get(i), width[i]));
      }
      String line = sb.toString();
      out.println(line);
      return line;
    }

    @Override
    public void end(long rows) {
      if (width == null) {
        flushSample();
      }
      out.println("(" + rows + " row" + (rows == 1 ? "" : "s") + ")");
      out.flush();
    }
  }

  /** RFC 4180 CSV: a header line, then one line per row; NULL is an empty field. */
  static final class CsvSink implements RowSink {
    private final PrintWriter out;

    CsvSink(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void start(List<String> columns) {
      out.print(String.join(",", columns.stream().map(CsvSink::field).toList()) + "\r\n");
    }

    @Override
    public void row(List<Object> values) {
      out.print(String.join(",", values.stream()
          .map(v -> v == null ? "" : field(v.toString())).toList()) + "\r\n");
    }

    @Override
    public void end(long rows) {
      out.flush();
    }

    static String field(String value) {
      if (value.isEmpty() || value.chars().noneMatch(ch -> ch == ',' || ch == '"' || ch == '\n'
          || ch == '\r')) {
        return value;
      }
      return '"' + value.replace("\"", "\"\"") + '"';
    }
  }

  /**
   * One JSON document, streamed: {@code {"formatVersion":1,"columns":[...],"rows":[[...],...],
   * "count":N}}; numbers and booleans stay JSON numbers and booleans, anything else is text.
   */
  static final class JsonSink implements RowSink {
    private final JsonGenerator json;

    JsonSink(PrintWriter out) {
      try {
        json = new JsonFactory().createGenerator(out).disable(
            JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void start(List<String> columns) throws IOException {
      json.writeStartObject();
      json.writeNumberField("formatVersion", 1);
      json.writeArrayFieldStart("columns");
      for (String column : columns) {
        json.writeString(column);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("rows");
    }

    @Override
    public void row(List<Object> values) throws IOException {
      json.writeStartArray();
      for (Object v : values) {
        if (v == null) {
          json.writeNull();
        } else if (v instanceof Boolean b) {
          json.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short
            || v instanceof Byte) {
          json.writeNumber(((Number) v).longValue());
        } else if (v instanceof BigInteger i) {
          json.writeNumber(i);
        } else if (v instanceof BigDecimal d) {
          json.writeNumber(d);
        } else if (v instanceof Double || v instanceof Float) {
          double d = ((Number) v).doubleValue();
          if (Double.isFinite(d)) {
            json.writeNumber(d);
          } else {
            json.writeString(Double.toString(d));
          }
        } else {
          json.writeString(v.toString());
        }
      }
      json.writeEndArray();
    }

    @Override
    public void end(long rows) throws IOException {
      json.writeEndArray();
      json.writeNumberField("count", rows);
      json.writeEndObject();
      json.writeRaw('\n');
      json.flush();
    }
  }

  private static String cut(String s) {
    String one = s.replace('\n', ' ');
    return one.length() <= 40 ? one : one.substring(0, 37) + "...";
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }
}
