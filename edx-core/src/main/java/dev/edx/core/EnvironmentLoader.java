package dev.edx.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.edx.api.Environment;
import dev.edx.api.Metastore;
import dev.edx.api.ObjectStorage;
import dev.edx.api.Secrets;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.Provisioner;
import dev.edx.api.spi.ServiceProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.io.Reader;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens, plans, applies and destroys environments, with its seams set: the class loader providers
 * come from and how environment variables are read. {@link Environments} offers the same with the
 * defaults. Holds no global state; thread safe.
 */
public final class EnvironmentLoader {
  private static final Logger LOG = LoggerFactory.getLogger(EnvironmentLoader.class);
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build();

  private final ClassLoader classLoader;
  private final Map<String, String> environmentVariables;
  private final ProviderRegistry registry;

  private EnvironmentLoader(Builder builder) {
    this.classLoader = builder.classLoader;
    this.environmentVariables = builder.environmentVariables;
    this.registry = ProviderRegistry.load(classLoader);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The providers this loader found, by service. */
  public ProviderRegistry providers() {
    return registry;
  }

  public Environment open(Path specFile) {
    return open(EnvironmentSpec.parse(specFile));
  }

  /** Opens a spec read from {@code reader}; relative paths resolve against the working folder. */
  public Environment open(Reader reader, String source) {
    return open(EnvironmentSpec.parse(reader, source, Path.of("").toAbsolutePath()));
  }

  /**
   * Opens an environment: creates each service the spec declares (secrets first, since they
   * resolve the others' {@code ${secret:}} references), with every reference resolved. If one
   * fails, those already created are closed and the failure is thrown.
   */
  public Environment open(EnvironmentSpec spec) {
    requireNonNull(spec, "spec is null");
    AtomicReference<Environment> self = new AtomicReference<>();
    Context context = new Context(spec, self);
    List<Map.Entry<String, Object>> created = new ArrayList<>();
    Map<String, String> providerNames = new LinkedHashMap<>();
    Optional<Isolation> isolation = spec.namePrefix().map(Isolation::new);
    checkSections(spec);
    try {
      Secrets secrets = null;
      for (ServiceSpec raw : sections(spec)) {
        String section = raw.service();
        ServiceProvider<?> provider = registry.provider(raw);
        ServiceSpec declared = isolation.isPresent() && EnvironmentSpec.SERVICES.contains(section)
            ? isolation.get().rewrite(raw) : raw;
        ServiceSpec resolved = new References(
            name -> Optional.ofNullable(environmentVariables.get(name)), spec.baseDirectory(),
            secrets)
            .resolve(declared);
        resolved = Specs.checked(provider, resolved);
        Object service = create(provider, resolved, context);
        created.add(new AbstractMap.SimpleImmutableEntry<>(section, service));
        providerNames.put(section, provider.name());
        LOG.info("Environment '{}': {} provider '{}'", spec.name(), section, provider.name());
        if (section.equals("secrets")) {
          secrets = (Secrets) service;
        }
      }
    } catch (RuntimeException e) {
      try {
        DefaultEnvironment.closeAll(spec.name(), created);
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
    Map<String, Object> services = new LinkedHashMap<>();
    created.forEach(entry -> services.put(entry.getKey(), entry.getValue()));
    Map<String, Object> views = new LinkedHashMap<>(services);
    isolation.ifPresent(i -> {
      views.computeIfPresent("storage", (k, v) -> IsolatedObjectStorage.of((ObjectStorage) v, i));
      views.computeIfPresent("metastore", (k, v) -> new IsolatedMetastore((Metastore) v, i));
      views.computeIfPresent("secrets", (k, v) -> new IsolatedSecrets((Secrets) v, i));
    });
    DefaultEnvironment environment =
        new DefaultEnvironment(spec.name(), services, views, providerNames);
    self.set(environment);
    return environment;
  }

  /**
   * Checks every section before anything is resolved or created: unknown providers, unknown keys
   * and missing required keys of all sections are reported together, each with its file and line.
   */
  private void checkSections(EnvironmentSpec spec) {
    List<ConfigurationException> problems = new ArrayList<>();
    for (ServiceSpec raw : sections(spec)) {
      try {
        ServiceProvider<?> provider = registry.provider(raw);
        if (!provider.properties().isEmpty()) {
          problems.addAll(Specs.problems(raw, provider.properties()));
        }
      } catch (ConfigurationException e) {
        problems.add(e);
      }
    }
    if (!problems.isEmpty()) {
      throw ConfigurationException.of(problems);
    }
  }

  /** The sections in creation order: the services, then the data stores in spec order. */
  private static List<ServiceSpec> sections(EnvironmentSpec spec) {
    List<ServiceSpec> sections = new ArrayList<>();
    for (String section : EnvironmentSpec.SERVICES) {
      spec.service(section).ifPresent(sections::add);
    }
    sections.addAll(spec.datastores().values());
    return sections;
  }

  private static Object create(ServiceProvider<?> provider, ServiceSpec spec,
      ProviderContext context) {
    Object service;
    try {
      service = provider.create(spec, context);
    } catch (EdxException | IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ProviderException("Cannot create " + spec.service() + " with provider '"
          + provider.name() + "' (" + provider.getClass().getName() + "): " + e, e);
    }
    if (service == null) {
      throw new ProviderException("Cannot create " + spec.service() + " with provider '"
          + provider.name() + "': " + provider.getClass().getName() + ".create returned null");
    }
    return service;
  }

  /** The changes {@link #apply} would make, service by service, without making them. */
  public List<Change> plan(EnvironmentSpec spec) {
    try (Environment environment = open(spec)) {
      List<Change> changes = new ArrayList<>();
      provisioners(environment).forEach(p -> changes.addAll(p.plan()));
      return changes;
    }
  }

  /**
   * Creates what the spec declares, in dependency order (secrets, storage, metastore, compute,
   * then the data stores in spec order).
   * Idempotent: a second apply reports only {@code NONE} changes.
   */
  public List<Change> apply(EnvironmentSpec spec) {
    try (Environment environment = open(spec)) {
      List<Change> changes = new ArrayList<>();
      for (Provisioner provisioner : provisioners(environment)) {
        changes.addAll(provisioner.apply());
      }
      changes.stream().filter(c -> c.action() != Change.Action.NONE)
          .forEach(c -> LOG.info("Environment '{}': {}", spec.name(), c));
      return changes;
    }
  }

  /** Removes what the spec declares in reverse dependency order; data follows {@code policy}. */
  public List<Change> destroy(EnvironmentSpec spec, DataPolicy policy) {
    List<Change> changes = teardown(spec, policy, true);
    changes.forEach(c -> LOG.info("Environment '{}': {}", spec.name(), c));
    return changes;
  }

  /**
   * The changes {@link #destroy destroy(spec, policy)} would make, service by service in the same
   * order, without making them.
   *
   * @throws UnsupportedOperationException when a service's provisioner cannot plan a destroy
   */
  public List<Change> planDestroy(EnvironmentSpec spec, DataPolicy policy) {
    return teardown(spec, policy, false);
  }

  private List<Change> teardown(EnvironmentSpec spec, DataPolicy policy, boolean execute) {
    requireNonNull(policy, "policy is null");
    try (Environment environment = open(spec)) {
      List<Provisioner> provisioners = provisioners(environment);
      List<Change> changes = new ArrayList<>();
      for (int i = provisioners.size() - 1; i >= 0; i--) {
        Provisioner p = provisioners.get(i);
        changes.addAll(execute ? p.destroy(policy) : p.planDestroy(policy));
      }
      return changes;
    }
  }

  /**
   * The effective spec as YAML ({@code extends} resolved). {@code ${...}} references stay as
   * written; a literal value of a key its provider declares sensitive is shown as {@code ****}, so
   * the rendering never holds a secret.
   */
  public String render(EnvironmentSpec spec) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("apiVersion", EnvironmentSpec.API_VERSION);
    document.put("kind", EnvironmentSpec.KIND);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", spec.name());
    spec.namePrefix().ifPresent(prefix -> metadata.put("namePrefix", prefix));
    if (!spec.labels().isEmpty()) {
      metadata.put("labels", new TreeMap<>(spec.labels()));
    }
    document.put("metadata", metadata);
    Map<String, Object> services = new LinkedHashMap<>();
    for (String section : EnvironmentSpec.SERVICES) {
      spec.service(section).ifPresent(service -> services.put(section, render(service)));
    }
    if (!spec.datastores().isEmpty()) {
      Map<String, Object> stores = new LinkedHashMap<>();
      spec.datastores().forEach((name, store) -> stores.put(name, render(store)));
      services.put(EnvironmentSpec.DATASTORES, stores);
    }
    document.put("spec", services);
    try {
      return YAML.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render environment spec " + spec.source(), e);
    }
  }

  private Map<String, Object> render(ServiceSpec service) {
    ServiceProvider<?> provider = registry.provider(service);
    Map<String, Object> rendered = new LinkedHashMap<>();
    rendered.put("provider", service.provider());
    service.properties().forEach((key, value) -> rendered.put(key,
        provider.sensitivePropertyNames().contains(key) && !isReference(value) ? "****" : value));
    return rendered;
  }

  private static boolean isReference(Object value) {
    return value instanceof String s && s.matches("\\$\\{[^}]*}");
  }

  private static List<Provisioner> provisioners(Environment environment) {
    List<Provisioner> result = new ArrayList<>();
    ((DefaultEnvironment) environment).services().values().forEach(service -> {
      if (service instanceof Provisioner p) {
        result.add(p);
      }
    });
    return result;
  }

  private final class Context implements ProviderContext {
    private final EnvironmentSpec spec;
    private final AtomicReference<Environment> environment;
    private final AtomicReference<String> rendered = new AtomicReference<>();

    Context(EnvironmentSpec spec, AtomicReference<Environment> environment) {
      this.spec = spec;
      this.environment = environment;
    }

    @Override
    public String environmentName() {
      return spec.name();
    }

    @Override
    public Path baseDirectory() {
      return spec.baseDirectory();
    }

    @Override
    public Optional<String> namePrefix() {
      return spec.namePrefix();
    }

    @Override
    public ClassLoader classLoader() {
      return classLoader;
    }

    @Override
    public Map<String, String> environmentVariables() {
      return environmentVariables;
    }

    /** Rendered on first use, since rendering looks every section's provider up. */
    @Override
    public Optional<String> renderedSpec() {
      String yaml = rendered.get();
      if (yaml == null) {
        yaml = render(spec);
        rendered.compareAndSet(null, yaml);
      }
      return Optional.of(yaml);
    }

    @Override
    public Environment environment() {
      Environment env = environment.get();
      if (env == null) {
        throw new IllegalStateException("Cannot use environment '" + spec.name()
            + "' yet: it is still being opened; call environment() after create returned");
      }
      return env;
    }
  }

  /** Sets the seams of an {@link EnvironmentLoader}. */
  public static final class Builder {
    private ClassLoader classLoader = defaultClassLoader();
    private Map<String, String> environmentVariables = System.getenv();

    private Builder() {}

    /** Where providers are discovered; default: the thread's context class loader. */
    public Builder setClassLoader(ClassLoader classLoader) {
      this.classLoader = requireNonNull(classLoader, "classLoader is null");
      return this;
    }

    /**
     * The environment variables {@code ${env:NAME}} and providers read (the {@code env} secrets
     * provider, {@code SPARK_HOME}); default: {@link System#getenv()}. Tests pass a fixed map.
     */
    public Builder setEnvironmentVariables(Map<String, String> variables) {
      this.environmentVariables = Map.copyOf(requireNonNull(variables, "variables is null"));
      return this;
    }

    /**
     * Builds the loader, discovering providers now.
     *
     * @throws ConfigurationException if providers clash
     */
    public EnvironmentLoader build() {
      return new EnvironmentLoader(this);
    }

    private static ClassLoader defaultClassLoader() {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      return loader != null ? loader : EnvironmentLoader.class.getClassLoader();
    }
  }
}
