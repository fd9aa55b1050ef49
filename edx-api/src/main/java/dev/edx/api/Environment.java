package dev.edx.api;

import dev.edx.api.exceptions.ConfigurationException;
import java.util.Map;

/**
 * One environment: object storage, compute, a metastore and secrets, from the providers its spec
 * names. It owns the clients its services built and closes them, in reverse order of creation, on
 * {@link #close()}, which is idempotent. Thread safe.
 */
public interface Environment extends AutoCloseable {

  /** The name from the spec's {@code metadata.name}. */
  String name();

  /** @throws ConfigurationException if the spec declares no storage */
  ObjectStorage storage();

  /** @throws ConfigurationException if the spec declares no compute */
  Compute compute();

  /** @throws ConfigurationException if the spec declares no metastore */
  Metastore metastore();

  /** @throws ConfigurationException if the spec declares no secrets */
  Secrets secrets();

  /** The data stores of {@code spec.datastores}, by name in spec order; empty when none. */
  default Map<String, DataStore> datastores() {
    return Map.of();
  }

  /**
   * The data store {@code spec.datastores.NAME}, as {@code type}.
   *
   * @throws ConfigurationException if the spec declares no such store or it is not a {@code type}
   */
  default <T extends DataStore> T datastore(String name, Class<T> type) {
    DataStore store = datastores().get(name);
    String key = "spec.datastores." + name;
    if (store == null) {
      throw new ConfigurationException(key, -1, "Cannot use data store '" + name + "' of"
          + " environment '" + name() + "': its spec declares no " + key + "; declared: "
          + datastores().keySet(), null);
    }
    if (!type.isInstance(store)) {
      throw new ConfigurationException(key, -1, "Cannot use data store '" + name + "' as a "
          + type.getSimpleName() + ": its provider '" + store.provider() + "' gives a "
          + store.getClass().getSimpleName(), null);
    }
    return type.cast(store);
  }

  @Override
  void close();
}
