package dev.edx.gha.tables;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The embedded SQL engine: an in-memory DuckDB that never installs or autoloads extensions (json
 * and parquet are built in), reading only files staged from {@link ObjectStorage}.
 */
public final class DuckDb {
  private DuckDb() {}

  public static Connection open() throws SQLException {
    return open(false);
  }

  /**
   * An in-memory DuckDB; with {@code stream}, a query's rows are produced as they are read (for
   * results too large to hold) rather than materialized by {@code executeQuery}.
   */
  public static Connection open(boolean stream) throws SQLException {
    Properties props = new Properties();
    if (stream) {
      props.setProperty("jdbc_stream_results", "true");
    }
    props.setProperty("autoinstall_known_extensions", "false");
    props.setProperty("autoload_known_extensions", "false");
    Connection c = DriverManager.getConnection("jdbc:duckdb:", props);
    try (var s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
    } catch (SQLException e) {
      // icu (time zones) may be absent: timestamps with time zone then print in UTC anyway.
    }
    return c;
  }

  /** Copies {@code objects} into {@code dir} under their keys; returns the local files. */
  public static List<Path> stage(ObjectStorage storage, List<ObjectInfo> objects, Path dir)
      throws IOException {
    List<Path> files = new ArrayList<>();
    for (ObjectInfo info : objects) {
      ObjectRef ref = info.ref();
      Path target = dir.resolve(ref.bucket()).resolve(ref.key()).normalize();
      if (!target.startsWith(dir)) {
        throw new IOException("Cannot stage " + ref + ": its key escapes the staging folder");
      }
      Files.createDirectories(target.getParent());
      try (InputStream in = storage.open(ref)) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      files.add(target);
    }
    return files;
  }

  /** {@code read_parquet([...])} over local files, partition columns read from the files. */
  public static String readParquet(List<Path> files) {
    StringBuilder sb = new StringBuilder("read_parquet([");
    for (int i = 0; i < files.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(literal(files.get(i).toString()));
    }
    return sb.append("], hive_partitioning = false, union_by_name = true)").toString();
  }

  public static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** Hive's name for a DuckDB type (structs and lists recursively). */
  static String hiveType(String duck) {
    String t = duck.trim();
    String upper = t.toUpperCase(java.util.Locale.ROOT);
    if (upper.endsWith("[]")) {
      return "array<" + hiveType(t.substring(0, t.length() - 2)) + ">";
    }
    if (upper.startsWith("STRUCT(") && t.endsWith(")")) {
      StringBuilder sb = new StringBuilder("struct<");
      String sep = "";
      for (String field : splitTopLevel(t.substring(7, t.length() - 1))) {
        String f = field.trim();
        String name;
        String type;
        if (f.startsWith("\"")) {
          int end = f.indexOf('"', 1);
          name = f.substring(1, end);
          type = f.substring(end + 1);
        } else {
          int space = f.indexOf(' ');
          name = f.substring(0, space);
          type = f.substring(space + 1);
        }
        sb.append(sep).append(name).append(':').append(hiveType(type));
        sep = ",";
      }
      return sb.append('>').toString();
    }
    if (upper.startsWith("DECIMAL")) {
      return t.toLowerCase(java.util.Locale.ROOT);
    }
    return switch (upper) {
      case "VARCHAR", "JSON", "UUID" -> "string";
      case "BIGINT", "UBIGINT" -> "bigint";
      case "INTEGER", "UINTEGER" -> "int";
      case "SMALLINT", "USMALLINT" -> "smallint";
      case "TINYINT", "UTINYINT" -> "tinyint";
      case "BOOLEAN" -> "boolean";
      case "DOUBLE" -> "double";
      case "FLOAT" -> "float";
      case "DATE" -> "date";
      case "HUGEINT" -> "decimal(38,0)";
      case "BLOB" -> "binary";
      default -> {
        if (upper.startsWith("TIMESTAMP")) {
          yield "timestamp";
        }
        throw new IllegalArgumentException("Cannot map DuckDB type " + duck
            + " to a Hive type; cast the column in the table's SQL");
      }
    };
  }

  private static List<String> splitTopLevel(String s) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }
}
