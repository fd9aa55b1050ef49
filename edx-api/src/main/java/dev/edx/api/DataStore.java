package dev.edx.api;

/**
 * A data store an environment declares beside its four services, under {@code
 * spec.datastores.NAME}: a relational database, a Kafka cluster. Code asks the environment for
 * one by name and handle type ({@code env.datastore("warehouse", RelationalStore.class)}), so it
 * names no server. The environment closes it.
 */
public interface DataStore {

  /** Its name under {@code spec.datastores}. */
  String name();

  /** The provider that made it: {@code jdbc}, {@code kafka}. */
  String provider();
}
