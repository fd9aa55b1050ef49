/**
 * The {@code hive} metastore provider: {@link dev.edx.provider.hive.HiveMetastoreProvider}, a
 * client of a Hive Metastore's Thrift API (databases, EXTERNAL tables with Hive storage
 * descriptors, partitions, table locks for optimistic concurrency). Settings: {@link
 * dev.edx.provider.hive.HiveProperties}.
 */
package dev.edx.provider.hive;
