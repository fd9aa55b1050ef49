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
}
