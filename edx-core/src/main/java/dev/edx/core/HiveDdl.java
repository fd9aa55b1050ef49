package dev.edx.core;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Column;
import dev.edx.api.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders a {@link TableDefinition} as the DDL an engine runs to query what edx registered: a
 * Hive-style {@code CREATE EXTERNAL TABLE} for Spark SQL and Athena, and a Hive-connector {@code
 * CREATE TABLE ... WITH (external_location = ...)} for Trino. Partitions are then discovered by
 * the engine ({@code MSCK REPAIR TABLE}, Trino's {@code system.sync_partition_metadata}).
 *
 * <pre>{@code
 * String ddl = HiveDdl.render(table.definition(), HiveDdl.Dialect.TRINO);
 * }</pre>
 *
 * <p>Names are Hive identifiers already (the API records check them) and are quoted anyway;
 * strings are escaped for each dialect. Stateless.
 */
public final class HiveDdl {

  /** The engine a statement is for. */
  public enum Dialect {
    /** Spark SQL with Hive support (also Hive itself). */
    SPARK,
    /** Trino's Hive connector. */
    TRINO,
    /** Amazon Athena (Hive DDL; {@code s3a://} locations become {@code s3://}). */
    ATHENA
  }

  private HiveDdl() {}

  /**
   * The statement creating {@code table} in {@code dialect}.
   *
   * @throws IllegalArgumentException if the format or a column type has no equivalent there
   */
  public static String render(TableDefinition table, Dialect dialect) {
    requireNonNull(table, "table is null");
    requireNonNull(dialect, "dialect is null");
    return dialect == Dialect.TRINO ? trino(table) : hive(table, dialect);
  }

  private static String hive(TableDefinition t, Dialect dialect) {
    StringBuilder sb = new StringBuilder("CREATE EXTERNAL TABLE ")
        .append(backtick(t.id().database())).append('.').append(backtick(t.id().table()))
        .append(" (\n");
    sb.append(t.columns().stream().map(c -> "  " + hiveColumn(c, dialect))
        .collect(Collectors.joining(",\n")));
    sb.append("\n)");
    t.comment().ifPresent(c -> sb.append("\nCOMMENT ").append(hiveString(c)));
    if (!t.partitionKeys().isEmpty()) {
      sb.append("\nPARTITIONED BY (").append(t.partitionKeys().stream()
          .map(c -> hiveColumn(c, dialect)).collect(Collectors.joining(", "))).append(')');
    }
    sb.append('\n').append(hiveStorage(t, dialect));
    String location = dialect == Dialect.ATHENA
        ? t.location().replaceFirst("^s3[an]://", "s3://") : t.location();
    sb.append("\nLOCATION ").append(hiveString(location));
    if (!t.properties().isEmpty()) {
      sb.append("\nTBLPROPERTIES (").append(new TreeMap<>(t.properties()).entrySet().stream()
          .map(e -> hiveString(e.getKey()) + "=" + hiveString(e.getValue()))
          .collect(Collectors.joining(", "))).append(')');
    }
    return sb.toString();
  }

  private static String hiveColumn(Column c, Dialect dialect) {
    String type = HiveType.parse(c.type()).hive(dialect);
    return backtick(c.name()) + " " + type
        + c.comment().map(comment -> " COMMENT " + hiveString(comment)).orElse("");
  }

  private static String hiveStorage(TableDefinition t, Dialect dialect) {
    return switch (t.format().toLowerCase(Locale.ROOT)) {
      case "parquet" -> "STORED AS PARQUET";
      case "orc" -> "STORED AS ORC";
      case "avro" -> "STORED AS AVRO";
      case "json" -> "ROW FORMAT SERDE " + hiveString(dialect == Dialect.ATHENA
          ? "org.openx.data.jsonserde.JsonSerDe" : "org.apache.hive.hcatalog.data.JsonSerDe")
          + "\nSTORED AS TEXTFILE";
      case "csv" -> "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'"
          + "\nSTORED AS TEXTFILE";
      case "text", "textfile" -> "STORED AS TEXTFILE";
      default -> throw unsupportedFormat(t, dialect);
    };
  }

  private static String trino(TableDefinition t) {
    StringBuilder sb = new StringBuilder("CREATE TABLE ")
        .append(doubleQuote(t.id().database())).append('.').append(doubleQuote(t.id().table()))
        .append(" (\n");
    List<Column> all = new ArrayList<>(t.columns());
    all.addAll(t.partitionKeys()); // Trino lists partition columns last, among the columns
    sb.append(all.stream().map(c -> "  " + doubleQuote(c.name()) + " "
            + HiveType.parse(c.type()).trino()
            + c.comment().map(comment -> " COMMENT " + sqlString(comment)).orElse(""))
        .collect(Collectors.joining(",\n")));
    sb.append("\n)");
    t.comment().ifPresent(c -> sb.append("\nCOMMENT ").append(sqlString(c)));
    String format = switch (t.format().toLowerCase(Locale.ROOT)) {
      case "parquet", "orc", "avro", "json", "csv" -> t.format().toUpperCase(Locale.ROOT);
      case "text", "textfile" -> "TEXTFILE";
      default -> throw unsupportedFormat(t, Dialect.TRINO);
    };
    sb.append("\nWITH (\n  external_location = ").append(sqlString(t.location()))
        .append(",\n  format = ").append(sqlString(format));
    if (!t.partitionKeys().isEmpty()) {
      sb.append(",\n  partitioned_by = ARRAY[").append(t.partitionKeys().stream()
          .map(c -> sqlString(c.name())).collect(Collectors.joining(", "))).append(']');
    }
    return sb.append("\n)").toString();
  }

  private static IllegalArgumentException unsupportedFormat(TableDefinition t, Dialect dialect) {
    return new IllegalArgumentException("Cannot render table " + t.id() + " for " + dialect
        + ": format '" + t.format() + "' is not one of parquet, orc, avro, json, csv, textfile");
  }

  private static String backtick(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String doubleQuote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** A Hive/Spark string literal: backslash escapes ({@code ''} would concatenate in Spark). */
  private static String hiveString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A standard SQL string literal, as Trino reads it. */
  private static String sqlString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** A parsed Hive type name: a primitive with optional parameters, or array, map, struct. */
  private record HiveType(String name, List<String> params, List<HiveType> children,
      List<String> fieldNames) {
    private static final Map<String, String> TRINO_PRIMITIVES = Map.ofEntries(
        Map.entry("string", "varchar"), Map.entry("varchar", "varchar"),
        Map.entry("char", "char"), Map.entry("tinyint", "tinyint"),
        Map.entry("smallint", "smallint"), Map.entry("int", "integer"),
        Map.entry("integer", "integer"), Map.entry("bigint", "bigint"),
        Map.entry("float", "real"), Map.entry("double", "double"),
        Map.entry("decimal", "decimal"), Map.entry("boolean", "boolean"),
        Map.entry("date", "date"), Map.entry("timestamp", "timestamp(3)"),
        Map.entry("binary", "varbinary"));

    static HiveType parse(String text) {
      Parser p = new Parser(text);
      HiveType type = p.type();
      p.skipSpaces();
      if (p.pos != text.length()) {
        throw p.error("unexpected '" + text.charAt(p.pos) + "'");
      }
      return type;
    }

    String hive(Dialect dialect) {
      return switch (name) {
        case "array" -> "ARRAY<" + children.get(0).hive(dialect) + ">";
        case "map" -> "MAP<" + children.get(0).hive(dialect) + ","
            + children.get(1).hive(dialect) + ">";
        case "struct" -> {
          List<String> fields = new ArrayList<>();
          for (int i = 0; i < children.size(); i++) {
            fields.add(fieldNames.get(i) + ":" + children.get(i).hive(dialect));
          }
          yield "STRUCT<" + String.join(",", fields) + ">";
        }
        default -> name.toUpperCase(Locale.ROOT)
            + (params.isEmpty() ? "" : "(" + String.join(",", params) + ")");
      };
    }

    String trino() {
      return switch (name) {
        case "array" -> "array(" + children.get(0).trino() + ")";
        case "map" -> "map(" + children.get(0).trino() + ", " + children.get(1).trino() + ")";
        case "struct" -> {
          List<String> fields = new ArrayList<>();
          for (int i = 0; i < children.size(); i++) {
            fields.add(doubleQuote(fieldNames.get(i)) + " " + children.get(i).trino());
          }
          yield "row(" + String.join(", ", fields) + ")";
        }
        default -> {
          String trino = TRINO_PRIMITIVES.get(name);
          if (trino == null) {
            throw new IllegalArgumentException("Cannot render Hive type '" + name
                + "' for TRINO: no equivalent");
          }
          yield params.isEmpty() || trino.contains("(") ? trino
              : trino + "(" + String.join(", ", params) + ")";
        }
      };
    }
  }

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    HiveType type() {
      String name = word().toLowerCase(Locale.ROOT);
      switch (name) {
        case "array" -> {
          expect('<');
          HiveType element = type();
          expect('>');
          return new HiveType(name, List.of(), List.of(element), List.of());
        }
        case "map" -> {
          expect('<');
          HiveType key = type();
          expect(',');
          HiveType value = type();
          expect('>');
          return new HiveType(name, List.of(), List.of(key, value), List.of());
        }
        case "struct" -> {
          expect('<');
          List<String> names = new ArrayList<>();
          List<HiveType> types = new ArrayList<>();
          do {
            names.add(word().toLowerCase(Locale.ROOT));
            expect(':');
            types.add(type());
          } while (accept(','));
          expect('>');
          return new HiveType(name, List.of(), types, names);
        }
        default -> {
          List<String> params = new ArrayList<>();
          if (accept('(')) {
            do {
              params.add(number());
            } while (accept(','));
            expect(')');
          }
          return new HiveType(name, params, List.of(), List.of());
        }
      }
    }

    private String word() {
      skipSpaces();
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
        pos++;
      }
      if (start == pos) {
        throw error("expected a name");
      }
      return text.substring(start, pos);
    }

    private String number() {
      skipSpaces();
      int start = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (start == pos) {
        throw error("expected a number");
      }
      return text.substring(start, pos);
    }

    private boolean accept(char c) {
      skipSpaces();
      if (pos < text.length() && text.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (!accept(c)) {
        throw error("expected '" + c + "'");
      }
    }

    void skipSpaces() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    IllegalArgumentException error(String problem) {
      return new IllegalArgumentException("Cannot parse Hive type '" + text + "' at position "
          + pos + ": " + problem);
    }
  }
}
