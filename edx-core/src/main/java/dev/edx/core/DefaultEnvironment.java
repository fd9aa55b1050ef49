package dev.edx.core;

import dev.edx.api.Compute;
import dev.edx.api.DataStore;
import dev.edx.api.Environment;
import dev.edx.api.Metastore;
import dev.edx.api.ObjectStorage;
import dev.edx.api.Secrets;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.exceptions.EdxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The environment {@link EnvironmentLoader} opens: services by section, closed in reverse. */
final class DefaultEnvironment implements Environment {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultEnvironment.class);

  private final String name;
  private final Map<String, Object> services;
  private final Map<String, Object> views;
  private final Map<String, String> providerNames;
  private final Map<String, DataStore> datastores;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param services the providers' services in creation order; {@link #close()} closes them in
   *     reverse, provisioning uses them
   * @param views what callers get per section: the services, or isolating views of them
   */
  DefaultEnvironment(String name, Map<String, Object> services, Map<String, Object> views,
      Map<String, String> providerNames) {
    this.name = name;
    this.services = new LinkedHashMap<>(services);
    this.views = Map.copyOf(views);
    this.providerNames = Map.copyOf(providerNames);
    Map<String, DataStore> stores = new LinkedHashMap<>();
    String prefix = EnvironmentSpec.DATASTORES + ".";
    services.forEach((section, service) -> {
      if (section.startsWith(prefix)) {
        stores.put(section.substring(prefix.length()), (DataStore) views.get(section));
      }
    });
    this.datastores = Collections.unmodifiableMap(stores);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ObjectStorage storage() {
    return service("storage", ObjectStorage.class);
  }

  @Override
  public Compute compute() {
    return service("compute", Compute.class);
  }

  @Override
  public Metastore metastore() {
    return service("metastore", Metastore.class);
  }

  @Override
  public Secrets secrets() {
    return service("secrets", Secrets.class);
  }

  @Override
  public Map<String, DataStore> datastores() {
    if (closed.get()) {
      throw new IllegalStateException(
          "Cannot use the data stores of environment '" + name + "': it is closed");
    }
    return datastores;
  }

  /** The services in creation order, for provisioning. */
  Map<String, Object> services() {
    return services;
  }

  private <T> T service(String section, Class<T> type) {
    if (closed.get()) {
      throw new IllegalStateException(
          "Cannot use " + section + " of environment '" + name + "': it is closed");
    }
    Object service = views.get(section);
    if (service == null) {
      throw new ConfigurationException("spec." + section, -1, "Cannot use " + section
          + " of environment '" + name + "': its spec declares no spec." + section
          + "; add one (for example 'provider: local')", null);
    }
    return type.cast(service);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeAll(name, new ArrayList<>(services.entrySet()));
    LOG.info("Closed environment '{}'", name);
  }

  /** Closes what is AutoCloseable, last created first; every one is tried, the first error wins. */
  static void closeAll(String environment, List<Map.Entry<String, Object>> created) {
    RuntimeException failure = null;
    for (int i = created.size() - 1; i >= 0; i--) {
      Map.Entry<String, Object> entry = created.get(i);
      if (entry.getValue() instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.warn("Cannot close {} of environment '{}'", entry.getKey(), environment, e);
          if (failure == null) {
            failure = new EdxException("Cannot close " + entry.getKey() + " of environment '"
                + environment + "': " + e.getMessage(), e);
          } else {
            failure.addSuppressed(e);
          }
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "Environment{name=" + name + ", providers=" + providerNames + "}";
  }
}
