package dev.edx.provider.hive;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Partition;
import dev.edx.api.Table;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.PrincipalType;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.SkewedInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;

/**
 * How edx's tables, partitions and databases are written in a Hive Metastore, and read back:
 * EXTERNAL tables with the Hive storage descriptor of their format, columns in Hive types,
 * partition keys, and edx's version in a table parameter.
 */
final class HiveTables {
  /** The table parameter holding edx's version of a table. */
  static final String VERSION = "edx.version";
  static final String EXTERNAL = "EXTERNAL";
  static final String EXTERNAL_TABLE = "EXTERNAL_TABLE";
  /** Hive keeps a table's comment in this parameter. */
  static final String COMMENT = "comment";
  /** The value Hive writes for a null or empty partition value. */
  static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

  /**
   * Parameters the metastore or engines maintain (statistics, timestamps), which are not the
   * table's properties and are not shown as such.
   */
  static final Set<String> MAINTAINED = Set.of(VERSION, EXTERNAL, COMMENT,
      "transient_lastDdlTime", "numFiles", "numRows", "rawDataSize", "totalSize",
      "numFilesErasureCoded", "COLUMN_STATS_ACCURATE", "last_modified_by", "last_modified_time");

  /** Hive storage of each format: input format, output format, SerDe. */
  record Storage(String input, String output, String serde) {}

  static final Map<String, Storage> FORMATS = Map.of(
      "parquet", new Storage("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
          "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
          "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"),
      "orc", new Storage("org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
          "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat",
          "org.apache.hadoop.hive.ql.io.orc.OrcSerde"),
      "json", new Storage("org.apache.hadoop.mapred.TextInputFormat",
          "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
          "org.apache.hadoop.hive.serde2.JsonSerDe"),
      "csv", new Storage("org.apache.hadoop.mapred.TextInputFormat",
          "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
          "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"),
      "avro", new Storage("org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
          "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat",
          "org.apache.hadoop.hive.serde2.avro.AvroSerDe"));

  private HiveTables() {}

  /**
   * A location as the metastore stores it (it keeps locations as Hadoop paths): {@code
   * file:///x} is {@code file:/x}, and a trailing {@code /} goes. Locations are compared in this
   * form, so that adding a partition again with the other spelling is not a conflict.
   */
  static String normalizeLocation(String location) {
    String l = location;
    if (l.startsWith("file:///")) {
      l = "file:/" + l.substring("file:///".length());
    }
    while (l.endsWith("/") && !l.endsWith(":/") && !l.endsWith("://")
        && l.indexOf('/') != l.length() - 1) {
      l = l.substring(0, l.length() - 1);
    }
    return l;
  }

  // ---------------------------------------------------------------------------------- tables

  /** The metastore's table for {@code d} at {@code version}, owned by {@code owner}. */
  static org.apache.hadoop.hive.metastore.api.Table toHive(TableDefinition d, long version,
      String owner, int createTime) {
    String format = d.format().toLowerCase(Locale.ROOT);
    Storage storage = FORMATS.get(format);
    if (storage == null) {
      throw new IllegalArgumentException("Cannot register table " + d.id() + " in the Hive"
          + " Metastore: format '" + d.format() + "' is not one of "
          + new TreeSet<>(FORMATS.keySet()));
    }
    Map<String, String> parameters = new TreeMap<>(d.properties());
    parameters.put(EXTERNAL, "TRUE");
    parameters.put(VERSION, String.valueOf(version));
    d.comment().ifPresent(c -> parameters.put(COMMENT, c));
    Map<String, String> serdeParameters = format.equals("csv")
        ? Map.of("field.delim", ",", "serialization.format", ",")
        : Map.of("serialization.format", "1");
    StorageDescriptor sd = new StorageDescriptor();
    sd.setCols(fields(d.columns()));
    sd.setLocation(normalizeLocation(d.location()));
    sd.setInputFormat(storage.input());
    sd.setOutputFormat(storage.output());
    sd.setCompressed(false);
    sd.setNumBuckets(-1);
    sd.setSerdeInfo(new SerDeInfo(null, storage.serde(), new HashMap<>(serdeParameters)));
    sd.setBucketCols(new ArrayList<>());
    sd.setSortCols(new ArrayList<>());
    sd.setParameters(new HashMap<>());
    sd.setSkewedInfo(new SkewedInfo(new ArrayList<>(), new ArrayList<>(), new HashMap<>()));
    sd.setStoredAsSubDirectories(false);
    org.apache.hadoop.hive.metastore.api.Table t = new org.apache.hadoop.hive.metastore.api.Table();
    t.setDbName(d.id().database());
    t.setTableName(d.id().table());
    t.setOwner(owner);
    t.setOwnerType(PrincipalType.USER);
    t.setCreateTime(createTime);
    t.setLastAccessTime(0);
    t.setRetention(0);
    t.setTableType(EXTERNAL_TABLE);
    t.setParameters(new HashMap<>(parameters));
    t.setPartitionKeys(fields(d.partitionKeys()));
    t.setSd(sd);
    return t;
  }

  /** edx's view of a metastore table (written by edx or not). */
  static Table fromHive(org.apache.hadoop.hive.metastore.api.Table t) {
    Map<String, String> parameters = t.getParameters() == null ? Map.of() : t.getParameters();
    Map<String, String> properties = new HashMap<>(parameters);
    MAINTAINED.forEach(properties::remove);
    StorageDescriptor sd = t.getSd();
    TableDefinition definition = new TableDefinition(TableId.of(t.getDbName(), t.getTableName()),
        sd == null || sd.getLocation() == null ? "" : sd.getLocation(), formatOf(sd),
        sd == null || sd.getCols() == null ? List.of() : columns(sd.getCols()),
        t.getPartitionKeys() == null ? List.of() : columns(t.getPartitionKeys()), properties,
        Optional.ofNullable(parameters.get(COMMENT)).filter(c -> !c.isEmpty()));
    return new Table(definition, version(t));
  }

  /** edx's version: the {@code edx.version} parameter; 1 for a table edx did not write. */
  static long version(org.apache.hadoop.hive.metastore.api.Table t) {
    String v = t.getParameters() == null ? null : t.getParameters().get(VERSION);
    try {
      return v == null ? 1 : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static String formatOf(StorageDescriptor sd) {
    if (sd == null || sd.getSerdeInfo() == null) {
      return "unknown";
    }
    String serde = sd.getSerdeInfo().getSerializationLib();
    if ("org.apache.hive.hcatalog.data.JsonSerDe".equals(serde)) {
      return "json";
    }
    return FORMATS.entrySet().stream().filter(e -> e.getValue().serde().equals(serde))
        .map(Map.Entry::getKey).findFirst().orElse("unknown");
  }

  private static List<FieldSchema> fields(List<Column> columns) {
    List<FieldSchema> fields = new ArrayList<>();
    for (Column c : columns) {
      fields.add(new FieldSchema(c.name(), c.type(), c.comment().orElse(null)));
    }
    return fields;
  }

  private static List<Column> columns(List<FieldSchema> fields) {
    return fields.stream().map(f -> new Column(f.getName(), f.getType(),
        Optional.ofNullable(f.getComment()).filter(c -> !c.isEmpty()))).toList();
  }

  // ------------------------------------------------------------------------------ partitions

  /** The metastore's partition: the table's storage descriptor at {@code location}. */
  static org.apache.hadoop.hive.metastore.api.Partition toHive(
      org.apache.hadoop.hive.metastore.api.Table table, Partition p, int createTime) {
    StorageDescriptor sd = new StorageDescriptor(table.getSd());
    sd.setLocation(normalizeLocation(p.location()));
    org.apache.hadoop.hive.metastore.api.Partition partition =
        new org.apache.hadoop.hive.metastore.api.Partition();
    partition.setValues(new ArrayList<>(p.values()));
    partition.setDbName(table.getDbName());
    partition.setTableName(table.getTableName());
    partition.setCreateTime(createTime);
    partition.setLastAccessTime(0);
    partition.setSd(sd);
    partition.setParameters(new HashMap<>());
    return partition;
  }

  static Partition fromHive(org.apache.hadoop.hive.metastore.api.Partition p) {
    return Partition.of(p.getValues(), p.getSd() == null || p.getSd().getLocation() == null
        ? "" : p.getSd().getLocation());
  }

  /**
   * The partition's name as the metastore spells it: {@code key=value/key=value}, each value
   * escaped as Hive escapes path names ({@code %} and two hex digits).
   */
  static String partitionName(List<String> keys, List<String> values) {
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        name.append('/');
      }
      String value = values.get(i);
      name.append(escape(keys.get(i))).append('=')
          .append(value == null || value.isEmpty() ? DEFAULT_PARTITION : escape(value));
    }
    return name.toString();
  }

  /** The values of a partition name. */
  static List<String> partitionValues(String name) {
    List<String> values = new ArrayList<>();
    for (String part : name.split("/")) {
      int eq = part.indexOf('=');
      values.add(unescape(eq < 0 ? part : part.substring(eq + 1)));
    }
    return values;
  }

  private static boolean needsEscape(char c) {
    return c < ' ' || c == 0x7F || "\"#%'*/:=?\\{[]^".indexOf(c) >= 0;
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (needsEscape(c)) {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1))
          && isHex(s.charAt(i + 2))) {
        out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  /** Compares partition values element by element, then by length. */
  static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  // ------------------------------------------------------------------------------- databases

  static org.apache.hadoop.hive.metastore.api.Database toHive(Database db, String owner) {
    org.apache.hadoop.hive.metastore.api.Database d =
        new org.apache.hadoop.hive.metastore.api.Database();
    d.setName(db.name());
    d.setDescription("");
    db.location().ifPresent(d::setLocationUri);
    d.setParameters(new HashMap<>(db.properties()));
    d.setOwnerName(owner);
    d.setOwnerType(PrincipalType.USER);
    return d;
  }

  static Database fromHive(org.apache.hadoop.hive.metastore.api.Database d) {
    return new Database(d.getName(), Optional.ofNullable(d.getLocationUri())
        .filter(s -> !s.isEmpty()), d.getParameters() == null ? Map.of() : d.getParameters());
  }
}
