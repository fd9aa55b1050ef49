package dev.edx.api;

import dev.edx.api.exceptions.ConfigurationException;

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

  @Override
  void close();
}
