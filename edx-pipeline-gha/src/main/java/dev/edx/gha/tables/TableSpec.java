package dev.edx.gha.tables;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.edx.api.TableId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A table {@code createtable} builds: SQL over {@code events}, partitioned by a prefix of
 * {@code (year, month, day, hour)}. {@code sql} is the query of the default engine (DuckDB);
 * {@code engineSql} holds the query for another engine where it must differ (key: the engine,
 * {@code spark}); an engine without its own query runs {@code sql}.
 */
public record TableSpec(String database, String name, String sql, List<String> partitionBy,
    String comment, Map<String, String> engineSql) {
  static final List<String> HOUR_KEYS = List.of("year", "month", "day", "hour");
  /** The engine of {@code sql}: DuckDB, in the Java tasks. */
  public static final String DEFAULT_ENGINE = "duckdb";
  /** The engines a tables file may name in {@code engineSql}. */
  public static final List<String> ENGINES = List.of(DEFAULT_ENGINE, "spark");

  public TableSpec {
    requireNonNull(database, "database is null");
    requireNonNull(name, "name is null");
    requireNonNull(sql, "sql is null");
    partitionBy = List.copyOf(requireNonNull(partitionBy, "partitionBy is null"));
    comment = comment == null ? "" : comment;
    engineSql = engineSql == null ? Map.of() : Map.copyOf(engineSql);
    TableId.of(database, name);
    for (String engine : engineSql.keySet()) {
      if (!ENGINES.contains(engine)) {
        throw new IllegalArgumentException("Invalid engineSql key '" + engine + "' of table "
            + database + "." + name + ": use one of " + ENGINES);
      }
    }
    if (partitionBy.isEmpty() || !HOUR_KEYS.subList(0, partitionBy.size()).equals(partitionBy)) {
      throw new IllegalArgumentException("Invalid partitionBy " + partitionBy + " of table "
          + database + "." + name + ": use a prefix of " + HOUR_KEYS
          + ", such as [year, month, day]");
    }
  }

  TableId id() {
    return TableId.of(database, name);
  }

  /** The query {@code engine} runs: its own from {@code engineSql}, else {@code sql}. */
  public String sql(String engine) {
    return engineSql.getOrDefault(engine, sql);
  }

  @JsonIgnoreProperties(ignoreUnknown = false)
  private record File(@JsonProperty(required = true) List<TableSpec> tables) {}

  /** Parses a tables file; unknown keys are errors. */
  public static List<TableSpec> parse(String yaml, String source) {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);
    try {
      return mapper.readValue(yaml, File.class).tables();
    } catch (IOException e) {
      throw new IllegalArgumentException("Invalid tables file " + source + ": "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  /** The built-in tables (default-tables.yaml). */
  public static String defaultYaml() {
    try (InputStream in = TableSpec.class.getResourceAsStream("default-tables.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the built-in default-tables.yaml", e);
    }
  }
}
