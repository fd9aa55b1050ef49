package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.Partition;
import dev.edx.api.Table;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.exceptions.CommitConflictException;
import dev.edx.api.exceptions.DatabaseAlreadyExistsException;
import dev.edx.api.exceptions.NoSuchDatabaseException;
import dev.edx.api.exceptions.NoSuchTableException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.exceptions.TableAlreadyExistsException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.Provisioner;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.MetastoreDatabaseProvisioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A metastore kept in a folder: the {@code local} provider and the reference implementation.
 *
 * <p>Layout: one folder per database holding {@code database.json}; per table a {@code
 * <table>.table.json} (definition and version) and a {@code <table>.partitions.json} (its
 * partitions, sorted by values). Every file is written to a temporary file and renamed into place,
 * so a reader never sees half a file. Writers within this JVM are serialized per table by this
 * instance, and {@link #updateTable} checks versions; open one instance per folder (a second
 * instance or process on the same folder reads consistent files but is not locked against).
 *
 * <p>Dropping a table or a database removes metadata only; data at the tables' locations stays.
 * As a {@link Provisioner} it creates the databases its spec declares.
 */
public final class LocalMetastore implements Metastore, Provisioner {
  private static final Logger LOG = LoggerFactory.getLogger(LocalMetastore.class);
  private static final String SERVICE = "metastore";
  private static final String DATABASE_FILE = "database.json";
  private static final String TABLE_SUFFIX = ".table.json";
  private static final String PARTITIONS_SUFFIX = ".partitions.json";
  private static final Comparator<List<String>> VALUES_ORDER = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };

  private final ObjectMapper mapper = new ObjectMapper();
  private final Path root;
  private final MetastoreDatabaseProvisioner provisioner;
  // Database create/drop take the write lock; everything that writes inside a database the read
  // lock, so a database never disappears under a table writer.
  private final ReentrantReadWriteLock catalogLock = new ReentrantReadWriteLock();
  private final ConcurrentMap<TableId, Lock> tableLocks = new ConcurrentHashMap<>();

  /**
   * @param directory the metastore's folder; created if missing
   * @param databases the databases {@link #apply()} creates
   * @param environment the environment whose databases the provisioner manages
   */
  public LocalMetastore(Path directory, List<DeclaredResource> databases, String environment) {
    this.root = requireNonNull(directory, "directory is null").toAbsolutePath();
    List<DeclaredResource> declared = requireNonNull(databases, "databases is null").stream()
        .map(d -> new DeclaredResource(Database.of(d.name()).name(), d.adopt())).toList();
    this.provisioner = new MetastoreDatabaseProvisioner(this, environment, declared,
        this::replaceProperties, "in " + root);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new ProviderException("Cannot create local metastore folder " + root + ": " + e, e);
    }
    LOG.info("Local metastore in {}", root);
  }

  // --- databases ---

  @Override
  public void createDatabase(Database database) {
    requireNonNull(database, "database is null");
    writeLocked(() -> {
      Path file = databaseFile(database.name());
      if (Files.exists(file)) {
        throw new DatabaseAlreadyExistsException(database.name(),
            "Cannot create database " + database.name() + ": it already exists");
      }
      io("create database " + database.name(), () -> {
        Files.createDirectories(file.getParent());
        return null;
      });
      ObjectNode node = mapper.createObjectNode();
      node.put("name", database.name());
      database.location().ifPresent(location -> node.put("location", location));
      node.set("properties", toJson(database.properties()));
      write(file, node, "create database " + database.name());
      LOG.debug("Created database {}", database.name());
      return null;
    });
  }

  @Override
  public Optional<Database> loadDatabase(String name) {
    requireNonNull(name, "name is null");
    String db = Database.of(name).name();
    return read(databaseFile(db), "load database " + db).map(node -> new Database(
        node.path("name").asText(db),
        Optional.ofNullable(node.get("location")).map(JsonNode::asText),
        stringMap(node.get("properties"))));
  }

  @Override
  public List<String> listDatabases() {
    return io("list databases", () -> {
      try (Stream<Path> children = Files.list(root)) {
        return children
            .filter(p -> !p.getFileName().toString().startsWith("."))
            .filter(p -> Files.isRegularFile(p.resolve(DATABASE_FILE)))
            .map(p -> p.getFileName().toString())
            .sorted()
            .toList();
      }
    });
  }

  @Override
  public void dropDatabase(String name, boolean cascade) {
    requireNonNull(name, "name is null");
    String db = Database.of(name).name();
    writeLocked(() -> {
      List<TableId> tables = listTables(db);
      if (!cascade && !tables.isEmpty()) {
        throw new IllegalStateException("Cannot drop database " + db + ": it holds "
            + tables.size() + " table(s) " + tables + "; drop them first or drop with cascade");
      }
      // Rename first so the database disappears at once, then delete the metadata files.
      Path folder = root.resolve(db);
      Path trash = root.resolve(".dropped-" + db + "-" + UUID.randomUUID());
      io("drop database " + db, () -> {
        Files.move(folder, trash, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(trash);
        return null;
      });
      tables.forEach(tableLocks::remove);
      LOG.debug("Dropped database {} with {} table(s)", db, tables.size());
      return null;
    });
  }

  // --- tables ---

  @Override
  public Table createTable(TableDefinition definition) {
    requireNonNull(definition, "definition is null");
    TableId id = definition.id();
    return tableLocked(id, () -> {
      requireDatabase(id.database(), "create table " + id);
      Path file = tableFile(id);
      if (Files.exists(file)) {
        throw new TableAlreadyExistsException(id.toString(),
            "Cannot create table " + id + ": it already exists");
      }
      // Leftovers of an interrupted drop must not become this table's partitions.
      io("create table " + id, () -> Files.deleteIfExists(partitionsFile(id)));
      Table table = new Table(definition, 1);
      write(file, toJson(table), "create table " + id);
      LOG.debug("Created table {}", id);
      return table;
    });
  }

  @Override
  public Optional<Table> loadTable(TableId id) {
    requireNonNull(id, "id is null");
    return read(tableFile(id), "load table " + id).map(this::toTable);
  }

  @Override
  public List<TableId> listTables(String database) {
    requireNonNull(database, "database is null");
    String db = Database.of(database).name();
    requireDatabase(db, "list tables of database " + db);
    return io("list tables of database " + db, () -> {
      try (Stream<Path> files = Files.list(root.resolve(db))) {
        return files.map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(TABLE_SUFFIX) && !n.startsWith("."))
            .map(n -> TableId.of(db, n.substring(0, n.length() - TABLE_SUFFIX.length())))
            .sorted(Comparator.comparing(TableId::table))
            .toList();
      } catch (NoSuchFileException e) {
        throw noSuchDatabase(db, "list tables of database " + db);
      }
    });
  }

  @Override
  public Table updateTable(TableDefinition definition, long expectedVersion) {
    requireNonNull(definition, "definition is null");
    TableId id = definition.id();
    return tableLocked(id, () -> {
      Table current = requireTable(id, "update table " + id);
      if (current.version() != expectedVersion) {
        throw new CommitConflictException(id.toString(), expectedVersion, current.version(),
            "Cannot update table " + id + ": expected version " + expectedVersion
                + " but it is at version " + current.version() + "; reload it and retry");
      }
      Table updated = new Table(definition, current.version() + 1);
      write(tableFile(id), toJson(updated), "update table " + id);
      LOG.debug("Updated table {} to version {}", id, updated.version());
      return updated;
    });
  }

  @Override
  public void dropTable(TableId id) {
    requireNonNull(id, "id is null");
    tableLocked(id, () -> {
      requireTable(id, "drop table " + id);
      // Metadata only: the files at the table's location are left alone.
      io("drop table " + id, () -> {
        Files.delete(tableFile(id));
        Files.deleteIfExists(partitionsFile(id));
        return null;
      });
      LOG.debug("Dropped table {} (its data is kept)", id);
      return null;
    });
  }

  // --- partitions ---

  @Override
  public void addPartitions(TableId id, Collection<Partition> partitions, boolean replace) {
    requireNonNull(id, "id is null");
    requireNonNull(partitions, "partitions is null");
    tableLocked(id, () -> {
      Table table = requireTable(id, "add partitions to table " + id);
      List<Column> keys = table.definition().partitionKeys();
      for (Partition p : partitions) {
        requireNonNull(p, "a partition is null");
        if (p.values().size() != keys.size()) {
          throw new IllegalArgumentException("Cannot add partition " + p.values() + " to table "
              + id + ": it has " + p.values().size() + " value(s) but the table has "
              + keys.size() + " partition key(s) " + names(keys));
        }
      }
      TreeMap<List<String>, String> current = readPartitions(id);
      boolean changed = false;
      for (Partition p : partitions) {
        String existing = current.get(p.values());
        if (p.location().equals(existing)) {
          continue;
        }
        if (existing != null && !replace) {
          throw new CommitConflictException(id + " partition " + p.values(), table.version(),
              table.version(), "Cannot add partition " + p.values() + " to table " + id
                  + ": it exists at " + existing + ", not " + p.location()
                  + "; add it with replace to move it");
        }
        current.put(p.values(), p.location());
        changed = true;
      }
      if (changed) {
        writePartitions(id, current);
      }
      LOG.debug("Added {} partition(s) to table {} ({})", partitions.size(), id,
          changed ? "changed" : "no change");
      return null;
    });
  }

  @Override
  public Stream<Partition> listPartitions(TableId id, Map<String, String> filter) {
    requireNonNull(id, "id is null");
    requireNonNull(filter, "filter is null");
    Table table = requireTable(id, "list partitions of table " + id);
    List<String> keys = names(table.definition().partitionKeys());
    Map<Integer, String> wanted = new LinkedHashMap<>();
    Set<String> unknown = new TreeSet<>();
    filter.forEach((key, value) -> {
      int index = keys.indexOf(key.toLowerCase(Locale.ROOT));
      if (index < 0) {
        unknown.add(key);
      } else {
        wanted.put(index, requireNonNull(value, "filter value of " + key + " is null"));
      }
    });
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Cannot list partitions of table " + id
          + ": unknown partition key(s) " + unknown + " in the filter; its partition keys are "
          + keys);
    }
    return streamPartitions(id).filter(p -> wanted.entrySet().stream()
        .allMatch(e -> e.getValue().equals(p.values().get(e.getKey()))));
  }

  @Override
  public void dropPartitions(TableId id, Collection<List<String>> values) {
    requireNonNull(id, "id is null");
    requireNonNull(values, "values is null");
    tableLocked(id, () -> {
      requireTable(id, "drop partitions of table " + id);
      TreeMap<List<String>, String> current = readPartitions(id);
      boolean changed = false;
      for (List<String> v : values) {
        changed |= current.remove(List.copyOf(v)) != null;
      }
      if (changed) {
        writePartitions(id, current);
      }
      return null;
    });
  }

  // --- provisioning ---

  @Override
  public List<Change> plan() {
    return provisioner.plan();
  }

  @Override
  public List<Change> apply() {
    List<Change> changes = provisioner.apply();
    LOG.info("Applied local metastore: {}", changes);
    return changes;
  }

  @Override
  public List<Change> destroy(DataPolicy policy) {
    List<Change> changes = provisioner.destroy(policy);
    LOG.info("Destroyed local metastore ({}): {}", policy, changes);
    return changes;
  }

  @Override
  public List<Change> planDestroy(DataPolicy policy) {
    return provisioner.planDestroy(policy);
  }


  /** Rewrites a database's properties (adoption marks it as owned). */
  private void replaceProperties(Database db) {
    writeLocked(() -> {
      requireDatabase(db.name(), "adopt database " + db.name());
      ObjectNode node = mapper.createObjectNode();
      node.put("name", db.name());
      db.location().ifPresent(location -> node.put("location", location));
      node.set("properties", toJson(db.properties()));
      write(databaseFile(db.name()), node, "adopt database " + db.name());
      return null;
    });
  }

  // --- files ---

  private Path databaseFile(String db) {
    return root.resolve(db).resolve(DATABASE_FILE);
  }

  private Path tableFile(TableId id) {
    return root.resolve(id.database()).resolve(id.table() + TABLE_SUFFIX);
  }

  private Path partitionsFile(TableId id) {
    return root.resolve(id.database()).resolve(id.table() + PARTITIONS_SUFFIX);
  }

  private void requireDatabase(String db, String action) {
    if (!Files.isRegularFile(databaseFile(db))) {
      throw noSuchDatabase(db, action);
    }
  }

  private static NoSuchDatabaseException noSuchDatabase(String db, String action) {
    return new NoSuchDatabaseException(db, "Cannot " + action + ": database " + db
        + " does not exist");
  }

  private Table requireTable(TableId id, String action) {
    return loadTable(id).orElseThrow(() -> {
      requireDatabase(id.database(), action);
      return new NoSuchTableException(id.toString(),
          "Cannot " + action + ": table " + id + " does not exist");
    });
  }

  private Optional<JsonNode> read(Path file, String action) {
    return io(action, () -> {
      try {
        return Optional.of(mapper.readTree(Files.readAllBytes(file)));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
    });
  }

  private void write(Path file, JsonNode node, String action) {
    io(action, () -> {
      byte[] bytes = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
      Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
      try {
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE)) {
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          channel.force(true);
        }
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      return null;
    });
  }

  private TreeMap<List<String>, String> readPartitions(TableId id) {
    TreeMap<List<String>, String> partitions = new TreeMap<>(VALUES_ORDER);
    try (Stream<Partition> stream = streamPartitions(id)) {
      stream.forEach(p -> partitions.put(p.values(), p.location()));
    }
    return partitions;
  }

  private void writePartitions(TableId id, TreeMap<List<String>, String> partitions) {
    ObjectNode node = mapper.createObjectNode();
    ArrayNode array = node.putArray("partitions");
    partitions.forEach((values, location) -> {
      ObjectNode p = array.addObject();
      ArrayNode v = p.putArray("values");
      values.forEach(v::add);
      p.put("location", location);
    });
    write(partitionsFile(id), node, "write partitions of table " + id);
  }

  /** Reads the (sorted) partitions file one partition at a time; close the stream. */
  private Stream<Partition> streamPartitions(TableId id) {
    String action = "list partitions of table " + id;
    JsonParser parser;
    try {
      parser = mapper.createParser(Files.newInputStream(partitionsFile(id)));
    } catch (NoSuchFileException e) {
      return Stream.empty();
    } catch (IOException e) {
      throw failure(action, e);
    }
    try {
      expect(parser, JsonToken.START_OBJECT, action);
      while (parser.nextToken() == JsonToken.FIELD_NAME
          && !"partitions".equals(parser.currentName())) {
        parser.nextToken();
        parser.skipChildren();
      }
      expect(parser, JsonToken.START_ARRAY, action);
    } catch (IOException | RuntimeException e) {
      closeQuietly(parser);
      throw e instanceof IOException io ? failure(action, io) : (RuntimeException) e;
    }
    Iterator<Partition> iterator = new Iterator<>() {
      private Partition next;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (next == null && !done) {
          try {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
              JsonNode node = mapper.readTree(parser);
              List<String> values = new ArrayList<>();
              node.path("values").forEach(v -> values.add(v.asText()));
              next = new Partition(values, node.path("location").asText());
            } else {
              done = true;
            }
          } catch (IOException e) {
            throw failure(action, e);
          }
        }
        return next != null;
      }

      @Override
      public Partition next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Partition result = next;
        next = null;
        return result;
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator,
            Spliterator.ORDERED | Spliterator.NONNULL), false)
        .onClose(() -> closeQuietly(parser));
  }

  private static void expect(JsonParser parser, JsonToken token, String action)
      throws IOException {
    if (parser.currentToken() != token && parser.nextToken() != token) {
      throw new ProviderException("Cannot " + action + ": malformed partitions file, expected "
          + token + " at " + parser.currentLocation());
    }
  }

  private static void closeQuietly(JsonParser parser) {
    try {
      parser.close();
    } catch (IOException e) {
      LOG.debug("Cannot close partitions file: {}", e.toString());
    }
  }

  // --- JSON mapping ---

  private ObjectNode toJson(Table table) {
    TableDefinition d = table.definition();
    ObjectNode node = mapper.createObjectNode();
    node.put("version", table.version());
    ObjectNode def = node.putObject("definition");
    def.put("database", d.id().database());
    def.put("table", d.id().table());
    def.put("location", d.location());
    def.put("format", d.format());
    def.set("columns", toJson(d.columns()));
    def.set("partitionKeys", toJson(d.partitionKeys()));
    def.set("properties", toJson(d.properties()));
    d.comment().ifPresent(c -> def.put("comment", c));
    return node;
  }

  private Table toTable(JsonNode node) {
    JsonNode def = node.path("definition");
    TableDefinition definition = new TableDefinition(
        TableId.of(def.path("database").asText(), def.path("table").asText()),
        def.path("location").asText(),
        def.path("format").asText(),
        columns(def.path("columns")),
        columns(def.path("partitionKeys")),
        stringMap(def.get("properties")),
        Optional.ofNullable(def.get("comment")).map(JsonNode::asText));
    return new Table(definition, node.path("version").asLong());
  }

  private ArrayNode toJson(List<Column> columns) {
    ArrayNode array = mapper.createArrayNode();
    for (Column column : columns) {
      ObjectNode c = array.addObject();
      c.put("name", column.name());
      c.put("type", column.type());
      column.comment().ifPresent(comment -> c.put("comment", comment));
    }
    return array;
  }

  private ObjectNode toJson(Map<String, String> map) {
    ObjectNode node = mapper.createObjectNode();
    new TreeMap<>(map).forEach(node::put);
    return node;
  }

  private static List<Column> columns(JsonNode array) {
    List<Column> columns = new ArrayList<>();
    array.forEach(c -> columns.add(new Column(c.path("name").asText(), c.path("type").asText(),
        Optional.ofNullable(c.get("comment")).map(JsonNode::asText))));
    return columns;
  }

  private static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    if (node != null) {
      node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    }
    return map;
  }

  private static List<String> names(List<Column> columns) {
    return columns.stream().map(Column::name).toList();
  }

  // --- locking and I/O helpers ---

  private <T> T writeLocked(Supplier<T> action) {
    catalogLock.writeLock().lock();
    try {
      return action.get();
    } finally {
      catalogLock.writeLock().unlock();
    }
  }

  private <T> T tableLocked(TableId id, Supplier<T> action) {
    catalogLock.readLock().lock();
    try {
      Lock lock = tableLocks.computeIfAbsent(id, k -> new ReentrantLock());
      lock.lock();
      try {
        return action.get();
      } finally {
        lock.unlock();
      }
    } finally {
      catalogLock.readLock().unlock();
    }
  }

  private interface IoAction<T> {
    T run() throws IOException;
  }

  private static <T> T io(String action, IoAction<T> body) {
    try {
      return body.run();
    } catch (IOException e) {
      throw failure(action, e);
    } catch (UncheckedIOException e) {
      throw failure(action, e.getCause());
    }
  }

  private static ProviderException failure(String action, IOException e) {
    return new ProviderException("Cannot " + action + ": " + e, e);
  }

  private static void deleteRecursively(Path folder) throws IOException {
    Files.walkFileTree(folder, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  @Override
  public String toString() {
    return "LocalMetastore{" + root + "}";
  }
}
