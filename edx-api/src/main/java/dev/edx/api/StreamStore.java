package dev.edx.api;

import java.util.Map;

/**
 * A message broker data store ({@code provider: kafka}). The provider's own handle type adds
 * admin operations in its client library's types.
 */
public interface StreamStore extends DataStore {

  /**
   * The client properties to connect with (for Kafka, {@code bootstrap.servers} and the security
   * settings), ready for a producer, consumer or admin client. Holds secrets: do not log.
   */
  Map<String, String> clientProperties();

  /**
   * The physical name of the topic code calls {@code logical}: {@code pr42.gha.events} for {@code
   * gha.events} in an environment with {@code metadata.namePrefix: pr42}, {@code logical} itself
   * in one without. Code names topics through it (to produce, consume, describe, create), so it
   * runs unchanged in a prefixed copy of its environment; the store's provisioned {@code topics}
   * have these names.
   */
  String topic(String logical);
}
