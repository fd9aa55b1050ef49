package dev.edx.core;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.DataStoreProvider;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The providers found with {@link ServiceLoader} on one class loader, by service and name. Loud:
 * two providers with one name fail naming both classes; a spec naming an unknown provider fails
 * listing the known ones; a service with no provider at all says which module to add. Built per
 * environment loader; nothing is cached statically.
 */
public final class ProviderRegistry {
  private static final Map<String, Class<? extends ServiceProvider<?>>> SPI = Map.of(
      "storage", StorageProvider.class,
      "compute", ComputeProvider.class,
      "metastore", MetastoreProvider.class,
      "secrets", SecretsProvider.class,
      EnvironmentSpec.DATASTORES, DataStoreProvider.class);

  private final Map<String, Map<String, ServiceProvider<?>>> providers;
  private ProviderRegistry(Map<String, Map<String, ServiceProvider<?>>> providers) {
    this.providers = providers;
  }

  /**
   * Loads every provider visible to a class loader.
   *
   * @throws ConfigurationException if two providers of one service share a name, or a provider
   *     cannot be loaded
   */
  public static ProviderRegistry load(ClassLoader classLoader) {
    requireNonNull(classLoader, "classLoader is null");
    Map<String, Map<String, ServiceProvider<?>>> all = new TreeMap<>();
    for (String service : EnvironmentSpec.SERVICES) {
      all.put(service, loadService(service, SPI.get(service), classLoader));
    }
    all.put(EnvironmentSpec.DATASTORES, loadService("data store",
        SPI.get(EnvironmentSpec.DATASTORES), classLoader));
    return new ProviderRegistry(all);
  }

  private static Map<String, ServiceProvider<?>> loadService(String service,
      Class<? extends ServiceProvider<?>> type, ClassLoader classLoader) {
    Map<String, ServiceProvider<?>> byName = new TreeMap<>();
    Iterator<? extends ServiceProvider<?>> it = ServiceLoader.load(type, classLoader).iterator();
    while (true) {
      ServiceProvider<?> provider;
      try {
        if (!it.hasNext()) {
          break;
        }
        provider = it.next();
      } catch (ServiceConfigurationError e) {
        throw new ConfigurationException("Cannot load a " + service + " provider listed in"
            + " META-INF/services/" + type.getName() + ": " + e.getMessage(), e);
      }
      ServiceProvider<?> previous = byName.putIfAbsent(provider.name(), provider);
      if (previous != null && previous.getClass() != provider.getClass()) {
        throw new ConfigurationException("Cannot register " + service + " provider '"
            + provider.name() + "': two classes claim that name, " + previous.getClass().getName()
            + " and " + provider.getClass().getName() + "; remove one of them from the class path");
      }
    }
    return byName;
  }

  /** The provider names for a service, sorted. */
  public List<String> names(String service) {
    return List.copyOf(providers.getOrDefault(service, Map.of()).keySet());
  }

  /** The JSON Schema of specs these providers accept. */
  public String schema() {
    Map<String, List<ServiceProvider<?>>> byService = new TreeMap<>();
    providers.forEach((service, byName) -> byService.put(service, List.copyOf(byName.values())));
    return SpecSchema.generate(byService);
  }

  /** Every service with its provider names, for diagnostics. */
  public Map<String, List<String>> all() {
    Map<String, List<String>> result = new TreeMap<>();
    providers.forEach((service, byName) -> result.put(service, List.copyOf(byName.keySet())));
    return result;
  }

  /**
   * The provider a service spec names.
   *
   * @throws ConfigurationException naming {@code spec.<service>.provider} and its line, and the
   *     known names, if there is no such provider
   */
  @SuppressWarnings("unchecked")
  <T> ServiceProvider<T> provider(ServiceSpec spec) {
    boolean datastore = spec.service().startsWith(EnvironmentSpec.DATASTORES + ".");
    String service = datastore ? EnvironmentSpec.DATASTORES : spec.service();
    String what = datastore ? "data store" : service;
    Map<String, ServiceProvider<?>> byName = providers.getOrDefault(service, Map.of());
    if (byName.isEmpty()) {
      throw spec.error("provider", datastore
          ? "no data store providers are on the class path; add a data store provider module"
              + " such as edx-provider-jdbc or edx-provider-kafka"
          : "no " + what + " providers are on the class path;"
              + " add edx-core for the local providers or a provider module"
              + " such as edx-provider-minio, edx-provider-k8s or edx-provider-aws");
    }
    ServiceProvider<?> provider = byName.get(spec.provider());
    if (provider == null) {
      throw spec.error("provider", "unknown " + what + " provider '" + spec.provider()
          + "'; known " + what + " providers: " + byName.keySet()
          + " (a provider module missing from the class path?)");
    }
    return (ServiceProvider<T>) provider;
  }
}
