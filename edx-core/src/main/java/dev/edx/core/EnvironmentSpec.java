package dev.edx.core;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ServiceSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A parsed environment spec ({@code apiVersion: edx.dev/v1}, {@code kind: Environment}), strict:
 * an unknown key, a wrong type or a missing required value fails with a {@link
 * ConfigurationException} naming the key and its line. {@code ${...}} references are kept as
 * written here and resolved when the environment is opened, so a parsed spec holds no secret.
 *
 * @param name {@code metadata.name}
 * @param labels {@code metadata.labels}
 * @param services the service sections present, keyed by {@code storage}, {@code compute},
 *     {@code metastore}, {@code secrets}
 * @param source where the spec came from, for messages
 * @param baseDirectory the folder relative paths in the spec resolve against
 * @param namePrefix {@code metadata.namePrefix}: when set, the environment's buckets, databases,
 *     secrets and namespace get physical names with this prefix, so environments derived from one
 *     base share nothing; code keeps using the logical names
 * @param datastores the data stores of {@code spec.datastores}, by name in spec order; each
 *     section's {@link ServiceSpec#service()} is {@code datastores.NAME}
 */
public record EnvironmentSpec(
    String name,
    Map<String, String> labels,
    Map<String, ServiceSpec> services,
    String source,
    Path baseDirectory,
    Optional<String> namePrefix,
    Map<String, ServiceSpec> datastores) {

  public static final String API_VERSION = "edx.dev/v1";
  public static final String KIND = "Environment";
  /** The service sections, in the order an environment creates them. */
  public static final List<String> SERVICES = List.of("secrets", "storage", "metastore", "compute");
  /** The section of data stores, created after the services, each under a name. */
  public static final String DATASTORES = "datastores";
  /** A data store's name under {@code spec.datastores}. */
  public static final Pattern DATASTORE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

  private static final Set<String> TOP_LEVEL =
      Set.of("apiVersion", "kind", "metadata", "spec", "extends");
  private static final Set<String> METADATA = Set.of("name", "labels", "namePrefix");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  public EnvironmentSpec {
    requireNonNull(name, "name is null");
    labels = Map.copyOf(requireNonNull(labels, "labels is null"));
    services = Map.copyOf(requireNonNull(services, "services is null"));
    requireNonNull(source, "source is null");
    requireNonNull(baseDirectory, "baseDirectory is null");
    requireNonNull(namePrefix, "namePrefix is null");
    datastores = Collections.unmodifiableMap(
        new LinkedHashMap<>(requireNonNull(datastores, "datastores is null")));
    for (Map.Entry<String, ServiceSpec> store : datastores.entrySet()) {
      if (!store.getValue().service().equals(DATASTORES + "." + store.getKey())) {
        throw new IllegalArgumentException("Data store '" + store.getKey() + "' has a spec of"
            + " service '" + store.getValue().service() + "'; expected " + DATASTORES + "."
            + store.getKey());
      }
    }
    if (!NAME.matcher(name).matches()) {
      throw new ConfigurationException("metadata.name", -1, "Invalid metadata.name '" + name
          + "' (" + source + "): use lowercase letters, digits and '-', at most 63", null);
    }
    for (String service : services.keySet()) {
      if (!SERVICES.contains(service)) {
        throw new IllegalArgumentException("Unknown service '" + service + "'; known: " + SERVICES);
      }
    }
  }

  /** A spec without data stores. */
  public EnvironmentSpec(String name, Map<String, String> labels, Map<String, ServiceSpec> services,
      String source, Path baseDirectory, Optional<String> namePrefix) {
    this(name, labels, services, source, baseDirectory, namePrefix, Map.of());
  }

  /** This spec with {@code datastores} in place of its data stores. */
  public EnvironmentSpec withDatastores(Map<String, ServiceSpec> datastores) {
    return new EnvironmentSpec(name, labels, services, source, baseDirectory, namePrefix,
        datastores);
  }

  /** A spec built in code, such as the embedded environment's. */
  public static EnvironmentSpec of(String name, Path baseDirectory, ServiceSpec... services) {
    Map<String, ServiceSpec> map = new LinkedHashMap<>();
    for (ServiceSpec s : services) {
      map.put(s.service(), s);
    }
    return new EnvironmentSpec(name, Map.of(), map, "<" + name + ">", baseDirectory,
        Optional.empty());
  }

  public Optional<ServiceSpec> service(String service) {
    return Optional.ofNullable(services.get(service));
  }

  /** The section of data store {@code name} ({@code spec.datastores.NAME}). */
  public Optional<ServiceSpec> datastore(String name) {
    return Optional.ofNullable(datastores.get(name));
  }

  /**
   * Reads a spec file (YAML or JSON); relative paths in it resolve against its folder. A spec may
   * {@code extends: base.yaml} (a path relative to it): maps merge key by key over the base's,
   * anything else replaces the base's value, and {@code key: null} removes a base key. Relative
   * paths of an extending spec resolve against the folder of the root of its chain (the base that
   * extends nothing), where the settings they complete usually come from.
   */
  public static EnvironmentSpec parse(Path file) {
    List<Path> chain = new ArrayList<>();
    SpecTree tree = load(file, chain);
    return fromTree(tree, file.toString(), chain.get(chain.size() - 1).getParent());
  }

  /**
   * Reads a spec from a reader; {@code source} names it in messages. Relative paths resolve
   * against {@code baseDirectory}, or, when the spec extends a base, against the folder of the
   * root of its {@code extends} chain.
   */
  public static EnvironmentSpec parse(Reader reader, String source, Path baseDirectory) {
    List<Path> chain = new ArrayList<>();
    SpecTree tree = withBase(SpecTree.parse(reader, source), source, baseDirectory, chain);
    return fromTree(tree, source,
        chain.isEmpty() ? baseDirectory : chain.get(chain.size() - 1).getParent());
  }

  private static SpecTree load(Path file, List<Path> chain) {
    Path absolute = file.toAbsolutePath().normalize();
    if (chain.contains(absolute)) {
      throw new ConfigurationException("Cannot read environment spec " + file
          + ": it extends itself through " + chain);
    }
    chain.add(absolute);
    try (Reader reader = Files.newBufferedReader(absolute, StandardCharsets.UTF_8)) {
      return withBase(SpecTree.parse(reader, file.toString()), file.toString(),
          absolute.getParent(), chain);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("Cannot read environment spec " + file
          + ": no such file (looked in " + absolute + ")", e);
    } catch (IOException e) {
      throw new ConfigurationException("Cannot read environment spec " + file + ": " + e, e);
    }
  }

  private static SpecTree withBase(SpecTree tree, String source, Path directory,
      List<Path> chain) {
    Object base = tree.root().get("extends");
    if (base == null) {
      return tree;
    }
    if (!(base instanceof String path) || path.isBlank()) {
      throw error(tree, source, "extends", "must be the path of a base spec file");
    }
    SpecTree baseTree;
    try {
      baseTree = load(directory.resolve(path), chain);
    } catch (ConfigurationException e) {
      throw new ConfigurationException("extends", tree.line("extends"), "Invalid extends ("
          + source + " line " + tree.line("extends") + "): " + e.getMessage(), e);
    }
    SpecTree merged = tree.over(baseTree);
    merged.root().remove("extends");
    return merged;
  }

  private static EnvironmentSpec fromTree(SpecTree tree, String source, Path baseDirectory) {
    Map<String, Object> root = tree.root();
    checkKeys(tree, source, "", root, TOP_LEVEL);

    String apiVersion = requireString(tree, source, "apiVersion", root.get("apiVersion"));
    if (!API_VERSION.equals(apiVersion)) {
      throw error(tree, source, "apiVersion",
          "'" + apiVersion + "' is not supported; use " + API_VERSION);
    }
    String kind = requireString(tree, source, "kind", root.get("kind"));
    if (!KIND.equals(kind)) {
      throw error(tree, source, "kind", "'" + kind + "' is not supported; use " + KIND);
    }

    Map<String, Object> metadata = requireMap(tree, source, "metadata", root.get("metadata"));
    checkKeys(tree, source, "metadata", metadata, METADATA);
    String name = requireString(tree, source, "metadata.name", metadata.get("name"));
    if (!NAME.matcher(name).matches()) {
      throw error(tree, source, "metadata.name",
          "'" + name + "' is not a valid name; use lowercase letters, digits and '-', at most 63");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (metadata.get("labels") != null) {
      Map<String, Object> raw = requireMap(tree, source, "metadata.labels", metadata.get("labels"));
      raw.forEach((k, v) -> labels.put(k, scalar(tree, source, "metadata.labels." + k, v)));
    }

    Map<String, Object> spec = requireMap(tree, source, "spec", root.get("spec"));
    Set<String> sections = new TreeSet<>(SERVICES);
    sections.add(DATASTORES);
    checkKeys(tree, source, "spec", spec, sections);
    Map<String, ServiceSpec> services = new LinkedHashMap<>();
    Map<String, ServiceSpec> datastores = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : spec.entrySet()) {
      if (entry.getKey().equals(DATASTORES)) {
        Map<String, Object> stores = requireMap(tree, source, "spec." + DATASTORES,
            entry.getValue());
        for (Map.Entry<String, Object> store : stores.entrySet()) {
          String path = "spec." + DATASTORES + "." + store.getKey();
          if (!DATASTORE_NAME.matcher(store.getKey()).matches()) {
            throw error(tree, source, path, "'" + store.getKey() + "' is not a valid data store"
                + " name; use a lowercase letter, then lowercase letters, digits, '_' or '-'"
                + " (at most 63)");
          }
          datastores.put(store.getKey(), section(tree, source, DATASTORES + "." + store.getKey(),
              requireMap(tree, source, path, store.getValue())));
        }
        continue;
      }
      String service = entry.getKey();
      String path = "spec." + service;
      services.put(service, section(tree, source, service,
          requireMap(tree, source, path, entry.getValue())));
    }
    Optional<String> namePrefix = Optional.empty();
    if (metadata.get("namePrefix") != null) {
      namePrefix = Optional.of(requireString(tree, source, "metadata.namePrefix",
          metadata.get("namePrefix")));
    }
    return new EnvironmentSpec(name, labels, services, source, baseDirectory, namePrefix,
        datastores);
  }

  /** One provider's section: {@code service} is {@code storage} or {@code datastores.NAME}. */
  private static ServiceSpec section(SpecTree tree, String source, String service,
      Map<String, Object> section) {
    String path = "spec." + service;
    String provider = requireString(tree, source, path + ".provider", section.get("provider"));
    ServiceSpec.Builder builder = ServiceSpec.builder(service, provider).setSource(source);
    for (Map.Entry<String, Object> property : section.entrySet()) {
      if (property.getKey().equals("provider")) {
        continue;
      }
      if (property.getValue() == null) {
        throw error(tree, source, path + "." + property.getKey(),
            "has no value; give one or remove the key");
      }
      builder.set(property.getKey(), property.getValue());
    }
    String prefix = path + ".";
    tree.lines().forEach((p, line) -> {
      if (p.startsWith(prefix) && line != null) {
        builder.setLine(p.substring(prefix.length()), line);
        String from = tree.source(p, source);
        if (!from.equals(source)) {
          builder.setKeySource(p.substring(prefix.length()), from);
        }
      }
    });
    return builder.build();
  }

  private static void checkKeys(SpecTree tree, String source, String path,
      Map<String, Object> map, Set<String> known) {
    for (String key : map.keySet()) {
      if (!known.contains(key)) {
        String child = path.isEmpty() ? key : path + "." + key;
        throw error(tree, source, child, "unknown key; "
            + (path.isEmpty() ? "the document" : path) + " takes " + new TreeSet<>(known));
      }
    }
  }

  private static String requireString(SpecTree tree, String source, String path, Object value) {
    if (value == null) {
      throw missing(tree, source, path);
    }
    if (!(value instanceof String s)) {
      throw error(tree, source, path, "must be a string");
    }
    if (s.isBlank()) {
      throw missing(tree, source, path);
    }
    return s;
  }

  private static String scalar(SpecTree tree, String source, String path, Object value) {
    if (value instanceof Map || value instanceof List || value == null) {
      throw error(tree, source, path, "must be a string");
    }
    return value.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> requireMap(SpecTree tree, String source, String path,
      Object value) {
    if (value == null) {
      throw missing(tree, source, path);
    }
    if (!(value instanceof Map)) {
      throw error(tree, source, path, "must be a map of keys to values");
    }
    return (Map<String, Object>) value;
  }

  private static ConfigurationException missing(SpecTree tree, String source, String path) {
    int dot = path.lastIndexOf('.');
    String parent = dot < 0 ? "" : path.substring(0, dot);
    int line = parent.isEmpty() ? -1 : tree.line(parent);
    String where = line > 0 ? " (" + source + ", in the " + parent + " section at line " + line
        + ")" : " (" + source + ")";
    return new ConfigurationException(path, line,
        "Missing " + path + where + ": it is required; add it", null);
  }

  private static ConfigurationException error(SpecTree tree, String source, String path,
      String problem) {
    int line = tree.line(path);
    String from = tree.source(path, source);
    String where = line > 0 ? " (" + from + " line " + line + ")" : " (" + from + ")";
    return new ConfigurationException(path, line, "Invalid " + path + where + ": " + problem,
        null);
  }
}
