package dev.edx.gha.tables;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.Partition;
import dev.edx.api.Table;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.gha.Hour;
import dev.edx.gha.Results;
import dev.edx.gha.convert.HourConverter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * createtable: registers the base {@code gha.events} over the lake, then builds each
 * {@link TableSpec} partition by partition with DuckDB over lake files staged from storage,
 * writing Parquet to the datamart and registering table and partitions in the metastore. A
 * partition is rebuilt only when its input fingerprint (the SQL, and each input file's key, size
 * and etag, or content SHA-256 where the store has no etag) differs from the one in its marker
 * object ({@code <database>/<table>/<partition>/_edx_inputs.json}).
 */
public final class TableBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(TableBuilder.class);
  public static final String EVENTS_DATABASE = "gha";
  static final String EVENTS_TABLE = "events";
  public static final String PROP_BUCKET = "edx.bucket";
  public static final String PROP_PREFIX = "edx.prefix";
  static final String MARKER = "_edx_inputs.json";
  static final String PART = "part-00000.parquet";

  /** What one table build did. */
  public record TableResult(String name, long rows, long partitions, long rebuilt,
      long unchanged) {}

  /** The marker of a built partition. */
  record Marker(String fingerprint, long rows) {}

  /**
   * What one partition's build made: its rows and its columns (Hive type names, the partition
   * keys left out).
   */
  public record Built(long rows, List<Column> columns) {
    public Built {
      columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }
  }

  /**
   * The engine that runs a table's query for one partition: DuckDB in this JVM (the Java
   * tasks), or another (the Spark application). Everything else of a build (which partitions,
   * fingerprints and markers, the metastore) is this class's, whatever the engine.
   */
  public interface PartitionEngine {
    /** The engine's name: the key of its query in a table's {@code engineSql}. */
    String name();

    /**
     * Runs {@code query} (SQL over a view {@code events} of the lake files {@code inputs},
     * sorted by all its columns) and writes the result as the one Parquet file {@code part},
     * replacing it.
     */
    Built build(String query, List<String> partitionKeys, List<ObjectInfo> inputs,
        ObjectRef part) throws IOException, SQLException;
  }

  private final ObjectStorage storage;
  private final Metastore metastore;
  private final String lakeBucket;
  private final String datamartBucket;
  private final Consumer<String> log;
  private final PartitionEngine engine;

  TableBuilder(ObjectStorage storage, Metastore metastore, String lakeBucket,
      String datamartBucket, Consumer<String> log) {
    this(storage, metastore, lakeBucket, datamartBucket, log, null);
  }

  private TableBuilder(ObjectStorage storage, Metastore metastore, String lakeBucket,
      String datamartBucket, Consumer<String> log, PartitionEngine engine) {
    this.storage = requireNonNull(storage, "storage is null");
    this.metastore = requireNonNull(metastore, "metastore is null");
    this.lakeBucket = requireNonNull(lakeBucket, "lakeBucket is null");
    this.datamartBucket = requireNonNull(datamartBucket, "datamartBucket is null");
    this.log = requireNonNull(log, "log is null");
    this.engine = engine == null ? new DuckDbEngine() : engine;
  }

  /** A builder whose partitions {@code engine} builds (running its own query of each table). */
  public static TableBuilder withEngine(ObjectStorage storage, Metastore metastore,
      String lakeBucket, String datamartBucket, Consumer<String> log, PartitionEngine engine) {
    return new TableBuilder(storage, metastore, lakeBucket, datamartBucket, log,
        requireNonNull(engine, "engine is null"));
  }

  /** Registers {@code gha.events}, then builds each table; answers what each build did. */
  public List<TableResult> build(List<TableSpec> specs) throws IOException, SQLException {
    if (!storage.bucketExists(datamartBucket)) {
      storage.createBucket(datamartBucket);
    }
    List<ObjectInfo> lake = lakeFiles();
    List<TableResult> results = new ArrayList<>();
    results.add(registerEvents(lake));
    for (TableSpec spec : specs) {
      results.add(build(spec, lake));
    }
    return results;
  }

  private List<ObjectInfo> lakeFiles() {
    if (!storage.bucketExists(lakeBucket)) {
      return List.of();
    }
    try (Stream<ObjectInfo> list = storage.list(lakeBucket, "events/")) {
      return list.filter(i -> i.ref().key().endsWith(".parquet"))
          .sorted(Comparator.comparing(i -> i.ref().key())).collect(Collectors.toList());
    }
  }

  /** Values of (year, month, day, hour) in a lake key. */
  private static List<String> partitionValues(String key) {
    List<String> values = new ArrayList<>();
    for (String segment : key.split("/")) {
      int eq = segment.indexOf('=');
      if (eq > 0 && TableSpec.HOUR_KEYS.contains(segment.substring(0, eq))) {
        values.add(segment.substring(eq + 1));
      }
    }
    return values;
  }

  private static String partitionPath(List<String> keys, List<String> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : "/").append(keys.get(i)).append('=').append(values.get(i));
    }
    return sb.toString();
  }

  private TableResult registerEvents(List<ObjectInfo> lake) {
    TableId id = TableId.of(EVENTS_DATABASE, EVENTS_TABLE);
    List<Column> columns = List.of(Column.of("id", "string"), Column.of("type", "string"),
        Column.of("public", "boolean"), Column.of("payload", "string"),
        Column.of("repo", "struct<id:bigint,name:string,url:string>"),
        Column.of("actor", "struct<id:bigint,login:string,display_login:string,"
            + "gravatar_id:string,avatar_url:string,url:string>"),
        Column.of("org", "struct<id:bigint,login:string,gravatar_id:string,avatar_url:string,"
            + "url:string>"),
        Column.of("created_at", "timestamp"), Column.of("other", "string"));
    List<Column> keys = TableSpec.HOUR_KEYS.stream().map(k -> Column.of(k, "int")).toList();
    TableDefinition def = new TableDefinition(id,
        storage.uri(ObjectRef.of(lakeBucket, "events")).toString(), "parquet", columns, keys,
        Map.of(PROP_BUCKET, lakeBucket, PROP_PREFIX, "events/"),
        Optional.of("GH Archive events, one partition per hour (edx json2parquet)"));
    ensureTable(def);
    Map<List<String>, String> partitions = new TreeMap<>(Comparator.comparing(Object::toString));
    long rows = 0;
    for (ObjectInfo info : lake) {
      List<String> values = partitionValues(info.ref().key());
      if (values.size() == 4) {
        partitions.put(values, storage.uri(ObjectRef.of(lakeBucket,
            "events/" + partitionPath(TableSpec.HOUR_KEYS, values))).toString());
        Hour hour = Hour.of(Integer.parseInt(values.get(0)), Integer.parseInt(values.get(1)),
            Integer.parseInt(values.get(2)), Integer.parseInt(values.get(3)));
        rows += Results.read(storage, ObjectRef.of(lakeBucket, HourConverter.markerKey(hour)),
            HourConverter.Marker.class).map(m -> m.result().events()).orElse(0L);
      }
    }
    addPartitions(id, partitions);
    log.accept("table " + id + ": " + partitions.size() + " partition(s), " + rows + " rows");
    return new TableResult(id.toString(), rows, partitions.size(), 0, partitions.size());
  }

  private void addPartitions(TableId id, Map<List<String>, String> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    Map<List<String>, String> existing = new LinkedHashMap<>();
    try (Stream<Partition> list = metastore.listPartitions(id, Map.of())) {
      list.forEach(p -> existing.put(p.values(), p.location()));
    }
    List<Partition> missing = partitions.entrySet().stream()
        .filter(e -> !e.getValue().equals(existing.get(e.getKey())))
        .map(e -> Partition.of(e.getKey(), e.getValue())).toList();
    if (!missing.isEmpty()) {
      metastore.addPartitions(id, missing, true);
    }
  }

  private void ensureTable(TableDefinition def) {
    if (metastore.loadDatabase(def.id().database()).isEmpty()) {
      metastore.createDatabase(Database.of(def.id().database()));
    }
    Optional<Table> current = metastore.loadTable(def.id());
    if (current.isEmpty()) {
      metastore.createTable(def);
    } else if (!current.get().definition().equals(def)) {
      metastore.updateTable(def, current.get().version());
    }
  }

  private TableResult build(TableSpec spec, List<ObjectInfo> lake)
      throws IOException, SQLException {
    int depth = spec.partitionBy().size();
    Map<List<String>, List<ObjectInfo>> groups = new TreeMap<>(
        Comparator.comparing(Object::toString));
    for (ObjectInfo info : lake) {
      List<String> values = partitionValues(info.ref().key());
      if (values.size() == 4) {
        groups.computeIfAbsent(values.subList(0, depth), k -> new ArrayList<>()).add(info);
      }
    }
    String tablePrefix = spec.database() + "/" + spec.name() + "/";
    long rows = 0;
    long rebuilt = 0;
    List<Column> columns = null;
    Map<List<String>, String> partitions = new TreeMap<>(Comparator.comparing(Object::toString));
    for (Map.Entry<List<String>, List<ObjectInfo>> group : groups.entrySet()) {
      String prefix = tablePrefix + partitionPath(spec.partitionBy(), group.getKey());
      String fingerprint = fingerprint(spec, group.getValue());
      ObjectRef markerRef = ObjectRef.of(datamartBucket, prefix + "/" + MARKER);
      ObjectRef part = ObjectRef.of(datamartBucket, prefix + "/" + PART);
      Optional<Marker> marker = Results.read(storage, markerRef, Marker.class);
      partitions.put(group.getKey(), storage.uri(ObjectRef.of(datamartBucket, prefix))
          .toString());
      if (marker.isPresent() && marker.get().fingerprint().equals(fingerprint)
          && storage.stat(part).isPresent()) {
        rows += marker.get().rows();
        continue;
      }
      Built built = buildPartition(spec, group.getValue(), part);
      Results.write(storage, markerRef, new Marker(fingerprint, built.rows()));
      columns = built.columns();
      rows += built.rows();
      rebuilt++;
    }
    TableId id = spec.id();
    if (columns == null) {
      Optional<Table> existing = metastore.loadTable(id);
      if (existing.isEmpty() && !groups.isEmpty()) {
        // Every partition is built but the table is not registered: an earlier run stopped
        // (crashed) between the two. Rebuilding one partition (the output is deterministic, so
        // the same bytes) gives its column types.
        Map.Entry<List<String>, List<ObjectInfo>> first = groups.entrySet().iterator().next();
        String prefix = tablePrefix + partitionPath(spec.partitionBy(), first.getKey());
        columns = buildPartition(spec, first.getValue(),
            ObjectRef.of(datamartBucket, prefix + "/" + PART)).columns();
      } else {
        columns = existing.map(t -> t.definition().columns()).orElse(null);
      }
    }
    if (columns != null) {
      List<Column> keys = spec.partitionBy().stream().map(k -> Column.of(k, "int")).toList();
      ensureTable(new TableDefinition(id,
          storage.uri(ObjectRef.of(datamartBucket, spec.database() + "/" + spec.name()))
              .toString(), "parquet", columns, keys,
          Map.of(PROP_BUCKET, datamartBucket, PROP_PREFIX, tablePrefix),
          spec.comment().isEmpty() ? Optional.empty() : Optional.of(spec.comment())));
      addPartitions(id, partitions);
    }
    log.accept("table " + id + ": " + partitions.size() + " partition(s), " + rebuilt
        + " rebuilt, " + rows + " rows");
    return new TableResult(id.toString(), rows, partitions.size(), rebuilt,
        partitions.size() - rebuilt);
  }

  private Built buildPartition(TableSpec spec, List<ObjectInfo> inputs, ObjectRef part)
      throws IOException, SQLException {
    String query = "SELECT * FROM (" + spec.sql(engine.name()).strip().replaceAll(";\\s*$", "")
        + ") ORDER BY ALL";
    return engine.build(query, spec.partitionBy(), inputs, part);
  }

  /** The default engine: DuckDB in this JVM, over the lake files staged to a local folder. */
  private final class DuckDbEngine implements PartitionEngine {
    @Override
    public String name() {
      return TableSpec.DEFAULT_ENGINE;
    }

    @Override
    public Built build(String query, List<String> partitionKeys, List<ObjectInfo> inputs,
        ObjectRef part) throws IOException, SQLException {
      return duckDbPartition(query, partitionKeys, inputs, part);
    }
  }

  private Built duckDbPartition(String query, List<String> partitionKeys,
      List<ObjectInfo> inputs, ObjectRef part) throws IOException, SQLException {
    Path dir = Files.createTempDirectory("edx-tables-");
    try (Connection c = DuckDb.open(); Statement s = c.createStatement()) {
      List<Path> files = DuckDb.stage(storage, inputs, dir.resolve("in"));
      s.execute("CREATE VIEW events AS SELECT * FROM " + DuckDb.readParquet(files));
      List<Column> columns = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("DESCRIBE " + query)) {
        while (rs.next()) {
          String name = rs.getString("column_name");
          if (!partitionKeys.contains(name)) {
            columns.add(Column.of(name, DuckDb.hiveType(rs.getString("column_type"))));
          }
        }
      }
      Path out = dir.resolve(PART);
      s.execute("COPY (" + query + ") TO " + DuckDb.literal(out.toString())
          + " (FORMAT parquet, COMPRESSION zstd)");
      long rows;
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet("
          + DuckDb.literal(out.toString()) + ")")) {
        rs.next();
        rows = rs.getLong(1);
      }
      storage.put(part, out);
      LOG.info("Built partition {} ({} rows)", part, rows);
      return new Built(rows, columns);
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private String fingerprint(TableSpec spec, List<ObjectInfo> inputs) throws IOException {
    MessageDigest digest = sha256();
    digest.update(spec.sql(engine.name()).getBytes(StandardCharsets.UTF_8));
    for (ObjectInfo info : inputs) {
      String identity = info.etag().orElse(null);
      if (identity == null) {
        MessageDigest content = sha256();
        try (InputStream in = storage.open(info.ref())) {
          byte[] buf = new byte[1 << 16];
          for (int n; (n = in.read(buf)) > 0; ) {
            content.update(buf, 0, n);
          }
        }
        identity = "sha256:" + HexFormat.of().formatHex(content.digest());
      }
      digest.update(("\n" + info.ref().key() + " " + info.size() + " " + identity)
          .getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash: the JDK has no SHA-256", e);
    }
  }
}
