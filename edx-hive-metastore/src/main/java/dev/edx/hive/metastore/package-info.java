/**
 * A Hive Metastore server (Thrift, Hive 3.1.3) run in-process on a PostgreSQL database:
 * {@link dev.edx.hive.metastore.HiveMetastoreServer}. Its own module because its dependency tree
 * (Hive, DataNucleus, part of Hadoop) is large; the {@code hive} metastore provider is its client
 * and does not depend on it.
 */
package dev.edx.hive.metastore;
