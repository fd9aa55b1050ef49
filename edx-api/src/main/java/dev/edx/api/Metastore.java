package dev.edx.api;

import dev.edx.api.exceptions.CommitConflictException;
import dev.edx.api.exceptions.DatabaseAlreadyExistsException;
import dev.edx.api.exceptions.NoSuchDatabaseException;
import dev.edx.api.exceptions.NoSuchTableException;
import dev.edx.api.exceptions.TableAlreadyExistsException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Hive-style catalog of databases, external tables and their partitions. Thread safe.
 *
 * <p>Tables carry a version; {@link #updateTable} names the version it read, and a concurrent
 * change makes it fail with {@link CommitConflictException} rather than silently overwrite: two
 * writers never lose each other's update.
 */
public interface Metastore {

  /** @throws DatabaseAlreadyExistsException if it exists */
  void createDatabase(Database database);

  Optional<Database> loadDatabase(String name);

  List<String> listDatabases();

  /**
   * Drops a database.
   *
   * @param cascade also drop its tables; otherwise a database with tables is not dropped and an
   *     {@link IllegalStateException} says so
   * @throws NoSuchDatabaseException if it does not exist
   */
  void dropDatabase(String name, boolean cascade);

  /**
   * Registers a table at version 1.
   *
   * @throws NoSuchDatabaseException if its database does not exist
   * @throws TableAlreadyExistsException if it exists
   */
  Table createTable(TableDefinition definition);

  Optional<Table> loadTable(TableId id);

  /** The tables of a database, by name. @throws NoSuchDatabaseException if it does not exist */
  List<TableId> listTables(String database);

  /**
   * Replaces a table's definition if its version is still {@code expectedVersion}.
   *
   * @return the table at its new version
   * @throws CommitConflictException if the version moved on; nothing was written
   * @throws NoSuchTableException if the table does not exist
   */
  Table updateTable(TableDefinition definition, long expectedVersion);

  /** Drops a table (its partitions too, never its data). @throws NoSuchTableException if missing */
  void dropTable(TableId id);

  /**
   * Adds partitions. Idempotent: a partition that exists with the same location is left alone;
   * with another location it is a {@link CommitConflictException} unless {@code replace} is true.
   *
   * @throws NoSuchTableException if the table does not exist
   * @throws IllegalArgumentException if a partition's values do not match the partition keys
   */
  void addPartitions(TableId id, Collection<Partition> partitions, boolean replace);

  /**
   * Lists partitions lazily, in partition-value order, keeping those whose values equal every
   * entry of {@code filter} (partition key to value; empty for all). Close the stream.
   *
   * @throws NoSuchTableException if the table does not exist
   */
  Stream<Partition> listPartitions(TableId id, Map<String, String> filter);

  /** Drops partitions by their values; missing ones are ignored. */
  void dropPartitions(TableId id, Collection<List<String>> values);
}
