package dev.edx.core.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edx.api.Column;
import dev.edx.api.exceptions.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code jsonb} values of {@link PostgresMetastore}: columns, property maps, and the partition
 * rows handed to {@code jsonb_to_recordset} as one parameter.
 */
final class PostgresJson {
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private final ObjectMapper mapper = new ObjectMapper();

  /** Partition rows as {@code [{"v": [values...], "l": location}, ...]}. */
  String partitions(List<Map.Entry<List<String>, String>> rows) {
    ArrayNode array = mapper.createArrayNode();
    for (Map.Entry<List<String>, String> row : rows) {
      ObjectNode o = array.addObject();
      ArrayNode v = o.putArray("v");
      row.getKey().forEach(v::add);
      o.put("l", row.getValue());
    }
    return array.toString();
  }

  String write(List<Column> columns) {
    ArrayNode array = mapper.createArrayNode();
    for (Column column : columns) {
      ObjectNode c = array.addObject();
      c.put("name", column.name());
      c.put("type", column.type());
      column.comment().ifPresent(comment -> c.put("comment", comment));
    }
    return array.toString();
  }

  String write(Map<String, String> map) {
    ObjectNode node = mapper.createObjectNode();
    new TreeMap<>(map).forEach(node::put);
    return node.toString();
  }

  List<Column> columns(String json) {
    List<Column> columns = new ArrayList<>();
    readTree(json).forEach(c -> columns.add(new Column(c.path("name").asText(),
        c.path("type").asText(), Optional.ofNullable(c.get("comment")).map(JsonNode::asText))));
    return columns;
  }

  Map<String, String> stringMap(String json) {
    try {
      return json == null ? Map.of() : mapper.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new ProviderException("Cannot read metastore properties: " + e.getMessage(), e);
    }
  }

  private JsonNode readTree(String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ProviderException("Cannot read metastore columns: " + e.getMessage(), e);
    }
  }
}
