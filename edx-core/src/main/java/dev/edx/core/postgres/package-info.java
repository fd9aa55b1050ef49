/**
 * The {@code postgres} metastore provider: databases, external tables and partitions in a
 * PostgreSQL schema managed by versioned (Flyway) migrations, with optimistic concurrency. Use it
 * through {@link dev.edx.api.Metastore}; the classes here are public for the provider registry and
 * the contract tests.
 */
package dev.edx.core.postgres;
