/**
 * The {@code jdbc} data store provider: relational databases declared under {@code
 * spec.datastores}, handed to code as {@link dev.edx.api.RelationalStore}s, their schemas
 * provisioned with edx's ownership rules.
 */
package dev.edx.provider.jdbc;
