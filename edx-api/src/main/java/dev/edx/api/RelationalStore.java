package dev.edx.api;

import javax.sql.DataSource;

/** A relational data store ({@code provider: jdbc}): pooled connections to one database. */
public interface RelationalStore extends DataStore {

  /** A pooled {@link DataSource}; closing the environment closes the pool. */
  DataSource dataSource();

  /** The SQL dialect: {@code postgresql}, {@code mariadb}. */
  String dialect();

  /**
   * The physical name of the schema code calls {@code logical}: {@code pr42_gha} for {@code gha}
   * in an environment with {@code metadata.namePrefix: pr42}, {@code logical} itself in one
   * without. Code names schemas through it (in SQL, in a table's qualified name), so it runs
   * unchanged in a prefixed copy of its environment; the store's provisioned {@code schemas}
   * have these names.
   */
  String schema(String logical);
}
