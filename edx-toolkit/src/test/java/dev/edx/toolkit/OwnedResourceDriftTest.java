package dev.edx.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An owned resource whose settings differ from the spec plans as UPDATE and apply makes it as
 * declared; an unowned one is never updated. Resources here are entries of a map (name to owner
 * and setting), the smallest backend that has settings.
 */
class OwnedResourceDriftTest {
  private final Map<String, String[]> backend = new TreeMap<>();

  /** Declares every resource with setting {@code wanted}. */
  private OwnedResourceProvisioner provisioner(String wanted, String... names) {
    List<DeclaredResource> declared =
        java.util.Arrays.stream(names).map(n -> new DeclaredResource(n, false)).toList();
    return new OwnedResourceProvisioner("datastores.test", "topic", "dev", declared) {
      @Override
      protected boolean exists(String name) {
        return backend.containsKey(name);
      }

      @Override
      protected Optional<String> owner(String name) {
        return Optional.ofNullable(backend.get(name)).map(r -> r[0]).filter(o -> !o.isEmpty());
      }

      @Override
      protected Collection<String> existing() {
        return backend.keySet();
      }

      @Override
      protected void create(String name) {
        backend.put(name, new String[] {"dev", wanted});
      }

      @Override
      protected void adopt(String name) {
        backend.get(name)[0] = "dev";
      }

      @Override
      protected long dataCount(String name) {
        return 0;
      }

      @Override
      protected void delete(String name) {
        backend.remove(name);
      }

      @Override
      protected Optional<String> drift(String name) {
        String actual = backend.get(name)[1];
        return actual.equals(wanted) ? Optional.empty()
            : Optional.of("update: retention " + actual + " -> " + wanted);
      }

      @Override
      protected void update(String name) {
        backend.get(name)[1] = wanted;
      }
    };
  }

  @Test
  void anOwnedResourceThatDriftedPlansAsUpdateAndApplyFixesIt() {
    provisioner("7d", "a", "b").apply();
    backend.put("theirs", new String[] {"", "1d"});

    OwnedResourceProvisioner changed = provisioner("1d", "a", "b", "theirs");
    assertThat(changed.plan()).extracting(Change::resource, Change::action, Change::detail)
        .containsExactly(tuple("topic a", Action.UPDATE, "update: retention 7d -> 1d"),
            tuple("topic b", Action.UPDATE, "update: retention 7d -> 1d"),
            tuple("topic theirs", Action.NONE,
                "exists, not managed by edx: left alone (declare it with adopt: true to manage"
                    + " it)"));
    assertThat(backend.get("a")[1]).as("plan changes nothing").isEqualTo("7d");

    assertThat(changed.apply()).extracting(Change::action)
        .containsExactly(Action.UPDATE, Action.UPDATE, Action.NONE);
    assertThat(backend.get("a")[1]).isEqualTo("1d");
    assertThat(changed.apply()).extracting(Change::action).containsOnly(Action.NONE);

    backend.put("theirs", new String[] {"", "9d"});
    changed.apply();
    assertThat(backend.get("theirs")[1]).as("an unowned resource is never updated")
        .isEqualTo("9d");
  }
}
