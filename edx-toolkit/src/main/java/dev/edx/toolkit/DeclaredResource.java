package dev.edx.toolkit;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.ServiceSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A resource a spec declares for a provisioner: written {@code gha-raw}, or {@code {name: gha-raw,
 * adopt: true}} to take over one that exists but edx did not create.
 *
 * @param name the resource's name
 * @param adopt whether edx may take over an existing resource it does not own
 */
public record DeclaredResource(String name, boolean adopt) {
  private static final Set<String> KEYS = Set.of("name", "adopt");

  public DeclaredResource {
    requireNonNull(name, "name is null");
  }

  /**
   * Reads a list of declared resources from a spec key, checking each name with {@code validate}
   * (which throws {@link IllegalArgumentException} stating the rule). Errors name the entry and
   * its line. An absent key is an empty list.
   *
   * @param kind what the entries are, for messages: {@code bucket}, {@code database}
   */
  public static List<DeclaredResource> parseList(ServiceSpec spec, String key, String kind,
      Consumer<String> validate) {
    Object raw = spec.get(key).orElse(List.of());
    if (!(raw instanceof List<?> list)) {
      throw spec.error(key, "must be a list of " + kind + " names or {name, adopt} maps");
    }
    List<DeclaredResource> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = key + "[" + i + "]";
      Object item = list.get(i);
      DeclaredResource declared;
      if (item instanceof String name) {
        declared = new DeclaredResource(name, false);
      } else if (item instanceof Map<?, ?> map) {
        for (Object k : map.keySet()) {
          if (!KEYS.contains(k.toString())) {
            throw spec.error(path + "." + k, "unknown key; a " + kind + " entry takes " + KEYS);
          }
        }
        if (!(map.get("name") instanceof String name)) {
          throw spec.error(path + ".name", "is required: the " + kind + "'s name");
        }
        Object adopt = map.get("adopt");
        if (adopt != null && !(adopt instanceof Boolean)) {
          throw spec.error(path + ".adopt", "must be true or false");
        }
        declared = new DeclaredResource(name, Boolean.TRUE.equals(adopt));
      } else {
        throw spec.error(path, "must be a " + kind + " name or a {name, adopt} map");
      }
      try {
        validate.accept(declared.name());
      } catch (IllegalArgumentException e) {
        throw spec.error(path, e.getMessage(), e);
      }
      if (!seen.add(declared.name())) {
        throw spec.error(path, kind + " '" + declared.name() + "' is listed twice");
      }
      result.add(declared);
    }
    return List.copyOf(result);
  }
}
