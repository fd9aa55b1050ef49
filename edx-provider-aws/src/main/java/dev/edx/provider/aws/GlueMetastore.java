package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.Partition;
import dev.edx.api.Table;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.exceptions.CommitConflictException;
import dev.edx.api.exceptions.DatabaseAlreadyExistsException;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.NoSuchDatabaseException;
import dev.edx.api.exceptions.NoSuchTableException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.exceptions.TableAlreadyExistsException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.Provisioner;
import dev.edx.toolkit.MetastoreDatabaseProvisioner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionResponse;
import software.amazon.awssdk.services.glue.model.BatchDeletePartitionResponse;
import software.amazon.awssdk.services.glue.model.DatabaseInput;
import software.amazon.awssdk.services.glue.model.GetDatabasesResponse;
import software.amazon.awssdk.services.glue.model.GetPartitionsResponse;
import software.amazon.awssdk.services.glue.model.GetTablesResponse;
import software.amazon.awssdk.services.glue.model.PartitionError;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.PartitionValueList;
import software.amazon.awssdk.services.glue.model.SerDeInfo;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.TableInput;

/**
 * A {@link Metastore} on the AWS Glue Data Catalog.
 *
 * <ul>
 *   <li>Tables are {@code EXTERNAL_TABLE}s with a Hive {@code StorageDescriptor}: the input and
 *       output formats and SerDe of their format (Parquet, ORC, JSON, CSV, Avro), the columns
 *       with their Hive types, and the partition keys.
 *   <li>Optimistic concurrency: a table's edx version is its parameter {@code edx.version};
 *       {@link #updateTable} checks it and sends UpdateTable with the Glue {@code VersionId} it
 *       read, so a concurrent writer makes Glue answer {@code ConcurrentModificationException},
 *       which is a {@link CommitConflictException}: nothing is written.
 *   <li>Partitions: BatchCreatePartition 100 at a time, BatchGetPartition to check existing
 *       ones first (so a conflict writes nothing), GetPartitions through its pages with a filter
 *       expression, BatchDeletePartition 25 at a time (Glue's limit).
 *   <li>Locations (of databases, tables and partitions) are stored in the {@code s3://} form
 *       that Glue, Athena, EMR and Trino expect, and read back in edx's {@code s3a://} form
 *       ({@link S3Locations}), so a definition round-trips unchanged.
 *   <li>Throttling ({@code ThrottlingException}, "Rate exceeded") is retried by the client with
 *       exponential backoff and jitter, without a retry quota (see {@link AwsSettings}).
 * </ul>
 *
 * <p>Thread safe. {@link #close()} closes the client.
 */
final class GlueMetastore implements Metastore, Provisioner, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GlueMetastore.class);

  static final String SERVICE = "metastore";
  /** The table parameter holding edx's version of a table. */
  static final String VERSION = "edx.version";
  static final String CLASSIFICATION = "classification";
  static final String EXTERNAL = "EXTERNAL";
  private static final Set<String> RESERVED = Set.of(VERSION, CLASSIFICATION, EXTERNAL);
  static final int CREATE_BATCH = 100;
  static final int GET_BATCH = 1000;
  static final int DELETE_BATCH = 25;

  /** Hive storage of each format: input format, output format, SerDe. */
  private record Storage(String input, String output, String serde) {}

  private static final Map<String, Storage> FORMATS = Map.of(
      "parquet", new Storage("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
          "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
          "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"),
      "orc", new Storage("org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
          "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat",
          "org.apache.hadoop.hive.ql.io.orc.OrcSerde"),
      "json", new Storage("org.apache.hadoop.mapred.TextInputFormat",
          "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
          "org.openx.data.jsonserde.JsonSerDe"),
      "csv", new Storage("org.apache.hadoop.mapred.TextInputFormat",
          "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
          "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"),
      "avro", new Storage("org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
          "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat",
          "org.apache.hadoop.hive.serde2.avro.AvroSerDe"));

  private final GlueSettings settings;
  private final GlueClient client;
  private final MetastoreDatabaseProvisioner provisioner;
  private final AtomicBoolean closed = new AtomicBoolean();

  GlueMetastore(GlueSettings settings, String environment) {
    this(settings, environment, List.of());
  }

  /** As the public constructor, with SDK interceptors (tests observe requests with them). */
  GlueMetastore(GlueSettings settings, String environment,
      List<ExecutionInterceptor> interceptors) {
    this.settings = requireNonNull(settings, "settings is null");
    this.client = settings.aws().build(GlueClient.builder(), interceptors);
    // Ownership marks are database parameters, readable with GetDatabase (tags would need the
    // account id for their ARN).
    this.provisioner = new MetastoreDatabaseProvisioner(this, environment, settings.databases(),
        this::replaceProperties, "in the Glue catalog on " + settings.aws().where());
  }

  private String catalog() {
    return settings.catalogId().orElse(null);
  }

  // -------------------------------------------------------------------------------- databases

  @Override
  public void createDatabase(Database database) {
    requireNonNull(database, "database is null");
    String what = "create database '" + database.name() + "'";
    call(what, e -> switch (AwsErrors.code(e)) {
      case "AlreadyExistsException" -> new DatabaseAlreadyExistsException(database.name(),
          "Cannot " + what + ": it already exists", e);
      default -> null;
    }, () -> client.createDatabase(b -> b.catalogId(catalog()).databaseInput(DatabaseInput
        .builder().name(database.name()).locationUri(database.location().map(S3Locations::toGlue)
        .orElse(null))
        .parameters(database.properties()).build())));
    LOG.info("Created database {} in Glue on {}", database.name(), settings.aws().where());
  }

  @Override
  public Optional<Database> loadDatabase(String name) {
    requireNonNull(name, "name is null");
    try {
      var db = call("load database '" + name + "'", notFound(), () -> client
          .getDatabase(b -> b.catalogId(catalog()).name(name))).database();
      return Optional.of(new Database(db.name(), Optional.ofNullable(db.locationUri())
          .filter(s -> !s.isEmpty()).map(S3Locations::fromGlue),
          db.hasParameters() ? db.parameters() : Map.of()));
    } catch (Missing e) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> listDatabases() {
    return call("list databases", e -> null, () -> {
      List<String> names = new ArrayList<>();
      for (GetDatabasesResponse page : client.getDatabasesPaginator(b -> b.catalogId(catalog()))) {
        page.databaseList().forEach(d -> names.add(d.name()));
      }
      return names.stream().sorted().toList();
    });
  }

  @Override
  public void dropDatabase(String name, boolean cascade) {
    requireNonNull(name, "name is null");
    String what = "drop database '" + name + "'";
    List<TableId> tables = listTables(name); // NoSuchDatabaseException when missing
    if (!cascade && !tables.isEmpty()) {
      throw new IllegalStateException("Cannot " + what + ": it holds " + tables.size()
          + " tables, such as " + tables.get(0) + "; drop them first or drop with cascade");
    }
    // Glue drops a database's tables and partitions with it
    call(what, noSuchDatabase(name, what), () -> client.deleteDatabase(b -> b
        .catalogId(catalog()).name(name)));
    LOG.info("Dropped database {} ({} tables) in Glue on {}", name, tables.size(),
        settings.aws().where());
  }

  // ---------------------------------------------------------------------------------- tables

  @Override
  public Table createTable(TableDefinition definition) {
    requireNonNull(definition, "definition is null");
    TableId id = definition.id();
    String what = "create table " + id;
    TableInput input = tableInput(definition, 1);
    call(what, e -> switch (AwsErrors.code(e)) {
      case "AlreadyExistsException" -> new TableAlreadyExistsException(id.toString(),
          "Cannot " + what + ": it already exists", e);
      case "EntityNotFoundException" -> new NoSuchDatabaseException(id.database(), "Cannot "
          + what + ": database '" + id.database() + "' does not exist", e);
      default -> null;
    }, () -> client.createTable(b -> b.catalogId(catalog()).databaseName(id.database())
        .tableInput(input)));
    LOG.debug("Created table {} in Glue", id);
    return new Table(definition, 1);
  }

  @Override
  public Optional<Table> loadTable(TableId id) {
    requireNonNull(id, "id is null");
    return glueTable(id).map(GlueMetastore::table);
  }

  private Optional<software.amazon.awssdk.services.glue.model.Table> glueTable(TableId id) {
    try {
      return Optional.of(call("load table " + id, notFound(), () -> client
          .getTable(b -> b.catalogId(catalog()).databaseName(id.database()).name(id.table())))
          .table());
    } catch (Missing e) {
      return Optional.empty();
    }
  }

  @Override
  public List<TableId> listTables(String database) {
    requireNonNull(database, "database is null");
    String what = "list the tables of database '" + database + "'";
    return call(what, noSuchDatabase(database, what), () -> {
      List<TableId> ids = new ArrayList<>();
      for (GetTablesResponse page : client.getTablesPaginator(b -> b.catalogId(catalog())
          .databaseName(database))) {
        page.tableList().forEach(t -> ids.add(TableId.of(database, t.name())));
      }
      ids.sort(Comparator.comparing(TableId::table));
      return List.copyOf(ids);
    });
  }

  @Override
  public Table updateTable(TableDefinition definition, long expectedVersion) {
    requireNonNull(definition, "definition is null");
    TableId id = definition.id();
    String what = "update table " + id;
    var current = glueTable(id).orElseThrow(() -> new NoSuchTableException(id.toString(),
        "Cannot " + what + ": it does not exist"));
    long actual = version(current);
    if (actual != expectedVersion) {
      throw conflict(id, expectedVersion, actual, what);
    }
    TableInput input = tableInput(definition, expectedVersion + 1);
    call(what, e -> switch (AwsErrors.code(e)) {
      case "ConcurrentModificationException" -> conflict(id, expectedVersion,
          glueTable(id).map(GlueMetastore::version).orElse(-1L), what);
      case "EntityNotFoundException" -> new NoSuchTableException(id.toString(), "Cannot "
          + what + ": it does not exist", e);
      default -> null;
    }, () -> client.updateTable(b -> b.catalogId(catalog()).databaseName(id.database())
        .tableInput(input).versionId(current.versionId())));
    LOG.debug("Updated table {} to version {}", id, expectedVersion + 1);
    return new Table(definition, expectedVersion + 1);
  }

  private static CommitConflictException conflict(TableId id, long expected, long actual,
      String what) {
    return new CommitConflictException(id.toString(), expected, actual, "Cannot " + what
        + ": expected version " + expected + " but it is at version " + actual
        + "; reload it and retry");
  }

  @Override
  public void dropTable(TableId id) {
    requireNonNull(id, "id is null");
    String what = "drop table " + id;
    call(what, e -> AwsErrors.code(e).equals("EntityNotFoundException")
        ? new NoSuchTableException(id.toString(), "Cannot " + what + ": it does not exist", e)
        : null, () -> client.deleteTable(b -> b.catalogId(catalog()).databaseName(id.database())
        .name(id.table())));
    LOG.debug("Dropped table {}", id);
  }

  // ------------------------------------------------------------------------------ partitions

  @Override
  public void addPartitions(TableId id, Collection<Partition> partitions, boolean replace) {
    requireNonNull(id, "id is null");
    requireNonNull(partitions, "partitions is null");
    String what = "add partitions to table " + id;
    var table = glueTable(id).orElseThrow(() -> new NoSuchTableException(id.toString(),
        "Cannot " + what + ": it does not exist"));
    int keys = table.hasPartitionKeys() ? table.partitionKeys().size() : 0;
    Map<List<String>, String> wanted = new LinkedHashMap<>();
    for (Partition p : partitions) {
      if (p.values().size() != keys) {
        throw new IllegalArgumentException("Cannot add partition " + p.values() + " to table "
            + id + ": it has " + keys + " partition keys, not " + p.values().size());
      }
      wanted.put(p.values(), S3Locations.toGlue(p.location()));
    }
    Map<List<String>, String> existing = existingPartitions(id, wanted.keySet());
    List<Map.Entry<List<String>, String>> create = new ArrayList<>();
    List<Map.Entry<List<String>, String>> move = new ArrayList<>();
    for (Map.Entry<List<String>, String> e : wanted.entrySet()) {
      String location = existing.get(e.getKey());
      if (location == null) {
        create.add(e);
      } else if (!location.equals(e.getValue())) {
        if (!replace) {
          long version = version(table);
          throw new CommitConflictException(id + " partition " + e.getKey(), version, version,
              "Cannot add partition " + e.getKey() + " to table " + id + ": it exists at "
                  + S3Locations.fromGlue(location) + ", not " + S3Locations.fromGlue(e
                  .getValue()) + "; add it with replace to move it");
        }
        move.add(e);
      }
    }
    StorageDescriptor sd = table.storageDescriptor();
    for (int i = 0; i < create.size(); i += CREATE_BATCH) {
      List<PartitionInput> batch = create.subList(i, Math.min(create.size(), i + CREATE_BATCH))
          .stream().map(e -> partitionInput(sd, e.getKey(), e.getValue())).toList();
      BatchCreatePartitionResponse response = call(what, noSuchTable(id, what),
          () -> client.batchCreatePartition(b -> b.catalogId(catalog())
              .databaseName(id.database()).tableName(id.table()).partitionInputList(batch)));
      failOn(response.errors(), "AlreadyExistsException", what);
    }
    for (Map.Entry<List<String>, String> e : move) {
      call(what, noSuchTable(id, what), () -> client.updatePartition(b -> b.catalogId(catalog())
          .databaseName(id.database()).tableName(id.table()).partitionValueList(e.getKey())
          .partitionInput(partitionInput(sd, e.getKey(), e.getValue()))));
    }
    LOG.debug("Added {} and moved {} partitions of table {}", create.size(), move.size(), id);
  }

  /** The locations of those of {@code values} that exist, BatchGetPartition 1,000 at a time. */
  private Map<List<String>, String> existingPartitions(TableId id,
      Collection<List<String>> values) {
    String what = "read partitions of table " + id;
    List<List<String>> all = List.copyOf(values);
    Map<List<String>, String> existing = new HashMap<>();
    for (int i = 0; i < all.size(); i += GET_BATCH) {
      List<PartitionValueList> batch = all.subList(i, Math.min(all.size(), i + GET_BATCH))
          .stream().map(v -> PartitionValueList.builder().values(v).build()).toList();
      var response = call(what, noSuchTable(id, what), () -> client.batchGetPartition(b -> b
          .catalogId(catalog()).databaseName(id.database()).tableName(id.table())
          .partitionsToGet(batch)));
      response.partitions().forEach(p -> existing.put(p.values(),
          p.storageDescriptor() == null ? "" : p.storageDescriptor().location()));
      if (response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty()) {
        List<List<String>> retry = response.unprocessedKeys().stream()
            .map(PartitionValueList::values).toList();
        existing.putAll(existingPartitions(id, retry));
      }
    }
    return existing;
  }

  @Override
  public Stream<Partition> listPartitions(TableId id, Map<String, String> filter) {
    requireNonNull(id, "id is null");
    requireNonNull(filter, "filter is null");
    String what = "list partitions of table " + id;
    var table = glueTable(id).orElseThrow(() -> new NoSuchTableException(id.toString(),
        "Cannot " + what + ": it does not exist"));
    List<String> keys = table.hasPartitionKeys()
        ? table.partitionKeys().stream().map(c -> c.name()).toList() : List.of();
    Set<String> unknown = new TreeSet<>(filter.keySet());
    keys.forEach(unknown::remove);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Cannot " + what + ": unknown partition key(s) "
          + unknown + " in the filter; its partition keys are " + keys);
    }
    String expression = filter.isEmpty() ? null : keys.stream().filter(filter::containsKey)
        .map(k -> k + " = '" + filter.get(k).replace("'", "''") + "'")
        .reduce((a, b) -> a + " AND " + b).orElseThrow();
    // Glue checks a value against its key's type ("abc" is not an integer): bad input
    Function<SdkException, RuntimeException> errors = e -> switch (AwsErrors.code(e)) {
      case "InvalidInputException" -> new IllegalArgumentException("Cannot " + what
          + ": Glue refused the filter " + new TreeMap<>(filter) + " (" + AwsErrors.message(e)
          + "); give values of the partition keys' types: " + table.partitionKeys().stream()
              .map(c -> c.name() + " " + c.type()).toList(), e);
      default -> noSuchTable(id, what).apply(e);
    };
    List<Partition> result = call(what, errors, () -> {
      List<Partition> all = new ArrayList<>();
      for (GetPartitionsResponse page : client.getPartitionsPaginator(b -> b.catalogId(catalog())
          .databaseName(id.database()).tableName(id.table()).expression(expression))) {
        page.partitions().forEach(p -> all.add(Partition.of(p.values(),
            p.storageDescriptor() == null || p.storageDescriptor().location() == null ? ""
                : S3Locations.fromGlue(p.storageDescriptor().location()))));
      }
      return all;
    });
    // Glue's order is unspecified: sorted here, by the partition values
    return result.stream().sorted(Comparator.comparing(Partition::values, GlueMetastore::compare));
  }

  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  @Override
  public void dropPartitions(TableId id, Collection<List<String>> values) {
    requireNonNull(id, "id is null");
    requireNonNull(values, "values is null");
    String what = "drop partitions of table " + id;
    List<List<String>> all = List.copyOf(new java.util.LinkedHashSet<>(values));
    for (int i = 0; i < all.size(); i += DELETE_BATCH) {
      List<PartitionValueList> batch = all.subList(i, Math.min(all.size(), i + DELETE_BATCH))
          .stream().map(v -> PartitionValueList.builder().values(v).build()).toList();
      BatchDeletePartitionResponse response = call(what, noSuchTable(id, what),
          () -> client.batchDeletePartition(b -> b.catalogId(catalog())
              .databaseName(id.database()).tableName(id.table()).partitionsToDelete(batch)));
      failOn(response.errors(), "EntityNotFoundException", what);
    }
    LOG.debug("Dropped up to {} partitions of table {}", all.size(), id);
  }

  private void failOn(List<PartitionError> errors, String ignored, String what) {
    List<String> failures = new ArrayList<>();
    for (PartitionError error : errors) {
      String code = error.errorDetail() == null ? "" : error.errorDetail().errorCode();
      if (!ignored.equals(code)) {
        failures.add(error.partitionValues() + " (" + code + ": "
            + (error.errorDetail() == null ? "" : error.errorDetail().errorMessage()) + ")");
      }
    }
    if (!failures.isEmpty()) {
      throw new ProviderException("Cannot " + what + " on " + settings.aws().where() + ": "
          + failures.size() + " partitions failed, such as " + failures.subList(0,
              Math.min(5, failures.size())));
    }
  }

  // ---------------------------------------------------------------------------------- mapping

  static TableInput tableInput(TableDefinition d, long version) {
    String format = d.format().toLowerCase(Locale.ROOT);
    Storage storage = FORMATS.get(format);
    if (storage == null) {
      throw new IllegalArgumentException("Cannot register table " + d.id() + " in Glue: format '"
          + d.format() + "' is not one of " + new TreeSet<>(FORMATS.keySet()));
    }
    Map<String, String> parameters = new TreeMap<>(d.properties());
    parameters.put(VERSION, String.valueOf(version));
    parameters.put(CLASSIFICATION, format);
    parameters.put(EXTERNAL, "TRUE");
    Map<String, String> serdeParameters = format.equals("csv")
        ? Map.of("field.delim", ",", "serialization.format", ",")
        : Map.of("serialization.format", "1");
    return TableInput.builder()
        .name(d.id().table())
        .description(d.comment().orElse(null))
        .tableType("EXTERNAL_TABLE")
        .parameters(parameters)
        .partitionKeys(columns(d.partitionKeys()))
        .storageDescriptor(StorageDescriptor.builder()
            .columns(columns(d.columns()))
            .location(S3Locations.toGlue(d.location()))
            .inputFormat(storage.input())
            .outputFormat(storage.output())
            .compressed(false)
            .serdeInfo(SerDeInfo.builder().serializationLibrary(storage.serde())
                .parameters(serdeParameters).build())
            .build())
        .build();
  }

  private static List<software.amazon.awssdk.services.glue.model.Column> columns(
      List<Column> columns) {
    return columns.stream().map(c -> software.amazon.awssdk.services.glue.model.Column.builder()
        .name(c.name()).type(c.type()).comment(c.comment().orElse(null)).build()).toList();
  }

  private static PartitionInput partitionInput(StorageDescriptor table, List<String> values,
      String location) {
    return PartitionInput.builder().values(values)
        .storageDescriptor(table.toBuilder().location(location).build()).build();
  }

  static Table table(software.amazon.awssdk.services.glue.model.Table t) {
    Map<String, String> parameters = t.hasParameters() ? t.parameters() : Map.of();
    Map<String, String> properties = new HashMap<>(parameters);
    RESERVED.forEach(properties::remove);
    StorageDescriptor sd = t.storageDescriptor();
    String format = parameters.getOrDefault(CLASSIFICATION, formatOf(sd));
    TableDefinition definition = new TableDefinition(TableId.of(t.databaseName(), t.name()),
        sd == null || sd.location() == null ? "" : S3Locations.fromGlue(sd.location()), format,
        sd == null || !sd.hasColumns() ? List.of() : columnsOf(sd.columns()),
        t.hasPartitionKeys() ? columnsOf(t.partitionKeys()) : List.of(), properties,
        Optional.ofNullable(t.description()));
    return new Table(definition, version(t));
  }

  private static String formatOf(StorageDescriptor sd) {
    if (sd == null || sd.serdeInfo() == null) {
      return "unknown";
    }
    String serde = sd.serdeInfo().serializationLibrary();
    return FORMATS.entrySet().stream().filter(e -> e.getValue().serde().equals(serde))
        .map(Map.Entry::getKey).findFirst().orElse("unknown");
  }

  private static List<Column> columnsOf(List<software.amazon.awssdk.services.glue.model.Column> c) {
    return c.stream().map(x -> new Column(x.name(), x.type(), Optional.ofNullable(x.comment())))
        .toList();
  }

  /** edx's version: the {@code edx.version} parameter; 1 for a table edx did not write. */
  static long version(software.amazon.awssdk.services.glue.model.Table t) {
    String v = t.hasParameters() ? t.parameters().get(VERSION) : null;
    try {
      return v == null ? 1 : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  // ------------------------------------------------------------------------------ provisioner

  @Override
  public List<Change> plan() {
    return provisioner.plan();
  }

  @Override
  public List<Change> apply() {
    return provisioner.apply();
  }

  @Override
  public List<Change> destroy(DataPolicy policy) {
    return provisioner.destroy(policy);
  }

  @Override
  public List<Change> planDestroy(DataPolicy policy) {
    return provisioner.planDestroy(policy);
  }

  /** Stores a database's new parameters (adoption marks it as owned). */
  private void replaceProperties(Database db) {
    String what = "adopt database '" + db.name() + "'";
    call(what, noSuchDatabase(db.name(), what), () -> client.updateDatabase(b -> b
        .catalogId(catalog()).name(db.name()).databaseInput(DatabaseInput.builder()
            .name(db.name()).locationUri(db.location().map(S3Locations::toGlue).orElse(null))
            .parameters(db.properties()).build())));
  }

  // ---------------------------------------------------------------------------------- errors

  /** Thrown by a mapper for a missing entity that the caller turns into an empty result. */
  private static final class Missing extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Missing() {
      super(null, null, false, false);
    }
  }

  private static Function<SdkException, RuntimeException> notFound() {
    return e -> AwsErrors.code(e).equals("EntityNotFoundException") ? new Missing() : null;
  }

  private static Function<SdkException, RuntimeException> noSuchDatabase(String name,
      String what) {
    return e -> AwsErrors.code(e).equals("EntityNotFoundException")
        ? new NoSuchDatabaseException(name, "Cannot " + what + ": database '" + name
            + "' does not exist", e) : null;
  }

  private static Function<SdkException, RuntimeException> noSuchTable(TableId id, String what) {
    return e -> AwsErrors.code(e).equals("EntityNotFoundException")
        ? new NoSuchTableException(id.toString(), "Cannot " + what + ": table " + id
            + " does not exist", e) : null;
  }

  /**
   * Runs a call; an SDK failure goes to {@code specific} first (null when it has no special
   * meaning), then to the general mapping.
   */
  private <T> T call(String what, Function<SdkException, RuntimeException> specific,
      Supplier<T> call) {
    if (closed.get()) {
      throw new IllegalStateException("Cannot " + what + ": the glue metastore is closed");
    }
    try {
      return call.get();
    } catch (EdxException | IllegalArgumentException | Missing e) {
      throw e;
    } catch (SdkException e) {
      RuntimeException mapped = specific.apply(e);
      if (mapped != null) {
        throw mapped;
      }
      throw AwsErrors.unmapped(e, what, settings.aws());
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "GlueMetastore{" + settings + "}";
  }
}
