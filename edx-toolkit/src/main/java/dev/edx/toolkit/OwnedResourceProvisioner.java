package dev.edx.toolkit;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.Provisioner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The provisioning algorithm every provider shares, over a few primitives the provider supplies.
 * There is no state file: each call reads what exists and who owns it.
 *
 * <ul>
 *   <li>Ownership: what edx creates is marked (labels, tags, properties, a marker) with the
 *       environment's name. edx never changes or deletes what it does not own; a declared
 *       resource that exists unowned is left alone unless declared with {@code adopt: true}.
 *   <li>Interrupted applies: {@link #create} marks ownership before or atomically with creating,
 *       so an apply stopped at any point is completed by the next one.
 *   <li>Removal: a resource this environment owns that the spec no longer declares is deleted if
 *       it holds no data, and kept (RETAIN) if it does.
 *   <li>Drift: a declared resource deleted behind edx's back plans as CREATE again; an owned
 *       one whose settings differ from the spec ({@link #drift}) plans as UPDATE, and one being
 *       adopted is made as declared once marked.
 *   <li>Destroy: removes what this environment owns; resources holding data follow the policy.
 * </ul>
 *
 * <p>{@code NONE} and {@code RETAIN} changes are not changes: a second apply reports only those.
 */
public abstract class OwnedResourceProvisioner implements Provisioner {
  private final String service;
  private final String kind;
  private final String environment;
  private final List<DeclaredResource> declared;

  /**
   * @param service the spec section: {@code storage}, {@code metastore}...
   * @param kind what the resources are: {@code bucket}, {@code database}
   * @param environment the environment's name, which marks what it owns
   * @param declared the resources the spec declares
   */
  protected OwnedResourceProvisioner(String service, String kind, String environment,
      List<DeclaredResource> declared) {
    this.service = requireNonNull(service, "service is null");
    this.kind = requireNonNull(kind, "kind is null");
    this.environment = requireNonNull(environment, "environment is null");
    this.declared = List.copyOf(requireNonNull(declared, "declared is null"));
  }

  /** Whether the resource exists. */
  protected abstract boolean exists(String name);

  /** The environment that owns an existing resource, or empty when edx does not manage it. */
  protected abstract Optional<String> owner(String name);

  /**
   * The names of every existing resource of this kind, owned or not; {@link #owner} tells whose
   * each is. Override this, or {@link #ownedByThisEnvironment()} when the backend can filter by
   * owner itself.
   */
  protected Collection<String> existing() {
    throw new UnsupportedOperationException(getClass().getName()
        + " must override existing() or ownedByThisEnvironment()");
  }

  /** The existing resources this environment owns; by default, {@link #existing()} filtered. */
  protected Set<String> ownedByThisEnvironment() {
    Set<String> owned = new TreeSet<>();
    for (String name : existing()) {
      if (owner(name).filter(environment::equals).isPresent()) {
        owned.add(name);
      }
    }
    return owned;
  }

  /** Creates a resource marked as owned by this environment (the mark first, or atomically). */
  protected abstract void create(String name);

  /** Marks an existing unowned resource as owned by this environment (adoption). */
  protected abstract void adopt(String name);

  /** How much data a resource holds (objects, tables); 0 when it can go without loss. */
  protected abstract long dataCount(String name);

  /** Deletes a resource this environment owns, with its data, and its ownership mark. */
  protected abstract void delete(String name);

  /**
   * How an existing resource this environment owns (or is adopting) differs from its
   * declaration (settings such as a topic's configs), for the plan; empty when it is as declared
   * (the default: a resource has no settings beyond its name). When present, apply calls {@link
   * #update} (after marking an adopted one) and reports UPDATE.
   */
  protected Optional<String> drift(String name) {
    return Optional.empty();
  }

  /** Makes an owned resource's settings as declared; called when {@link #drift} is present. */
  protected void update(String name) {
    throw new UnsupportedOperationException(getClass().getName()
        + " reports drift and must override update");
  }

  /** The unit of {@link #dataCount}, for messages: {@code objects}, {@code tables}. */
  protected String dataUnit() {
    return "objects";
  }

  /** Where a new resource goes, for the plan: a folder, an endpoint. */
  protected String describeCreate(String name) {
    return "";
  }

  protected final String environment() {
    return environment;
  }

  @Override
  public List<Change> plan() {
    return reconcile(false);
  }

  @Override
  public List<Change> apply() {
    return reconcile(true);
  }

  private List<Change> reconcile(boolean act) {
    List<Change> changes = new ArrayList<>();
    Set<String> declaredNames = new LinkedHashSet<>();
    for (DeclaredResource d : declared) {
      declaredNames.add(d.name());
      String name = d.name();
      if (!exists(name)) {
        if (act) {
          create(name);
        }
        changes.add(change(name, Change.Action.CREATE, describeCreate(name)));
        continue;
      }
      Optional<String> owner = owner(name);
      if (owner.isPresent() && owner.get().equals(environment)) {
        Optional<String> drift = drift(name);
        if (drift.isPresent()) {
          if (act) {
            update(name);
          }
          changes.add(change(name, Change.Action.UPDATE, drift.get()));
        } else {
          changes.add(change(name, Change.Action.NONE, "exists"));
        }
      } else if (owner.isPresent()) {
        changes.add(change(name, Change.Action.NONE, "exists, owned by environment '"
            + owner.get() + "': left alone"));
      } else if (d.adopt()) {
        Optional<String> drift = drift(name);
        if (act) {
          adopt(name);
          if (drift.isPresent()) {
            update(name);
          }
        }
        changes.add(change(name, Change.Action.UPDATE, "adopt: exists unmanaged, mark it as"
            + " managed by edx for environment '" + environment + "'"
            + drift.map(x -> "; " + x).orElse("")));
      } else {
        changes.add(change(name, Change.Action.NONE, "exists, not managed by edx: left alone"
            + " (declare it with adopt: true to manage it)"));
      }
    }
    for (String name : ownedByThisEnvironment()) {
      if (declaredNames.contains(name)) {
        continue;
      }
      long data = dataCount(name);
      if (data > 0) {
        changes.add(change(name, Change.Action.RETAIN, "no longer in the spec, but holds " + data
            + " " + dataUnit() + ": kept; empty it or destroy with purge"));
      } else {
        if (act) {
          delete(name);
        }
        changes.add(change(name, Change.Action.DELETE, "no longer in the spec, and empty"));
      }
    }
    return List.copyOf(changes);
  }

  @Override
  public List<Change> destroy(DataPolicy policy) {
    return teardown(policy, true);
  }

  @Override
  public List<Change> planDestroy(DataPolicy policy) {
    return teardown(policy, false);
  }

  /** Destroy's decisions, made once for both: {@code execute} deletes, otherwise only plans. */
  private List<Change> teardown(DataPolicy policy, boolean execute) {
    requireNonNull(policy, "policy is null");
    List<Change> changes = new ArrayList<>();
    Set<String> owned = new LinkedHashSet<>();
    for (DeclaredResource d : declared) {
      owned.add(d.name());
    }
    Set<String> ownedNow = ownedByThisEnvironment();
    owned.addAll(ownedNow);
    for (String name : owned) {
      if (!ownedNow.contains(name)) {
        changes.add(change(name, Change.Action.NONE, exists(name)
            ? "not owned by environment '" + environment + "': left alone" : "does not exist"));
        continue;
      }
      long data = dataCount(name);
      if (data > 0 && policy == DataPolicy.RETAIN) {
        changes.add(change(name, Change.Action.RETAIN, "kept: holds " + data + " " + dataUnit()
            + " (destroy with purge to delete them)"));
      } else {
        if (execute) {
          delete(name);
        }
        changes.add(change(name, Change.Action.DELETE, data > 0
            ? (execute ? "purged with its " : "would purge it with its ") + data + " "
                + dataUnit()
            : (execute ? "was empty" : "is empty")));
      }
    }
    return List.copyOf(changes);
  }

  private Change change(String name, Change.Action action, String detail) {
    return new Change(service, kind + " " + name, action, detail);
  }
}
