package dev.edx.api;

import java.util.Optional;

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

  /**
   * Checks that the store answers: connects and makes one harmless round trip (a relational store
   * runs {@code SELECT 1}; a Kafka cluster describes itself), changing nothing. {@code edx doctor}
   * calls it for each declared store.
   *
   * @return what answered, in one line (a server's product and version, a cluster's id and
   *     brokers); empty when the provider has no check (the default), which is not a failure
   * @throws dev.edx.api.exceptions.EdxException naming the store and the reason when the store
   *     cannot be reached or does not answer
   */
  default Optional<String> check() {
    return Optional.empty();
  }
}
