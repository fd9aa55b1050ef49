package dev.edx.gha.cli;

import dev.edx.api.Environment;
import dev.edx.api.ObjectInfo;
import dev.edx.api.Table;
import dev.edx.api.TableId;
import dev.edx.gha.tables.DuckDb;
import dev.edx.gha.tables.TableBuilder;
import java.io.IOException;
import java.io.PrintWriter;
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

  static Rows query(Environment env, String sql) throws IOException, SQLException {
    Path dir = Files.createTempDirectory("edx-sql-");
    try (Connection c = DuckDb.open(); Statement s = c.createStatement()) {
      String lower = sql.toLowerCase(Locale.ROOT);
      for (String database : env.metastore().listDatabases()) {
        for (TableId id : env.metastore().listTables(database)) {
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
          s.execute("CREATE SCHEMA IF NOT EXISTS " + id.database());
          if (files.isEmpty()) {
            continue;
          }
          List<Path> staged = DuckDb.stage(env.storage(), files, dir);
          s.execute("CREATE VIEW " + id + " AS SELECT * FROM " + DuckDb.readParquet(staged));
        }
      }
      try (ResultSet rs = s.executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          columns.add(md.getColumnLabel(i));
        }
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= columns.size(); i++) {
            Object v = rs.getObject(i);
            row.add(v == null ? "NULL" : v.toString());
          }
          rows.add(row);
        }
        return new Rows(columns, rows);
      }
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Prints rows as an aligned text table, cells cut at 40 characters. */
  static void print(Rows rows, PrintWriter out) {
    int n = rows.columns().size();
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = rows.columns().get(i).length();
      for (List<String> row : rows.rows()) {
        width[i] = Math.max(width[i], cut(row.get(i)).length());
      }
    }
    StringBuilder header = new StringBuilder();
    for (int i = 0; i < n; i++) {
      header.append(i == 0 ? "" : " | ").append(pad(rows.columns().get(i), width[i]));
    }
    out.println(header);
    out.println("-".repeat(header.length()));
    for (List<String> row : rows.rows()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? "" : " | ").append(pad(cut(row.get(i)), width[i]));
      }
      out.println(sb);
    }
    out.println("(" + rows.rows().size() + " row" + (rows.rows().size() == 1 ? "" : "s") + ")");
  }

  private static String cut(String s) {
    String one = s.replace('\n', ' ');
    return one.length() <= 40 ? one : one.substring(0, 37) + "...";
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }
}
