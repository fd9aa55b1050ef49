package dev.edx.api;

import java.util.List;
import java.util.Optional;

/**
 * Named secrets. Values never appear in logs or exception messages. Thread safe.
 *
 * <p>A read-only provider (environment variables) refuses {@link #put} and {@link #delete} with an
 * {@link UnsupportedOperationException} that says so.
 */
public interface Secrets {

  Optional<Secret> get(String name);

  /** Creates or replaces a secret, all its keys at once. */
  void put(Secret secret);

  /** Deletes a secret; returns whether it existed. */
  boolean delete(String name);

  /** The secrets' names, sorted. */
  List<String> list();
}
