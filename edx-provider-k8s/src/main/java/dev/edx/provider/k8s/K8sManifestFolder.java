package dev.edx.provider.k8s;

import static dev.edx.provider.k8s.K8sProperties.ENVIRONMENT_LABEL;
import static dev.edx.provider.k8s.K8sProperties.MANAGED_BY;
import static dev.edx.provider.k8s.K8sProperties.MANAGED_BY_VALUE;
import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisioning into a folder of YAML manifests instead of the cluster, for GitOps (an ArgoCD
 * Application points at the folder and applies it). One file per object, named {@code
 * <order>-<kind>-<name>.yaml} with a fixed order per kind (so adding a quota renames nothing),
 * holding the object exactly as {@link K8sProvisioning} would create it. Package-private: not
 * public API.
 *
 * <p>Plan: a missing file is {@code CREATE}, a file whose content differs {@code UPDATE}, an
 * edx file of this environment the spec no longer declares (a dropped {@code quota}) {@code
 * DELETE}. A file labelled for another environment is left alone. Destroy deletes this
 * environment's files; what they created in the cluster is then the GitOps tool's to prune.
 */
final class K8sManifestFolder {
  private static final Logger LOG = LoggerFactory.getLogger(K8sManifestFolder.class);
  private static final String SERVICE = "compute";
  private static final Map<String, String> ORDER = Map.of("Namespace", "00",
      "ResourceQuota", "10", "LimitRange", "11", "ServiceAccount", "20", "Role", "30",
      "RoleBinding", "40");
  private static final Pattern EDX_FILE = Pattern.compile(
      "[0-9]{2}-(namespace|resourcequota|limitrange|serviceaccount|role|rolebinding)-.+\\.yaml");

  private final Path folder;
  private final String environment;

  K8sManifestFolder(Path folder, String environment) {
    this.folder = requireNonNull(folder, "folder is null");
    this.environment = requireNonNull(environment, "environment is null");
  }

  /** The file an object goes to: {@code 30-role-edx-runner.yaml}. */
  static String fileName(HasMetadata object) {
    String order = ORDER.get(object.getKind());
    if (order == null) {
      throw new IllegalArgumentException("unexpected object " + object.getKind());
    }
    return order + "-" + object.getKind().toLowerCase(Locale.ROOT) + "-"
        + object.getMetadata().getName() + ".yaml";
  }

  /** File names to contents, in creation order. */
  static Map<String, String> files(List<HasMetadata> objects) {
    Map<String, String> files = new LinkedHashMap<>();
    for (HasMetadata object : objects) {
      files.put(fileName(object), Serialization.asYaml(object));
    }
    return files;
  }

  List<Change> plan(List<HasMetadata> desired) {
    Map<String, String> files = files(desired);
    List<Change> changes = new ArrayList<>();
    for (Map.Entry<String, String> e : files.entrySet()) {
      changes.add(planOne(e.getKey(), e.getValue()));
    }
    for (String stale : stale(files)) {
      changes.add(new Change(SERVICE, resource(stale), Action.DELETE, "no longer in the spec"));
    }
    return List.copyOf(changes);
  }

  private Change planOne(String name, String content) {
    Path file = folder.resolve(name);
    if (!Files.isRegularFile(file)) {
      return new Change(SERVICE, resource(name), Action.CREATE, "");
    }
    String existing = read(file);
    if (existing.equals(content)) {
      return new Change(SERVICE, resource(name), Action.NONE, "");
    }
    String owner = owner(existing);
    if (owner != null && !owner.equals(environment)) {
      return new Change(SERVICE, resource(name), Action.NONE,
          "exists, owned by environment '" + owner + "': left alone");
    }
    return new Change(SERVICE, resource(name), Action.UPDATE, "content differs");
  }

  List<Change> apply(List<HasMetadata> desired) {
    Map<String, String> files = files(desired);
    List<Change> changes = plan(desired);
    try {
      Files.createDirectories(folder);
      for (Change c : changes) {
        String name = c.resource().substring(c.resource().indexOf(' ') + 1);
        switch (c.action()) {
          case CREATE, UPDATE -> write(folder.resolve(name), files.get(name));
          case DELETE -> Files.delete(folder.resolve(name));
          default -> { }
        }
        if (c.action() != Action.NONE) {
          LOG.info("Manifests: {}", c);
        }
      }
    } catch (IOException e) {
      throw new ProviderException("Cannot write the manifests to " + folder + ": " + e, e);
    }
    return changes;
  }

  List<Change> destroy(List<HasMetadata> desired) {
    return teardown(desired, true);
  }

  /** The changes {@link #destroy} would make, without making them. */
  List<Change> planDestroy(List<HasMetadata> desired) {
    return teardown(desired, false);
  }

  private List<Change> teardown(List<HasMetadata> desired, boolean execute) {
    Map<String, String> files = files(desired);
    List<String> names = new ArrayList<>(files.keySet());
    names.addAll(stale(files));
    Collections.reverse(names);
    List<Change> changes = new ArrayList<>();
    try {
      for (String name : names) {
        Path file = folder.resolve(name);
        if (!Files.isRegularFile(file)) {
          changes.add(new Change(SERVICE, resource(name), Action.NONE, "absent"));
          continue;
        }
        String owner = owner(read(file));
        if (owner != null && !owner.equals(environment)) {
          changes.add(new Change(SERVICE, resource(name), Action.NONE,
              "owned by environment '" + owner + "': left alone"));
          continue;
        }
        if (execute) {
          Files.delete(file);
        }
        changes.add(new Change(SERVICE, resource(name), Action.DELETE, ""));
      }
    } catch (IOException e) {
      throw new ProviderException("Cannot delete the manifests in " + folder + ": " + e, e);
    }
    if (execute) {
      changes.forEach(c -> LOG.info("Destroy: {}", c));
    }
    return List.copyOf(changes);
  }

  /** edx files of this environment in the folder that are not desired. */
  private List<String> stale(Map<String, String> desired) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(folder)) {
      return list.map(p -> p.getFileName().toString())
          .filter(n -> EDX_FILE.matcher(n).matches() && !desired.containsKey(n))
          .filter(n -> environment.equals(owner(read(folder.resolve(n))))).sorted().toList();
    } catch (IOException e) {
      throw new ProviderException("Cannot list the manifests in " + folder + ": " + e, e);
    }
  }

  /** The environment an edx manifest is labelled for, or null (not edx's, or not a manifest). */
  private static String owner(String yaml) {
    try {
      Object parsed = Serialization.unmarshal(yaml);
      if (parsed instanceof HasMetadata object && object.getMetadata() != null
          && object.getMetadata().getLabels() != null
          && MANAGED_BY_VALUE.equals(object.getMetadata().getLabels().get(MANAGED_BY))) {
        return object.getMetadata().getLabels().get(ENVIRONMENT_LABEL);
      }
    } catch (RuntimeException e) {
      LOG.debug("Not a manifest: {}", e.toString());
    }
    return null;
  }

  private static String resource(String fileName) {
    return "manifest " + fileName;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ProviderException("Cannot read the manifest " + file + ": " + e, e);
    }
  }

  private static void write(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
