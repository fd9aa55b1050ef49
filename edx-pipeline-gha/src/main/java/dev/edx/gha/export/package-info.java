/**
 * {@code edx gha export}: a datamart table, read from its Parquet through the environment's
 * storage and metastore, loaded into a relational data store ({@link dev.edx.api.RelationalStore})
 * partition by partition.
 */
package dev.edx.gha.export;
