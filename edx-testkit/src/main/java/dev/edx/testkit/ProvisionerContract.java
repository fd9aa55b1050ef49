package dev.edx.testkit;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.Provisioner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ownership rules every {@link Provisioner} keeps, stated once:
 *
 * <ul>
 *   <li>apply from nothing creates what is declared; a second apply reports only {@code NONE}
 *       (and {@code RETAIN}) changes, and so does the plan after it;
 *   <li>a resource edx does not own (made behind its back, or by another environment) is never
 *       adopted, changed or deleted, unless declared with {@code adopt: true} and unowned, in
 *       which case apply takes it over;
 *   <li>a declared resource deleted behind edx's back plans as {@code CREATE} and apply makes it
 *       again;
 *   <li>a resource dropped from the spec is deleted when empty and kept ({@code RETAIN}) when it
 *       holds data;
 *   <li>destroy under {@link DataPolicy#RETAIN} keeps resources holding data and removes empty
 *       ones; under {@link DataPolicy#PURGE} it removes everything this environment owns and
 *       nothing else;
 *   <li>planDestroy reports, resource by resource, the changes destroy then makes, and changes
 *       nothing itself;
 *   <li>an interrupted apply (stopped inside a create, or between two resources) is completed by
 *       the next apply.
 * </ul>
 *
 * <p>A provider's test extends it and supplies the provisioner under test, built from a spec
 * through its provider's {@code create(ServiceSpec, ProviderContext)}, and a few primitives that
 * reach the backend behind edx's back ({@link #createUnowned}, {@link #putData}, {@link
 * #deleteBehindBack}...). It overrides {@link #supports} for the {@code PROVISION_*} capabilities
 * where the provider differs from {@link EdxCapability}'s defaults. It uses nothing of how
 * provisioning is implemented.
 *
 * <p>Resources are named {@code edxp<random6><sep><n>}, one random part per run, so leftovers of
 * an interrupted run can be found; each test deletes the resources it named.
 */
public abstract class ProvisionerContract {

  /** The environment under test: what it creates is marked with this name. */
  protected static final String ENVIRONMENT = "edx-contract";
  /** Another environment on the same backend. */
  protected static final String OTHER_ENVIRONMENT = "edx-contract-other";
  /** The prefix of every resource name this run uses. */
  protected static final String RUN_PREFIX = "edxp" + randomSuffix();

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final List<String> named = new ArrayList<>();
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** A resource a spec declares: its name, and whether edx may take it over. */
  public record Declared(String name, boolean adopt) {
    public Declared {
      requireNonNull(name, "name is null");
    }

    /** How a spec writes it: the bare name, or {@code {name, adopt: true}}. */
    public Object specValue() {
      return adopt ? Map.of("name", name, "adopt", true) : name;
    }

    /**
     * How a spec writes it as a map of more keys: {@code keys} (in their natural order), with
     * {@code adopt: true} added when it adopts.
     */
    public Map<String, Object> specValue(Map<String, ?> keys) {
      Map<String, Object> entry = new TreeMap<>(keys);
      if (adopt) {
        entry.put("adopt", true);
      }
      return entry;
    }
  }

  // ------------------------------------------------------------------------------ primitives

  /**
   * The provisioner of environment {@code environment} whose spec declares {@code declared},
   * built from a spec through the provider's {@code create}. A new one for each call; if it is
   * {@link AutoCloseable} the contract closes it after the test. Without {@link
   * EdxCapability#PROVISION_RESOURCE_LIST}, {@code declared} holds exactly one resource.
   */
  protected abstract Provisioner provisioner(String environment, List<Declared> declared);

  /** What the resources are, as {@link Change#resource()} names them: {@code bucket}. */
  protected abstract String kind();

  /** Creates a resource behind edx's back, as a person or another tool would: no owner mark. */
  protected abstract void createUnowned(String name);

  /** Puts data into an existing resource (an object, a table, a secret's key, a ConfigMap). */
  protected abstract void putData(String name);

  /** Whether a resource holds the data {@link #putData} put. */
  protected abstract boolean holdsData(String name);

  /** Deletes a resource with its data behind edx's back, whoever owns it. */
  protected abstract void deleteBehindBack(String name);

  /** Whether the resource exists, read from the backend. */
  protected abstract boolean exists(String name);

  /** The environment the resource's ownership mark names, read from the backend; empty if none. */
  protected abstract Optional<String> owner(String name);

  /**
   * Leaves {@code name} as an apply of {@code environment} killed inside its creation would:
   * marked as owned but not fully created (with {@link
   * EdxCapability#PROVISION_MARKS_BEFORE_CREATE}), or created but not yet marked (without it).
   * Only called with {@link EdxCapability#PROVISION_MULTI_STEP_CREATE}.
   */
  protected void interruptCreate(String environment, String name) {
    throw new UnsupportedOperationException(getClass().getName()
        + " declares PROVISION_MULTI_STEP_CREATE and must override interruptCreate");
  }

  /** The character between the parts of a name: {@code -}, or {@code _} for databases. */
  protected char separator() {
    return '-';
  }

  /** Whether the provider has a capability; by default {@link EdxCapability#defaultSupported()}. */
  protected boolean supports(EdxCapability capability) {
    return capability.defaultSupported();
  }

  /** How long {@link #awaitConsistent} retries: raise it for eventually consistent stores. */
  protected Duration consistencyTimeout() {
    return Duration.ofSeconds(5);
  }

  /** Retries an assertion until it passes or {@link #consistencyTimeout()} is over. */
  protected void awaitConsistent(Runnable assertion) {
    Consistency.awaitConsistent(consistencyTimeout(), assertion);
  }

  /** A fresh resource name of this run; the contract deletes it after the test. */
  protected String newName() {
    String name = RUN_PREFIX + separator() + COUNTER.incrementAndGet();
    named.add(name);
    return name;
  }

  @AfterEach
  void deleteThisTestsResources() {
    for (String name : named) {
      try {
        if (exists(name)) {
          deleteBehindBack(name);
        }
      } catch (RuntimeException e) {
        System.err.println("Cannot clean up " + kind() + " " + name + ": " + e);
      }
    }
    named.clear();
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        System.err.println("Cannot close " + opened.get(i) + ": " + e);
      }
    }
    opened.clear();
  }

  // ------------------------------------------------------------------------------ helpers

  private static Declared declared(String name) {
    return new Declared(name, false);
  }

  private static Declared adopting(String name) {
    return new Declared(name, true);
  }

  /**
   * The provisioners of one spec: one for all resources, or, without {@link
   * EdxCapability#PROVISION_RESOURCE_LIST}, one per resource (each declaring one).
   */
  private Spec spec(String environment, Declared... declared) {
    List<Provisioner> provisioners = new ArrayList<>();
    if (supports(EdxCapability.PROVISION_RESOURCE_LIST)) {
      provisioners.add(open(environment, List.of(declared)));
    } else {
      for (Declared d : declared) {
        provisioners.add(open(environment, List.of(d)));
      }
    }
    return new Spec(provisioners);
  }

  private Provisioner open(String environment, List<Declared> declared) {
    Provisioner provisioner = provisioner(environment, declared);
    if (provisioner instanceof AutoCloseable closeable) {
      opened.add(closeable);
    }
    return provisioner;
  }

  /** One spec's provisioners, whose changes are concatenated. */
  private static final class Spec {
    private final List<Provisioner> provisioners;

    Spec(List<Provisioner> provisioners) {
      this.provisioners = provisioners;
    }

    List<Change> plan() {
      return all(Provisioner::plan);
    }

    List<Change> apply() {
      return all(Provisioner::apply);
    }

    List<Change> destroy(DataPolicy policy) {
      return all(p -> p.destroy(policy));
    }

    List<Change> planDestroy(DataPolicy policy) {
      return all(p -> p.planDestroy(policy));
    }

    private List<Change> all(Function<Provisioner, List<Change>> call) {
      List<Change> changes = new ArrayList<>();
      provisioners.forEach(p -> changes.addAll(call.apply(p)));
      return changes;
    }
  }

  /** The one change about resource {@code name} itself. */
  private Change changeOf(List<Change> changes, String name) {
    String resource = kind() + " " + name;
    List<Change> about = changes.stream().filter(c -> c.resource().equals(resource)).toList();
    assertThat(about).as("the changes about %s in %s", resource, changes).hasSize(1);
    return about.get(0);
  }

  private void assertAction(List<Change> changes, String name, Action action) {
    assertThat(changeOf(changes, name).action()).as("the change of %s %s in %s", kind(), name,
        changes).isEqualTo(action);
  }

  private void assertNotMentioned(List<Change> changes, String name) {
    assertThat(changes).as("changes of a spec that does not declare %s", name)
        .noneMatch(c -> c.resource().equals(kind() + " " + name));
  }

  /** Only NONE and RETAIN: they are not changes. */
  private static void assertNoChanges(List<Change> changes, String when) {
    assertThat(changes).as(when).extracting(Change::action)
        .isSubsetOf(Action.NONE, Action.RETAIN);
  }

  private void assertExists(String name, boolean expected) {
    awaitConsistent(() -> assertThat(exists(name)).as("%s %s exists", kind(), name)
        .isEqualTo(expected));
  }

  private void assertOwner(String name, Optional<String> expected) {
    awaitConsistent(() -> assertThat(owner(name)).as("the owner of %s %s", kind(), name)
        .isEqualTo(expected));
  }

  private void assertHoldsData(String name) {
    awaitConsistent(() -> assertThat(holdsData(name)).as("%s %s still holds its data", kind(),
        name).isTrue());
  }

  // ------------------------------------------------------------------------------ apply

  @Test
  public void applyFromNothingCreatesWhatIsDeclaredAndASecondApplyChangesNothing() {
    String a = newName();
    String b = newName();
    Spec spec = spec(ENVIRONMENT, declared(a), declared(b));

    List<Change> planned = spec.plan();
    assertAction(planned, a, Action.CREATE);
    assertAction(planned, b, Action.CREATE);
    assertThat(planned.indexOf(changeOf(planned, a)))
        .as("changes come in the order the spec declares the resources")
        .isLessThan(planned.indexOf(changeOf(planned, b)));
    assertThat(exists(a)).as("plan changes nothing").isFalse();

    List<Change> applied = spec.apply();
    assertAction(applied, a, Action.CREATE);
    assertAction(applied, b, Action.CREATE);
    assertThat(applied.indexOf(changeOf(applied, a))).as("apply goes in the spec's order")
        .isLessThan(applied.indexOf(changeOf(applied, b)));
    assertExists(a, true);
    assertExists(b, true);
    assertOwner(a, Optional.of(ENVIRONMENT));
    assertOwner(b, Optional.of(ENVIRONMENT));

    List<Change> again = spec.apply();
    assertNoChanges(again, "a second apply");
    assertAction(again, a, Action.NONE);
    assertNoChanges(spec.plan(), "the plan after it");
    assertNoChanges(spec(ENVIRONMENT, declared(a), declared(b)).plan(),
        "the plan of the same spec opened again");
  }

  // ------------------------------------------------------------------------------ ownership

  @Test
  public void anUnownedResourceIsNeverAdoptedChangedOrDeleted() {
    String theirs = newName();
    createUnowned(theirs);
    putData(theirs);
    assertExists(theirs, true);
    Spec spec = spec(ENVIRONMENT, declared(theirs));

    Change planned = changeOf(spec.plan(), theirs);
    assertThat(planned.action()).isEqualTo(Action.NONE);
    assertThat(planned.detail()).contains("not managed by edx").contains("adopt: true");
    assertAction(spec.apply(), theirs, Action.NONE);
    assertOwner(theirs, Optional.empty());
    assertNoChanges(spec.apply(), "a second apply");

    assertAction(spec.destroy(DataPolicy.RETAIN), theirs, Action.NONE);
    assertAction(spec.destroy(DataPolicy.PURGE), theirs, Action.NONE);
    assertExists(theirs, true);
    assertHoldsData(theirs);
    assertOwner(theirs, Optional.empty());
  }

  @Test
  public void anUnownedResourceDeclaredWithAdoptIsTakenOverByApply() {
    String theirs = newName();
    createUnowned(theirs);
    putData(theirs);
    Spec spec = spec(ENVIRONMENT, adopting(theirs));

    Change planned = changeOf(spec.plan(), theirs);
    assertThat(planned.action()).isEqualTo(Action.UPDATE);
    assertThat(planned.detail()).startsWith("adopt");
    assertOwner(theirs, Optional.empty());

    assertAction(spec.apply(), theirs, Action.UPDATE);
    assertOwner(theirs, Optional.of(ENVIRONMENT));
    assertHoldsData(theirs);
    assertNoChanges(spec.apply(), "a second apply");
    assertNoChanges(spec(ENVIRONMENT, declared(theirs)).plan(),
        "the plan once adopted, without adopt");

    assertAction(spec.destroy(DataPolicy.RETAIN), theirs, Action.RETAIN);
    assertHoldsData(theirs);
    assertAction(spec.destroy(DataPolicy.PURGE), theirs, Action.DELETE);
    assertExists(theirs, false);
  }

  @Test
  public void anotherEnvironmentsResourcesAreLeftAloneEvenWhenAdopting() {
    String shared = newName();
    String onlyTheirs = newName();
    Spec other = spec(OTHER_ENVIRONMENT, declared(shared), declared(onlyTheirs));
    other.apply();
    putData(shared);
    Spec mine = spec(ENVIRONMENT, adopting(shared));

    Change planned = changeOf(mine.plan(), shared);
    assertThat(planned.action()).isEqualTo(Action.NONE);
    assertThat(planned.detail()).contains("owned by environment '" + OTHER_ENVIRONMENT + "'");
    List<Change> applied = mine.apply();
    assertAction(applied, shared, Action.NONE);
    assertNotMentioned(applied, onlyTheirs);
    assertOwner(shared, Optional.of(OTHER_ENVIRONMENT));

    List<Change> purged = mine.destroy(DataPolicy.PURGE);
    assertAction(purged, shared, Action.NONE);
    assertNotMentioned(purged, onlyTheirs);
    assertExists(shared, true);
    assertHoldsData(shared);
    assertExists(onlyTheirs, true);
    assertOwner(shared, Optional.of(OTHER_ENVIRONMENT));
    assertOwner(onlyTheirs, Optional.of(OTHER_ENVIRONMENT));
    assertNoChanges(other.plan(), "the other environment's plan");
    List<Change> theirPurge = other.destroy(DataPolicy.PURGE);
    assertAction(theirPurge, shared, Action.DELETE);
    assertAction(theirPurge, onlyTheirs, Action.DELETE);
    assertExists(shared, false);
    assertExists(onlyTheirs, false);
  }

  // ------------------------------------------------------------------------------ drift

  @Test
  public void aDeclaredResourceDeletedBehindEdxsBackIsPlannedAsCreateAndMadeAgain() {
    String a = newName();
    Spec spec = spec(ENVIRONMENT, declared(a));
    spec.apply();
    deleteBehindBack(a);
    assertExists(a, false);

    awaitConsistent(() -> assertAction(spec.plan(), a, Action.CREATE));
    assertAction(spec.apply(), a, Action.CREATE);
    assertExists(a, true);
    assertOwner(a, Optional.of(ENVIRONMENT));
    assertNoChanges(spec.apply(), "a second apply");
  }

  // ------------------------------------------------------------------------------ removal

  @Test
  public void aResourceDroppedFromTheSpecIsDeletedWhenEmptyAndKeptWithData() {
    String kept = newName();
    String empty = newName();
    String full = newName();
    if (!supports(EdxCapability.PROVISION_RESOURCE_LIST)) {
      // Documented: the provisioner knows only the resource its spec declares.
      spec(ENVIRONMENT, declared(empty)).apply();
      Spec after = spec(ENVIRONMENT, declared(kept));
      assertNotMentioned(after.plan(), empty);
      assertNotMentioned(after.apply(), empty);
      assertExists(empty, true);
      assertOwner(empty, Optional.of(ENVIRONMENT));
      return;
    }
    spec(ENVIRONMENT, declared(kept), declared(empty), declared(full)).apply();
    putData(full);
    Spec after = spec(ENVIRONMENT, declared(kept));

    List<Change> planned = after.plan();
    assertAction(planned, kept, Action.NONE);
    assertAction(planned, empty, Action.DELETE);
    assertAction(planned, full, Action.RETAIN);
    assertThat(exists(empty)).as("plan changes nothing").isTrue();

    List<Change> applied = after.apply();
    assertAction(applied, empty, Action.DELETE);
    assertAction(applied, full, Action.RETAIN);
    assertExists(empty, false);
    assertExists(full, true);
    assertHoldsData(full);
    assertOwner(full, Optional.of(ENVIRONMENT));
    List<Change> again = after.apply();
    assertNoChanges(again, "RETAIN is not a change: the next apply");
    assertAction(again, full, Action.RETAIN);
    assertNotMentioned(again, empty);
  }

  // ------------------------------------------------------------------------------ destroy

  @Test
  public void destroyUnderRetainKeepsResourcesHoldingDataAndRemovesEmptyOnes() {
    String empty = newName();
    String full = newName();
    Spec spec = spec(ENVIRONMENT, declared(empty), declared(full));
    spec.apply();
    putData(full);

    List<Change> destroyed = spec.destroy(DataPolicy.RETAIN);
    assertAction(destroyed, empty, Action.DELETE);
    assertAction(destroyed, full, Action.RETAIN);
    assertExists(empty, false);
    assertExists(full, true);
    assertHoldsData(full);
    assertOwner(full, Optional.of(ENVIRONMENT));

    List<Change> again = spec.destroy(DataPolicy.RETAIN);
    assertAction(again, empty, Action.NONE);
    assertAction(again, full, Action.RETAIN);
    assertHoldsData(full);
  }

  @Test
  public void destroyUnderPurgeRemovesEverythingThisEnvironmentOwnsAndNothingElse() {
    String empty = newName();
    String full = newName();
    String unowned = newName();
    String others = newName();
    String dropped = newName();
    createUnowned(unowned);
    putData(unowned);
    spec(OTHER_ENVIRONMENT, declared(others)).apply();
    putData(others);
    boolean list = supports(EdxCapability.PROVISION_RESOURCE_LIST);
    if (list) {
      // Owned, no longer declared, kept for its data: still this environment's to purge.
      spec(ENVIRONMENT, declared(dropped)).apply();
      putData(dropped);
    }
    Spec spec = spec(ENVIRONMENT, declared(empty), declared(full), declared(unowned),
        adopting(others));
    spec.apply();
    putData(full);

    List<Change> purged = spec.destroy(DataPolicy.PURGE);
    assertAction(purged, empty, Action.DELETE);
    assertAction(purged, full, Action.DELETE);
    assertAction(purged, unowned, Action.NONE);
    assertAction(purged, others, Action.NONE);
    assertExists(empty, false);
    assertExists(full, false);
    if (list) {
      assertAction(purged, dropped, Action.DELETE);
      assertExists(dropped, false);
    }
    assertExists(unowned, true);
    assertHoldsData(unowned);
    assertOwner(unowned, Optional.empty());
    assertExists(others, true);
    assertHoldsData(others);
    assertOwner(others, Optional.of(OTHER_ENVIRONMENT));

    List<Change> again = spec.destroy(DataPolicy.PURGE);
    assertNoChanges(again, "a second purge");
    assertAction(again, empty, Action.NONE);
    assertAction(again, full, Action.NONE);
  }

  @Test
  public void planDestroyShowsExactlyWhatDestroyThenDoesAndChangesNothing() {
    for (DataPolicy policy : List.of(DataPolicy.RETAIN, DataPolicy.PURGE)) {
      String empty = newName();
      String full = newName();
      String unowned = newName();
      createUnowned(unowned);
      putData(unowned);
      Spec spec = spec(ENVIRONMENT, declared(empty), declared(full), declared(unowned));
      spec.apply();
      putData(full);
      assertExists(empty, true);

      List<Change> planned = spec.planDestroy(policy);
      assertAction(planned, empty, Action.DELETE);
      assertAction(planned, full, policy == DataPolicy.RETAIN ? Action.RETAIN : Action.DELETE);
      assertAction(planned, unowned, Action.NONE);
      assertThat(exists(empty)).as("planDestroy(%s) changes nothing", policy).isTrue();
      assertThat(exists(full)).as("planDestroy(%s) changes nothing", policy).isTrue();
      assertHoldsData(full);
      assertOwner(full, Optional.of(ENVIRONMENT));

      List<Change> destroyed = spec.destroy(policy);
      assertThat(actionsAndResources(destroyed))
          .as("destroy(%s) does what planDestroy(%s) showed: %s", policy, policy, planned)
          .containsExactlyElementsOf(actionsAndResources(planned));
      assertExists(empty, false);
      assertExists(full, policy == DataPolicy.RETAIN);
      assertExists(unowned, true);
      assertHoldsData(unowned);
    }
  }

  private static List<String> actionsAndResources(List<Change> changes) {
    return changes.stream().map(c -> c.action() + " " + c.service() + " " + c.resource())
        .toList();
  }

  // ------------------------------------------------------------------------------ interruption

  @Test
  public void anApplyStoppedBetweenTwoResourcesIsCompletedByTheNextApply() {
    String first = newName();
    String second = newName();
    // The provisioner keeps no state: an apply of [first, second] stopped after the first
    // resource leaves what an apply of [first] leaves.
    spec(ENVIRONMENT, declared(first)).apply();
    Spec spec = spec(ENVIRONMENT, declared(first), declared(second));

    List<Change> planned = spec.plan();
    assertAction(planned, first, Action.NONE);
    assertAction(planned, second, Action.CREATE);
    List<Change> applied = spec.apply();
    assertAction(applied, first, Action.NONE);
    assertAction(applied, second, Action.CREATE);
    assertExists(second, true);
    assertOwner(second, Optional.of(ENVIRONMENT));
    assertNoChanges(spec.apply(), "the apply after the completing one");
  }

  @Test
  public void anApplyStoppedInsideACreateIsCompletedOrLeftAloneAsDocumented() {
    assumeTrue(supports(EdxCapability.PROVISION_MULTI_STEP_CREATE));
    String half = newName();
    interruptCreate(ENVIRONMENT, half);
    Spec spec = spec(ENVIRONMENT, declared(half));

    if (!supports(EdxCapability.PROVISION_MARKS_BEFORE_CREATE)) {
      // Documented: created before it could be marked, it is not known to be edx's.
      assertOwner(half, Optional.empty());
      Change planned = changeOf(spec.plan(), half);
      assertThat(planned.action()).isEqualTo(Action.NONE);
      assertThat(planned.detail()).contains("not managed by edx").contains("adopt: true");
      assertAction(spec.apply(), half, Action.NONE);
      assertOwner(half, Optional.empty());
      Spec adopting = spec(ENVIRONMENT, adopting(half));
      assertAction(adopting.apply(), half, Action.UPDATE);
      assertOwner(half, Optional.of(ENVIRONMENT));
      assertNoChanges(adopting.apply(), "the apply after the adoption");
      return;
    }
    assertOwner(half, Optional.of(ENVIRONMENT));
    List<Change> planned = spec.plan();
    assertThat(planned).as("the plan of a half-created resource").extracting(Change::action)
        .contains(Action.CREATE);
    List<Change> applied = spec.apply();
    assertThat(changeOf(applied, half).action()).isIn(Action.CREATE, Action.NONE);
    assertExists(half, true);
    assertOwner(half, Optional.of(ENVIRONMENT));
    assertNoChanges(spec.apply(), "the apply after the completing one");
    assertAction(spec.destroy(DataPolicy.RETAIN), half, Action.DELETE);
    assertExists(half, false);
  }

  // ------------------------------------------------------------------------------ naming

  private static String randomSuffix() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
