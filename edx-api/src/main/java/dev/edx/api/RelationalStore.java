package dev.edx.api;

import javax.sql.DataSource;

/** A relational data store ({@code provider: jdbc}): pooled connections to one database. */
public interface RelationalStore extends DataStore {

  /** A pooled {@link DataSource}; closing the environment closes the pool. */
  DataSource dataSource();

  /** The SQL dialect: {@code postgresql}, {@code mariadb}. */
  String dialect();
}
