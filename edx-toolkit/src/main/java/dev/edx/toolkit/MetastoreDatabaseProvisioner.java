package dev.edx.toolkit;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.exceptions.DatabaseAlreadyExistsException;
import dev.edx.api.exceptions.NoSuchDatabaseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Provisions a metastore's databases through the {@link Metastore} API alone: ownership is the
 * database properties {@link #MANAGED_BY} and {@link #ENVIRONMENT}, set when the database is
 * created (atomically with it); the data a database holds is its tables (metadata only: their
 * files stay in storage). Only adoption needs the provider, to rewrite an existing database's
 * properties, which the API does not offer.
 */
public final class MetastoreDatabaseProvisioner extends OwnedResourceProvisioner {
  /** Database property marking a database edx manages. */
  public static final String MANAGED_BY = "edx.dev/managed-by";
  /** Database property naming the environment that owns a database. */
  public static final String ENVIRONMENT = "edx.dev/environment";

  private final Metastore metastore;
  private final Consumer<Database> replaceProperties;
  private final String where;

  /**
   * @param replaceProperties stores a database's new properties (used to adopt one)
   * @param where where new databases go, for the plan: {@code in schema edx_metastore}
   */
  public MetastoreDatabaseProvisioner(Metastore metastore, String environment,
      List<DeclaredResource> declared, Consumer<Database> replaceProperties, String where) {
    super("metastore", "database", environment, declared);
    this.metastore = requireNonNull(metastore, "metastore is null");
    this.replaceProperties = requireNonNull(replaceProperties, "replaceProperties is null");
    this.where = requireNonNull(where, "where is null");
  }

  @Override
  protected boolean exists(String name) {
    return metastore.loadDatabase(name).isPresent();
  }

  @Override
  protected Optional<String> owner(String name) {
    return metastore.loadDatabase(name)
        .filter(db -> "edx".equals(db.properties().get(MANAGED_BY)))
        .map(db -> db.properties().getOrDefault(ENVIRONMENT, ""));
  }

  @Override
  protected Collection<String> existing() {
    return metastore.listDatabases();
  }

  @Override
  protected void create(String name) {
    try {
      metastore.createDatabase(new Database(name, Optional.empty(), ownership()));
    } catch (DatabaseAlreadyExistsException e) {
      // Created concurrently; the next plan tells whether it is ours.
    }
  }

  @Override
  protected void adopt(String name) {
    Database db = metastore.loadDatabase(name).orElseThrow(() -> new NoSuchDatabaseException(
        name, "Cannot adopt database " + name + ": it does not exist"));
    Map<String, String> properties = new TreeMap<>(db.properties());
    properties.putAll(ownership());
    replaceProperties.accept(new Database(db.name(), db.location(), properties));
  }

  @Override
  protected long dataCount(String name) {
    return metastore.listTables(name).size();
  }

  @Override
  protected void delete(String name) {
    metastore.dropDatabase(name, true);
  }

  @Override
  protected String dataUnit() {
    return "table(s) (metadata only: their data stays in storage)";
  }

  @Override
  protected String describeCreate(String name) {
    return where;
  }

  private Map<String, String> ownership() {
    return Map.of(MANAGED_BY, "edx", ENVIRONMENT, environment());
  }
}
