package dev.edx.embedded;

import dev.edx.api.Compute;
import dev.edx.api.DataStore;
import dev.edx.api.Environment;
import dev.edx.api.Metastore;
import dev.edx.api.ObjectStorage;
import dev.edx.api.Secrets;
import dev.edx.api.exceptions.EdxException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An environment together with the embedded servers it runs on (an S3 endpoint, a PostgreSQL):
 * closing it closes the environment, then the servers in reverse order of start. Idempotent.
 */
final class OwningEnvironment implements Environment {
  private final Environment environment;
  private final List<AutoCloseable> servers;
  private final AtomicBoolean closed = new AtomicBoolean();

  OwningEnvironment(Environment environment, List<AutoCloseable> servers) {
    this.environment = environment;
    this.servers = List.copyOf(servers);
  }

  @Override
  public String name() {
    return environment.name();
  }

  @Override
  public ObjectStorage storage() {
    return environment.storage();
  }

  @Override
  public Compute compute() {
    return environment.compute();
  }

  @Override
  public Metastore metastore() {
    return environment.metastore();
  }

  @Override
  public Secrets secrets() {
    return environment.secrets();
  }

  @Override
  public Map<String, DataStore> datastores() {
    return environment.datastores();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    RuntimeException failure = null;
    try {
      environment.close();
    } catch (RuntimeException e) {
      failure = e;
    }
    failure = closeAll(servers, failure);
    if (failure != null) {
      throw failure;
    }
  }

  /** Closes {@code resources} last first; returns the first failure, the others suppressed. */
  static RuntimeException closeAll(List<AutoCloseable> resources, RuntimeException failure) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new EdxException("Cannot stop " + resources.get(i) + ": " + e.getMessage(), e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    return failure;
  }

  @Override
  public String toString() {
    return environment + " on " + servers;
  }
}
