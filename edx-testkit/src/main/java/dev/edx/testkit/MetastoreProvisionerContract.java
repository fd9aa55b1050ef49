package dev.edx.testkit;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.toolkit.MetastoreDatabaseProvisioner;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ProvisionerContract} for a metastore's databases: the primitives go through the {@link
 * Metastore} API of a metastore that belongs to no environment ({@link #bareMetastore()}), and
 * ownership is read from the database properties {@link MetastoreDatabaseProvisioner} writes. A
 * subclass supplies the provisioner and that bare metastore.
 */
public abstract class MetastoreProvisionerContract extends ProvisionerContract {

  /** A metastore of the same backend that belongs to no environment: edx's "behind its back". */
  protected abstract Metastore bareMetastore();

  /** Where the table that makes a database hold data points: a location the backend accepts. */
  protected String tableLocation(String database) {
    return "file:/tmp/" + database;
  }

  @Override
  protected String kind() {
    return "database";
  }

  @Override
  protected char separator() {
    return '_';
  }

  @Override
  protected void createUnowned(String name) {
    bareMetastore().createDatabase(Database.of(name));
  }

  @Override
  protected void putData(String name) {
    bareMetastore().createTable(TableDefinition.of(TableId.of(name, "events"),
        tableLocation(name), "parquet", List.of(Column.of("id", "bigint")), List.of()));
  }

  @Override
  protected boolean holdsData(String name) {
    return bareMetastore().loadTable(TableId.of(name, "events")).isPresent();
  }

  @Override
  protected void deleteBehindBack(String name) {
    bareMetastore().dropDatabase(name, true);
  }

  @Override
  protected boolean exists(String name) {
    return bareMetastore().loadDatabase(name).isPresent();
  }

  @Override
  protected Optional<String> owner(String name) {
    Map<String, String> properties =
        bareMetastore().loadDatabase(name).orElseThrow().properties();
    return "edx".equals(properties.get(MetastoreDatabaseProvisioner.MANAGED_BY))
        ? Optional.ofNullable(properties.get(MetastoreDatabaseProvisioner.ENVIRONMENT))
        : Optional.empty();
  }
}
