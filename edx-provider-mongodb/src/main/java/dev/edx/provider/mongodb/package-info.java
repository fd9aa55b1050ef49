/**
 * The {@code mongodb} data store provider: MongoDB deployments declared under {@code
 * spec.datastores}, handed to code as {@link dev.edx.provider.mongodb.MongoStore}s (a {@code
 * MongoClient}), their collections and indexes provisioned with edx's ownership rules.
 */
package dev.edx.provider.mongodb;
