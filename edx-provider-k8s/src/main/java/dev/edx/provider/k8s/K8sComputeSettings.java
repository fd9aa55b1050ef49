package dev.edx.provider.k8s;

import static dev.edx.provider.k8s.K8sProperties.*;
import static java.util.Objects.requireNonNull;

import dev.edx.api.Resources;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The typed settings of a {@code k8s} compute spec, parsed once. Build them with {@link #from} or,
 * in tests, {@link #builder}.
 *
 * @param namespace where jobs run and what provisioning creates
 * @param serviceAccount the service account of TaskJob and ContainerJob pods
 * @param sparkServiceAccount the service account of Spark drivers
 * @param image the edx runner image TaskJobs run in
 * @param sparkImage the image of Spark drivers and executors
 * @param sparkVersion {@code spec.sparkVersion} of SparkApplications
 * @param imagePullPolicy {@code Always}, {@code IfNotPresent} or {@code Never}
 * @param runnerSpec the environment spec file mounted into TaskJob pods
 * @param activeDeadline Job {@code activeDeadlineSeconds}
 * @param backoffLimit Job {@code backoffLimit}
 * @param ttlAfterFinished Job {@code ttlSecondsAfterFinished}
 * @param startDeadline how long a pod may wait to start before the job fails
 * @param nodeSelector pod node selector
 * @param tolerations pod tolerations
 * @param resources default container resources
 * @param dryRun render instead of create
 * @param s3aEndpoint S3A endpoint for Spark
 * @param s3aPathStyle path-style S3A access
 * @param s3aCredentialsSecret Secret with the S3 credentials for Spark
 * @param s3aAccessKeyKey key of the access key in that Secret
 * @param s3aSecretKeyKey key of the secret key in that Secret
 * @param adopt whether provisioning may take over objects edx did not create
 * @param quota the namespace's ResourceQuota: spec keys of {@link #QUOTA_FIELDS} to quantities;
 *     empty for none
 * @param limits the namespace's LimitRange: spec keys of {@link #LIMIT_FIELDS} to quantities;
 *     empty for none
 * @param manifestsDir where provisioning writes manifests instead of applying them
 */
public record K8sComputeSettings(
    String namespace,
    String serviceAccount,
    String sparkServiceAccount,
    Optional<String> image,
    Optional<String> sparkImage,
    String sparkVersion,
    String imagePullPolicy,
    Optional<Path> runnerSpec,
    Optional<Duration> activeDeadline,
    int backoffLimit,
    Optional<Duration> ttlAfterFinished,
    Duration startDeadline,
    Map<String, String> nodeSelector,
    List<Toleration> tolerations,
    Resources resources,
    boolean dryRun,
    Optional<String> s3aEndpoint,
    boolean s3aPathStyle,
    Optional<String> s3aCredentialsSecret,
    String s3aAccessKeyKey,
    String s3aSecretKeyKey,
    boolean adopt,
    Map<String, String> quota,
    Map<String, String> limits,
    Optional<Path> manifestsDir) {
  /** {@code quota} keys and the ResourceQuota {@code spec.hard} keys they set, in file order. */
  static final Map<String, String> QUOTA_FIELDS = ordered(
      "cpu", "requests.cpu", "memory", "requests.memory", "limitsCpu", "limits.cpu",
      "limitsMemory", "limits.memory", "pods", "pods",
      "persistentVolumeClaims", "persistentvolumeclaims", "storage", "requests.storage");
  /**
   * {@code limits} keys and the LimitRange {@code Container} item fields they set ({@code
   * <field>/<resource>}), in file order.
   */
  static final Map<String, String> LIMIT_FIELDS = ordered(
      "defaultCpu", "default/cpu", "defaultMemory", "default/memory",
      "defaultRequestCpu", "defaultRequest/cpu", "defaultRequestMemory", "defaultRequest/memory",
      "minCpu", "min/cpu", "minMemory", "min/memory", "maxCpu", "max/cpu",
      "maxMemory", "max/memory");

  private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
  private static final Set<String> TOLERATION_KEYS =
      Set.of("key", "operator", "value", "effect", "tolerationSeconds");

  public K8sComputeSettings {
    requireNonNull(namespace, "namespace is null");
    requireNonNull(serviceAccount, "serviceAccount is null");
    requireNonNull(sparkServiceAccount, "sparkServiceAccount is null");
    requireNonNull(image, "image is null");
    requireNonNull(sparkImage, "sparkImage is null");
    requireNonNull(sparkVersion, "sparkVersion is null");
    requireNonNull(imagePullPolicy, "imagePullPolicy is null");
    requireNonNull(runnerSpec, "runnerSpec is null");
    requireNonNull(activeDeadline, "activeDeadline is null");
    requireNonNull(ttlAfterFinished, "ttlAfterFinished is null");
    requireNonNull(startDeadline, "startDeadline is null");
    nodeSelector = Map.copyOf(requireNonNull(nodeSelector, "nodeSelector is null"));
    tolerations = List.copyOf(requireNonNull(tolerations, "tolerations is null"));
    requireNonNull(resources, "resources is null");
    requireNonNull(s3aEndpoint, "s3aEndpoint is null");
    requireNonNull(s3aCredentialsSecret, "s3aCredentialsSecret is null");
    requireNonNull(s3aAccessKeyKey, "s3aAccessKeyKey is null");
    requireNonNull(s3aSecretKeyKey, "s3aSecretKeyKey is null");
    if (backoffLimit < 0) {
      throw new IllegalArgumentException("backoffLimit must be at least 0: " + backoffLimit);
    }
    if (startDeadline.isNegative() || startDeadline.isZero()) {
      throw new IllegalArgumentException("startDeadline must be positive: " + startDeadline);
    }
    quota = Map.copyOf(requireNonNull(quota, "quota is null"));
    limits = Map.copyOf(requireNonNull(limits, "limits is null"));
    requireNonNull(manifestsDir, "manifestsDir is null");
    for (String key : quota.keySet()) {
      if (!QUOTA_FIELDS.containsKey(key)) {
        throw new IllegalArgumentException("not a quota setting: " + key);
      }
    }
    for (String key : limits.keySet()) {
      if (!LIMIT_FIELDS.containsKey(key)) {
        throw new IllegalArgumentException("not a limits setting: " + key);
      }
    }
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  /** Settings with every default, for {@code namespace}; change them with {@link Builder}. */
  public static Builder builder(String namespace) {
    return new Builder(namespace);
  }

  /** Parses a {@code k8s} compute spec; unknown keys and bad values name the key. */
  static K8sComputeSettings from(ServiceSpec spec, ProviderContext context) {
    Specs.requireOnlyKeys(spec, COMPUTE_KEYS);
    String namespace = K8sNames.requireDnsLabel(spec, NAMESPACE, Specs.requireString(spec, NAMESPACE));
    String pullPolicy = Specs.getString(spec, IMAGE_PULL_POLICY, IMAGE_PULL_POLICY_DEFAULT);
    if (!PULL_POLICIES.contains(pullPolicy)) {
      throw spec.error(IMAGE_PULL_POLICY, "must be one of " + PULL_POLICIES + ", not '"
          + pullPolicy + "'");
    }
    Optional<Path> runnerSpec = Specs.getString(spec, RUNNER_SPEC)
        .map(p -> context.baseDirectory().resolve(p).toAbsolutePath().normalize());
    if (runnerSpec.isPresent() && !Files.isRegularFile(runnerSpec.get())) {
      throw spec.error(RUNNER_SPEC, "no such file: " + runnerSpec.get());
    }
    Duration startDeadline = positive(spec, START_DEADLINE,
        Specs.getDuration(spec, START_DEADLINE).orElse(START_DEADLINE_DEFAULT));
    Optional<Duration> active = Specs.getDuration(spec, ACTIVE_DEADLINE)
        .map(d -> positive(spec, ACTIVE_DEADLINE, d));
    Optional<Duration> ttl = Optional.of(Specs.getDuration(spec, TTL_AFTER_FINISHED)
        .orElse(TTL_AFTER_FINISHED_DEFAULT));
    Map<String, String> resourceMap = Specs.getStringMap(spec, RESOURCES);
    for (String key : resourceMap.keySet()) {
      if (!key.equals("cores") && !key.equals("memory")) {
        throw spec.error(RESOURCES + "." + key, "is not a resource setting; use cores and memory");
      }
    }
    Resources resources;
    try {
      resources = Resources.of(
          Integer.parseInt(resourceMap.getOrDefault("cores",
              Integer.toString(RESOURCES_CORES_DEFAULT))),
          resourceMap.getOrDefault("memory", RESOURCES_MEMORY_DEFAULT));
    } catch (IllegalArgumentException e) {
      throw spec.error(RESOURCES, e.getMessage());
    }
    Optional<String> endpoint = Specs.getString(spec, S3A_ENDPOINT);
    Optional<String> credentials = Specs.getString(spec, S3A_CREDENTIALS_SECRET)
        .map(s -> K8sNames.requireDnsSubdomain(spec, S3A_CREDENTIALS_SECRET, s));
    if (endpoint.isPresent() && credentials.isEmpty()) {
      throw spec.error(S3A_ENDPOINT, "needs " + S3A_CREDENTIALS_SECRET + ": the Secret holding"
          + " the S3 credentials Spark reads (edx never puts credentials in a manifest)");
    }
    return new K8sComputeSettings(namespace,
        K8sNames.requireDnsSubdomain(spec, SERVICE_ACCOUNT,
            Specs.getString(spec, SERVICE_ACCOUNT, SERVICE_ACCOUNT_DEFAULT)),
        K8sNames.requireDnsSubdomain(spec, SPARK_SERVICE_ACCOUNT,
            Specs.getString(spec, SPARK_SERVICE_ACCOUNT, SPARK_SERVICE_ACCOUNT_DEFAULT)),
        Specs.getString(spec, IMAGE), Specs.getString(spec, SPARK_IMAGE),
        Specs.getString(spec, SPARK_VERSION, SPARK_VERSION_DEFAULT), pullPolicy, runnerSpec, active,
        Specs.getInt(spec, BACKOFF_LIMIT, BACKOFF_LIMIT_DEFAULT, 0), ttl, startDeadline,
        Specs.getStringMap(spec, NODE_SELECTOR), tolerations(spec), resources,
        Specs.getBoolean(spec, DRY_RUN, DRY_RUN_DEFAULT), endpoint,
        Specs.getBoolean(spec, S3A_PATH_STYLE, S3A_PATH_STYLE_DEFAULT), credentials,
        Specs.getString(spec, S3A_ACCESS_KEY_KEY, S3A_ACCESS_KEY_KEY_DEFAULT),
        Specs.getString(spec, S3A_SECRET_KEY_KEY, S3A_SECRET_KEY_KEY_DEFAULT),
        Specs.getBoolean(spec, ADOPT, ADOPT_DEFAULT),
        quantities(spec, QUOTA, QUOTA_FIELDS), quantities(spec, LIMITS, LIMIT_FIELDS),
        Specs.getString(spec, MANIFESTS_DIR)
            .map(p -> context.baseDirectory().resolve(p).toAbsolutePath().normalize()));
  }

  /**
   * A map of quantities under {@code key}: each key one of {@code fields}, each value a
   * non-negative Kubernetes quantity ({@code 500m}, {@code 4}, {@code 8Gi}); {@code pods} and
   * {@code persistentVolumeClaims} whole numbers.
   */
  private static Map<String, String> quantities(ServiceSpec spec, String key,
      Map<String, String> fields) {
    Map<String, String> values = Specs.getStringMap(spec, key);
    for (Map.Entry<String, String> e : values.entrySet()) {
      String name = key + "." + e.getKey();
      if (!fields.containsKey(e.getKey())) {
        throw spec.error(name, "is not a " + key + " setting; use " + fields.keySet());
      }
      BigDecimal amount;
      try {
        amount = Quantity.getAmountInBytes(new Quantity(e.getValue()));
      } catch (RuntimeException ex) {
        throw spec.error(name, "must be a Kubernetes quantity (500m, 4, 8Gi), not '"
            + e.getValue() + "'");
      }
      if (amount.signum() < 0) {
        throw spec.error(name, "must not be negative, not '" + e.getValue() + "'");
      }
      boolean count = e.getKey().equals("pods") || e.getKey().equals("persistentVolumeClaims");
      if (count && !e.getValue().matches("[0-9]+")) {
        throw spec.error(name, "must be a whole number, not '" + e.getValue() + "'");
      }
    }
    return values;
  }

  private static Duration positive(ServiceSpec spec, String key, Duration d) {
    if (d.isNegative() || d.isZero() || d.toSeconds() < 1) {
      throw spec.error(key, "must be at least one second, not " + d);
    }
    return d;
  }

  private static List<Toleration> tolerations(ServiceSpec spec) {
    Object raw = spec.get(TOLERATIONS).orElse(List.of());
    if (!(raw instanceof List<?> list)) {
      throw spec.error(TOLERATIONS, "must be a list of tolerations");
    }
    List<Toleration> result = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String key = TOLERATIONS + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        throw spec.error(key, "must be a map with key, operator, value, effect");
      }
      TolerationBuilder t = new TolerationBuilder();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String field = String.valueOf(e.getKey());
        String value = String.valueOf(e.getValue());
        if (!TOLERATION_KEYS.contains(field)) {
          throw spec.error(key + "." + field, "is not a toleration field; use " + TOLERATION_KEYS);
        }
        switch (field) {
          case "key" -> t.withKey(value);
          case "operator" -> t.withOperator(value);
          case "value" -> t.withValue(value);
          case "effect" -> t.withEffect(value);
          default -> {
            try {
              t.withTolerationSeconds(Long.parseLong(value));
            } catch (NumberFormatException ex) {
              throw spec.error(key + "." + field, "must be a whole number of seconds");
            }
          }
        }
      }
      result.add(t.build());
    }
    return result;
  }

  /** Changes settings one at a time; for tests and programmatic use. */
  public static final class Builder {
    private String namespace;
    private String serviceAccount = SERVICE_ACCOUNT_DEFAULT;
    private String sparkServiceAccount = SPARK_SERVICE_ACCOUNT_DEFAULT;
    private Optional<String> image = Optional.empty();
    private Optional<String> sparkImage = Optional.empty();
    private String sparkVersion = SPARK_VERSION_DEFAULT;
    private String imagePullPolicy = IMAGE_PULL_POLICY_DEFAULT;
    private Optional<Path> runnerSpec = Optional.empty();
    private Optional<Duration> activeDeadline = Optional.empty();
    private int backoffLimit = BACKOFF_LIMIT_DEFAULT;
    private Optional<Duration> ttlAfterFinished = Optional.of(TTL_AFTER_FINISHED_DEFAULT);
    private Duration startDeadline = START_DEADLINE_DEFAULT;
    private Map<String, String> nodeSelector = Map.of();
    private List<Toleration> tolerations = List.of();
    private Resources resources = Resources.of(RESOURCES_CORES_DEFAULT, RESOURCES_MEMORY_DEFAULT);
    private boolean dryRun;
    private Optional<String> s3aEndpoint = Optional.empty();
    private boolean s3aPathStyle = S3A_PATH_STYLE_DEFAULT;
    private Optional<String> s3aCredentialsSecret = Optional.empty();
    private boolean adopt;
    private Map<String, String> quota = Map.of();
    private Map<String, String> limits = Map.of();
    private Optional<Path> manifestsDir = Optional.empty();

    private Builder(String namespace) {
      this.namespace = requireNonNull(namespace, "namespace is null");
    }

    public Builder setServiceAccount(String v) {
      serviceAccount = requireNonNull(v, "serviceAccount is null");
      return this;
    }

    public Builder setImage(String v) {
      image = Optional.of(requireNonNull(v, "image is null"));
      return this;
    }

    public Builder setSparkImage(String v) {
      sparkImage = Optional.of(requireNonNull(v, "sparkImage is null"));
      return this;
    }

    public Builder setRunnerSpec(Path v) {
      runnerSpec = Optional.of(requireNonNull(v, "runnerSpec is null"));
      return this;
    }

    public Builder setActiveDeadline(Duration v) {
      activeDeadline = Optional.of(requireNonNull(v, "activeDeadline is null"));
      return this;
    }

    public Builder setBackoffLimit(int v) {
      backoffLimit = v;
      return this;
    }

    public Builder setTtlAfterFinished(Duration v) {
      ttlAfterFinished = Optional.of(requireNonNull(v, "ttlAfterFinished is null"));
      return this;
    }

    public Builder setStartDeadline(Duration v) {
      startDeadline = requireNonNull(v, "startDeadline is null");
      return this;
    }

    public Builder setNodeSelector(Map<String, String> v) {
      nodeSelector = requireNonNull(v, "nodeSelector is null");
      return this;
    }

    public Builder setTolerations(List<Toleration> v) {
      tolerations = requireNonNull(v, "tolerations is null");
      return this;
    }

    public Builder setResources(Resources v) {
      resources = requireNonNull(v, "resources is null");
      return this;
    }

    public Builder setDryRun(boolean v) {
      dryRun = v;
      return this;
    }

    public Builder setS3a(String endpoint, String credentialsSecret) {
      s3aEndpoint = Optional.of(requireNonNull(endpoint, "endpoint is null"));
      s3aCredentialsSecret = Optional.of(requireNonNull(credentialsSecret,
          "credentialsSecret is null"));
      return this;
    }

    public Builder setAdopt(boolean v) {
      adopt = v;
      return this;
    }

    /** The ResourceQuota: keys of {@link #QUOTA_FIELDS}, such as {@code cpu: 8}. */
    public Builder setQuota(Map<String, String> v) {
      quota = requireNonNull(v, "quota is null");
      return this;
    }

    /** The LimitRange: keys of {@link #LIMIT_FIELDS}, such as {@code defaultMemory: 1Gi}. */
    public Builder setLimits(Map<String, String> v) {
      limits = requireNonNull(v, "limits is null");
      return this;
    }

    public Builder setManifestsDir(Path v) {
      manifestsDir = Optional.of(requireNonNull(v, "manifestsDir is null"));
      return this;
    }

    public K8sComputeSettings build() {
      return new K8sComputeSettings(namespace, serviceAccount, sparkServiceAccount, image,
          sparkImage, sparkVersion, imagePullPolicy, runnerSpec, activeDeadline, backoffLimit,
          ttlAfterFinished, startDeadline, nodeSelector, tolerations, resources, dryRun,
          s3aEndpoint, s3aPathStyle, s3aCredentialsSecret, S3A_ACCESS_KEY_KEY_DEFAULT,
          S3A_SECRET_KEY_KEY_DEFAULT, adopt, quota, limits, manifestsDir);
    }
  }
}
