package dev.edx.provider.aws;

import static dev.edx.provider.aws.LocalJsonEndpoint.JSON;
import static dev.edx.provider.aws.LocalJsonEndpoint.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edx.provider.aws.LocalJsonEndpoint.AwsError;
import dev.edx.provider.aws.LocalJsonEndpoint.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test double of the Glue Data Catalog for the two behaviours moto, the third-party
 * implementation the {@code glue} provider is otherwise tested on, does not model, answered in
 * Glue's JSON 1.1 protocol from memory for {@link LocalJsonEndpoint}:
 *
 * <ul>
 *   <li>UpdateTable with a stale {@code VersionId} is refused with {@code
 *       ConcurrentModificationException} (moto accepts it): CreateDatabase, CreateTable,
 *       GetTable and UpdateTable;
 *   <li>GetDatabases, GetTables and GetPartitions answer in pages of {@link #PAGE} with a {@code
 *       NextToken} (moto answers everything in one page); partitions are put in with {@link
 *       #seedPartitions}, and GetPartitions takes no expression here.
 * </ul>
 *
 * Everything else is an {@code UnknownOperationException}: it is proven on moto.
 */
final class LocalGlue implements LocalJsonEndpoint.Handler {
  static final int PAGE = 3;

  private final Map<String, ObjectNode> databases = new TreeMap<>();
  private final Map<String, Map<String, ObjectNode>> tables = new TreeMap<>();
  private final Map<String, List<ObjectNode>> partitions = new TreeMap<>();

  /** Adds partitions of one key with these values and locations, as another client would. */
  synchronized void seedPartitions(String database, String table, Map<String, String> values) {
    table(database, table);
    List<ObjectNode> list = partitions.computeIfAbsent(database + "." + table,
        k -> new ArrayList<>());
    values.forEach((value, location) -> {
      ObjectNode p = JSON.createObjectNode();
      p.putArray("Values").add(value);
      p.putObject("StorageDescriptor").put("Location", location);
      list.add(p);
    });
  }

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
      case "GetDatabases" -> page(out, "DatabaseList", new ArrayList<>(databases.values()), in);
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
      case "GetPartitions" -> {
        String db = text(in, "DatabaseName");
        String table = text(in, "TableName");
        table(db, table);
        if (in.hasNonNull("Expression")) {
          throw new AwsError("UnknownOperationException", "expressions are not in this double");
        }
        page(out, "Partitions", partitions.getOrDefault(db + "." + table, List.of()), in);
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
}
