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

/**
 * A table {@code createtable} builds: SQL over {@code events}, partitioned by a prefix of
 * {@code (year, month, day, hour)}.
 */
record TableSpec(String database, String name, String sql, List<String> partitionBy,
    String comment) {
  static final List<String> HOUR_KEYS = List.of("year", "month", "day", "hour");

  TableSpec {
    requireNonNull(database, "database is null");
    requireNonNull(name, "name is null");
    requireNonNull(sql, "sql is null");
    partitionBy = List.copyOf(requireNonNull(partitionBy, "partitionBy is null"));
    comment = comment == null ? "" : comment;
    TableId.of(database, name);
    if (partitionBy.isEmpty() || !HOUR_KEYS.subList(0, partitionBy.size()).equals(partitionBy)) {
      throw new IllegalArgumentException("Invalid partitionBy " + partitionBy + " of table "
          + database + "." + name + ": use a prefix of " + HOUR_KEYS
          + ", such as [year, month, day]");
    }
  }

  TableId id() {
    return TableId.of(database, name);
  }

  @JsonIgnoreProperties(ignoreUnknown = false)
  private record File(@JsonProperty(required = true) List<TableSpec> tables) {}

  /** Parses a tables file; unknown keys are errors. */
  static List<TableSpec> parse(String yaml, String source) {
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
  static String defaultYaml() {
    try (InputStream in = TableSpec.class.getResourceAsStream("default-tables.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the built-in default-tables.yaml", e);
    }
  }
}
