package dev.edx.provider.aws;

import static dev.edx.provider.aws.LocalJsonEndpoint.JSON;
import static dev.edx.provider.aws.LocalJsonEndpoint.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edx.provider.aws.LocalJsonEndpoint.AwsError;
import dev.edx.provider.aws.LocalJsonEndpoint.Request;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Glue Data Catalog calls edx makes, answered in Glue's JSON 1.1 protocol ({@code AWSGlue.*}
 * targets) from memory, for {@link LocalJsonEndpoint}: databases (Create, Get, GetDatabases
 * paged, Update, Delete with its tables), tables (Create, Get, GetTables paged, UpdateTable with
 * the {@code VersionId} check answering {@code ConcurrentModificationException}, Delete with its
 * partitions) and partitions (BatchCreatePartition up to 100, BatchGetPartition up to 1,000,
 * GetPartitions paged with {@code k = 'v' AND ...} expressions, UpdatePartition,
 * BatchDeletePartition up to 25). Errors use Glue's codes ({@code EntityNotFoundException},
 * {@code AlreadyExistsException}, {@code InvalidInputException}). A test double, not an emulator.
 */
final class LocalGlue implements LocalJsonEndpoint.Handler {
  private static final Pattern TERM = Pattern.compile("\\s*(\\w+)\\s*=\\s*'((?:[^']|'')*)'\\s*");
  static final int PAGE = 3;

  private final Map<String, ObjectNode> databases = new TreeMap<>();
  private final Map<String, Map<String, ObjectNode>> tables = new TreeMap<>();
  private final Map<String, Map<List<String>, ObjectNode>> partitions = new TreeMap<>();

  @Override
  public synchronized JsonNode handle(Request request) {
    JsonNode in = request.body();
    ObjectNode out = JSON.createObjectNode();
    switch (request.operation()) {
      case "CreateDatabase" -> {
        JsonNode input = in.get("DatabaseInput");
        String name = text(input, "Name");
        if (databases.containsKey(name)) {
          throw new AwsError("AlreadyExistsException", "Database already exists.");
        }
        databases.put(name, input.deepCopy());
        tables.put(name, new TreeMap<>());
      }
      case "GetDatabase" -> out.set("Database", database(text(in, "Name")));
      case "UpdateDatabase" -> {
        database(text(in, "Name"));
        databases.put(text(in, "Name"), ((ObjectNode) in.get("DatabaseInput")).deepCopy());
      }
      case "GetDatabases" -> page(out, "DatabaseList", new ArrayList<>(databases.values()), in);
      case "DeleteDatabase" -> {
        String name = text(in, "Name");
        database(name);
        databases.remove(name);
        tables.remove(name).keySet().forEach(t -> partitions.remove(name + "." + t));
      }
      case "CreateTable" -> {
        String db = text(in, "DatabaseName");
        database(db);
        ObjectNode table = ((ObjectNode) in.get("TableInput")).deepCopy();
        String name = text(table, "Name");
        if (tables.get(db).containsKey(name)) {
          throw new AwsError("AlreadyExistsException", "Table already exists.");
        }
        table.put("DatabaseName", db).put("VersionId", "0").put("CreateTime", 1.7e9);
        tables.get(db).put(name, table);
        partitions.put(db + "." + name, new TreeMap<>(LocalGlue::compare));
      }
      case "GetTable" -> out.set("Table", table(text(in, "DatabaseName"), text(in, "Name")));
      case "GetTables" -> {
        database(text(in, "DatabaseName"));
        page(out, "TableList", new ArrayList<>(tables.get(text(in, "DatabaseName")).values()),
            in);
      }
      case "UpdateTable" -> {
        String db = text(in, "DatabaseName");
        ObjectNode input = ((ObjectNode) in.get("TableInput")).deepCopy();
        ObjectNode current = table(db, text(input, "Name"));
        String version = text(in, "VersionId");
        if (version != null && !version.equals(text(current, "VersionId"))) {
          throw new AwsError("ConcurrentModificationException", "Update table failed due to"
              + " concurrent modifications.");
        }
        input.put("DatabaseName", db).put("CreateTime", 1.7e9)
            .put("VersionId", String.valueOf(Long.parseLong(text(current, "VersionId")) + 1));
        tables.get(db).put(text(input, "Name"), input);
      }
      case "DeleteTable" -> {
        String db = text(in, "DatabaseName");
        table(db, text(in, "Name"));
        tables.get(db).remove(text(in, "Name"));
        partitions.remove(db + "." + text(in, "Name"));
      }
      case "BatchCreatePartition" -> {
        var parts = partitions(in);
        JsonNode list = in.get("PartitionInputList");
        limit(list, 100, "PartitionInputList");
        ArrayNode errors = out.putArray("Errors");
        for (JsonNode p : list) {
          List<String> values = values(p.get("Values"));
          if (parts.containsKey(values)) {
            ObjectNode error = errors.addObject();
            error.set("PartitionValues", p.get("Values"));
            error.putObject("ErrorDetail").put("ErrorCode", "AlreadyExistsException")
                .put("ErrorMessage", "Partition already exists.");
          } else {
            parts.put(values, p.deepCopy());
          }
        }
      }
      case "BatchGetPartition" -> {
        var parts = partitions(in);
        limit(in.get("PartitionsToGet"), 1000, "PartitionsToGet");
        ArrayNode found = out.putArray("Partitions");
        for (JsonNode v : in.get("PartitionsToGet")) {
          ObjectNode p = parts.get(values(v.get("Values")));
          if (p != null) {
            found.add(p);
          }
        }
      }
      case "UpdatePartition" -> {
        var parts = partitions(in);
        List<String> values = values(in.get("PartitionValueList"));
        if (!parts.containsKey(values)) {
          throw new AwsError("EntityNotFoundException", "Partition not found.");
        }
        parts.put(values, ((ObjectNode) in.get("PartitionInput")).deepCopy());
      }
      case "GetPartitions" -> {
        var parts = partitions(in);
        Map<String, String> filter = expression(text(in, "Expression"));
        JsonNode keys = table(text(in, "DatabaseName"), text(in, "TableName")).get("PartitionKeys");
        List<JsonNode> matching = new ArrayList<>();
        // Glue returns partitions in no particular order: newest first, here
        List<Map.Entry<List<String>, ObjectNode>> entries = new ArrayList<>(parts.entrySet());
        java.util.Collections.reverse(entries);
        for (Map.Entry<List<String>, ObjectNode> e : entries) {
          boolean ok = true;
          for (int i = 0; i < keys.size(); i++) {
            String wanted = filter.get(text(keys.get(i), "Name"));
            ok &= wanted == null || wanted.equals(e.getKey().get(i));
          }
          if (ok) {
            matching.add(e.getValue());
          }
        }
        page(out, "Partitions", matching, in);
      }
      case "BatchDeletePartition" -> {
        var parts = partitions(in);
        limit(in.get("PartitionsToDelete"), 25, "PartitionsToDelete");
        ArrayNode errors = out.putArray("Errors");
        for (JsonNode v : in.get("PartitionsToDelete")) {
          if (parts.remove(values(v.get("Values"))) == null) {
            ObjectNode error = errors.addObject();
            error.set("PartitionValues", v.get("Values"));
            error.putObject("ErrorDetail").put("ErrorCode", "EntityNotFoundException")
                .put("ErrorMessage", "Partition not found.");
          }
        }
      }
      default -> throw new AwsError("UnknownOperationException", "not in this test double: "
          + request.operation());
    }
    return out;
  }

  private ObjectNode database(String name) {
    ObjectNode db = databases.get(name);
    if (db == null) {
      throw new AwsError("EntityNotFoundException", "Database " + name + " not found.");
    }
    return db;
  }

  private ObjectNode table(String db, String name) {
    database(db);
    ObjectNode table = tables.get(db).get(name);
    if (table == null) {
      throw new AwsError("EntityNotFoundException", "Table " + name + " not found.");
    }
    return table;
  }

  private Map<List<String>, ObjectNode> partitions(JsonNode in) {
    table(text(in, "DatabaseName"), text(in, "TableName"));
    return partitions.get(text(in, "DatabaseName") + "." + text(in, "TableName"));
  }

  private static void limit(JsonNode list, int max, String field) {
    if (list.size() > max) {
      throw new AwsError("InvalidInputException", "1 validation error detected: Value at '"
          + field + "' failed to satisfy constraint: Member must have length less than or"
          + " equal to " + max);
    }
  }

  /** Pages of {@link #PAGE} items, so that pagination is exercised. */
  private static void page(ObjectNode out, String field, List<? extends JsonNode> items,
      JsonNode in) {
    int start = in.hasNonNull("NextToken") ? Integer.parseInt(text(in, "NextToken")) : 0;
    ArrayNode array = out.putArray(field);
    for (int i = start; i < Math.min(items.size(), start + PAGE); i++) {
      array.add(items.get(i));
    }
    if (start + PAGE < items.size()) {
      out.put("NextToken", String.valueOf(start + PAGE));
    }
  }

  private static Map<String, String> expression(String expression) {
    Map<String, String> terms = new LinkedHashMap<>();
    if (expression == null) {
      return terms;
    }
    for (String term : expression.split("(?i)\\s+AND\\s+")) {
      Matcher m = TERM.matcher(term);
      if (!m.matches()) {
        throw new AwsError("InvalidInputException", "Unsupported expression: " + expression);
      }
      terms.put(m.group(1), m.group(2).replace("''", "'"));
    }
    return terms;
  }

  private static List<String> values(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static int compare(List<String> a, List<String> b) {
    return Comparator.<List<String>, String>comparing(Object::toString).compare(a, b);
  }
}
