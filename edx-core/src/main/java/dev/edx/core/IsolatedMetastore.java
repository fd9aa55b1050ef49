package dev.edx.core;

import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.Partition;
import dev.edx.api.Table;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** A metastore seen through an {@link Isolation}: logical database names in, physical below. */
final class IsolatedMetastore implements Metastore {
  private final Metastore delegate;
  private final Isolation isolation;

  IsolatedMetastore(Metastore delegate, Isolation isolation) {
    this.delegate = delegate;
    this.isolation = isolation;
  }

  private TableDefinition physical(TableDefinition d) {
    return new TableDefinition(isolation.table(d.id()), d.location(), d.format(), d.columns(),
        d.partitionKeys(), d.properties(), d.comment());
  }

  private Table logical(Table t) {
    TableDefinition d = t.definition();
    return new Table(new TableDefinition(isolation.logicalTable(d.id()), d.location(), d.format(),
        d.columns(), d.partitionKeys(), d.properties(), d.comment()), t.version());
  }

  @Override
  public void createDatabase(Database database) {
    delegate.createDatabase(isolation.database(database));
  }

  @Override
  public Optional<Database> loadDatabase(String name) {
    return delegate.loadDatabase(isolation.database(name))
        .map(db -> new Database(name, db.location(), db.properties()));
  }

  @Override
  public List<String> listDatabases() {
    return delegate.listDatabases().stream().map(isolation::logicalDatabase)
        .filter(Objects::nonNull).toList();
  }

  @Override
  public void dropDatabase(String name, boolean cascade) {
    delegate.dropDatabase(isolation.database(name), cascade);
  }

  @Override
  public Table createTable(TableDefinition definition) {
    return logical(delegate.createTable(physical(definition)));
  }

  @Override
  public Optional<Table> loadTable(TableId id) {
    return delegate.loadTable(isolation.table(id)).map(this::logical);
  }

  @Override
  public List<TableId> listTables(String database) {
    return delegate.listTables(isolation.database(database)).stream()
        .map(isolation::logicalTable).toList();
  }

  @Override
  public Table updateTable(TableDefinition definition, long expectedVersion) {
    return logical(delegate.updateTable(physical(definition), expectedVersion));
  }

  @Override
  public void dropTable(TableId id) {
    delegate.dropTable(isolation.table(id));
  }

  @Override
  public void addPartitions(TableId id, Collection<Partition> partitions, boolean replace) {
    delegate.addPartitions(isolation.table(id), partitions, replace);
  }

  @Override
  public Stream<Partition> listPartitions(TableId id, Map<String, String> filter) {
    return delegate.listPartitions(isolation.table(id), filter);
  }

  @Override
  public void dropPartitions(TableId id, Collection<List<String>> values) {
    delegate.dropPartitions(isolation.table(id), values);
  }
}
