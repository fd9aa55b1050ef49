/**
 * The {@code neo4j} data store provider: Neo4j databases declared under {@code
 * spec.datastores}, handed to code as {@link dev.edx.provider.neo4j.Neo4jStore}s (a Neo4j Java
 * driver), their constraints provisioned with edx's ownership rules.
 */
package dev.edx.provider.neo4j;
