package dev.edx.provider.jdbc;

import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.OwnedResourceProvisioner;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An {@link OwnedResourceProvisioner} whose resources are read from one catalogue listing (name
 * to ownership text): each {@code plan}, {@code apply}, {@code destroy} and {@code planDestroy}
 * call lists the catalogue once, however many resources it declares, and the next call lists it
 * again (so a change made between two calls, behind edx's back, is seen). What else a call reads
 * once ({@link #once}) is kept for that call only too. Calls on one instance run one at a time.
 */
abstract class ListedProvisioner extends OwnedResourceProvisioner {
  /** What the call in progress has read, by key; null outside a call. */
  private Map<String, Object> read;

  ListedProvisioner(String service, String kind, String environment,
      List<DeclaredResource> declared) {
    super(service, kind, environment, declared);
  }

  /** The existing resources, each with its ownership text (null when none): one listing. */
  abstract Map<String, String> list();

  /** {@link #list()}, read once per call. */
  final Map<String, String> listing() {
    return once("listing", this::list);
  }

  /** {@code load}'s answer, read once per call under {@code key} (each time outside a call). */
  @SuppressWarnings("unchecked")
  final <T> T once(String key, Supplier<T> load) {
    if (read == null) {
      return load.get();
    }
    if (!read.containsKey(key)) {
      read.put(key, load.get());
    }
    return (T) read.get(key);
  }

  @Override
  protected boolean exists(String name) {
    return listing().containsKey(name);
  }

  @Override
  protected Optional<String> owner(String name) {
    return SqlDialect.owner(listing().get(name));
  }

  @Override
  protected Collection<String> existing() {
    return listing().keySet();
  }

  @Override
  public synchronized List<Change> plan() {
    return call(super::plan);
  }

  @Override
  public synchronized List<Change> apply() {
    return call(super::apply);
  }

  @Override
  public synchronized List<Change> destroy(DataPolicy policy) {
    return call(() -> super.destroy(policy));
  }

  @Override
  public synchronized List<Change> planDestroy(DataPolicy policy) {
    return call(() -> super.planDestroy(policy));
  }

  private List<Change> call(Supplier<List<Change>> body) {
    read = new HashMap<>();
    try {
      return body.get();
    } finally {
      read = null;
    }
  }
}
