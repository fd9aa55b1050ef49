package dev.edx.provider.k8s;

import dev.edx.api.Resources;
import dev.edx.api.spi.PropertyDescriptor.Type;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Setting;
import dev.edx.toolkit.Specs;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The settings of the {@code k8s} compute provider ({@code spec.compute}): the connection ({@link
 * K8sConnectionProperties}) and those declared here, each once: key, type, default, rules and
 * description ({@code docs/providers/k8s.md}). {@link K8sComputeSettings} holds their values.
 */
public final class K8sComputeProperties {
  private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  private static final List<String> TOLERATION_KEYS =
      List.of("key", "operator", "value", "effect", "tolerationSeconds");
  private static final List<String> OPERATORS = List.of("Equal", "Exists");
  private static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule",
      "NoExecute");

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

  /** Take over provisioned objects that exist without edx's labels. */
  public static final Setting<Boolean> ADOPT = Setting.bool("adopt",
          "Take over the namespace, service accounts, Roles and RoleBindings that exist without"
              + " edx's labels.")
      .withDefault(false);

  /** The service account TaskJob and ContainerJob pods run as. */
  public static final Setting<String> SERVICE_ACCOUNT = Setting.string("serviceAccount",
          "The service account TaskJob and ContainerJob pods run as.")
      .map(K8sNames::objectName).withDefault("edx-runner");

  /** The service account of Spark drivers. */
  public static final Setting<String> SPARK_SERVICE_ACCOUNT = Setting.string(
          "sparkServiceAccount", "The service account of Spark drivers.")
      .map(K8sNames::objectName).withDefault("edx-spark");

  /** The edx runner image TaskJobs run in; needed to submit TaskJobs. */
  public static final Setting<String> IMAGE = Setting.string("image",
      "The edx runner image TaskJobs run in; required to submit TaskJobs.");

  /** The image of Spark drivers and executors; default: the job's container image conf. */
  public static final Setting<String> SPARK_IMAGE = Setting.string("sparkImage",
      "The image of Spark drivers and executors; default: the job's"
          + " spark.kubernetes.container.image.");

  /** {@code spec.sparkVersion} of SparkApplications (required by the CRD). */
  public static final Setting<String> SPARK_VERSION = Setting.string("sparkVersion",
      "spec.sparkVersion of SparkApplications.").withDefault("3.5.5");

  /** {@code Always}, {@code IfNotPresent} or {@code Never}. */
  public static final Setting<String> IMAGE_PULL_POLICY = Setting.string("imagePullPolicy",
          "Always, IfNotPresent or Never.")
      .check(PULL_POLICIES::contains, "must be one of " + PULL_POLICIES)
      .withDefault("IfNotPresent");

  /**
   * A spec file the runner opens in the pod instead of the environment's own rendered spec;
   * relative to the spec's folder.
   */
  public static final Setting<Path> RUNNER_SPEC = Setting.string("runnerSpec",
          "A spec file TaskJob pods open instead of the environment's own rendered spec;"
              + " relative to the spec's folder.")
      .map(Path::of);

  /** Job {@code activeDeadlineSeconds}; default none. */
  public static final Setting<Duration> ACTIVE_DEADLINE = Setting.duration("activeDeadline",
          "Job activeDeadlineSeconds; default none.")
      .check(d -> d.toSeconds() >= 1, "must be at least one second");

  /** Job {@code backoffLimit}: retries of a failed pod. */
  public static final Setting<Integer> BACKOFF_LIMIT = Setting.integer("backoffLimit",
          "Job backoffLimit: retries of a failed pod.")
      .check(n -> n >= 0, "must be at least 0").withDefault(0);

  /** Job {@code ttlSecondsAfterFinished} and SparkApplication {@code timeToLiveSeconds}. */
  public static final Setting<Duration> TTL_AFTER_FINISHED = Setting.duration("ttlAfterFinished",
          "Job ttlSecondsAfterFinished and SparkApplication timeToLiveSeconds.")
      .check(d -> !d.isNegative(), "must not be negative (the API server refuses a negative"
          + " ttlSecondsAfterFinished)")
      .withDefault(Duration.ofDays(1), "1d");

  /** How long a job may wait for its pod to start (image pull, scheduling) before it FAILs. */
  public static final Setting<Duration> START_DEADLINE = Setting.duration("startDeadline",
          "How long a job's pod may take to start before the job fails.")
      .check(d -> d.toSeconds() >= 1, "must be at least one second")
      .withDefault(Duration.ofMinutes(5), "5m");

  /** Pod {@code nodeSelector}. */
  public static final Setting<Map<String, String>> NODE_SELECTOR = Setting.of("nodeSelector",
          Type.STRING_MAP, K8sComputeProperties::nodeSelector,
          "Pod nodeSelector.")
      .withDefault(Map.of(), null);

  /** Pod {@code tolerations}: a list of maps (key, operator, value, effect, tolerationSeconds). */
  public static final Setting<List<Toleration>> TOLERATIONS = Setting.of("tolerations", Type.ANY,
          K8sComputeProperties::tolerations,
          "Pod tolerations: a list of maps (key, operator, value, effect, tolerationSeconds).")
      .withDefault(List.of(), null);

  /** Default container resources: a map of {@code cores} and {@code memory}. */
  public static final Setting<Resources> RESOURCES = Setting.of("resources", Type.STRING_MAP,
          K8sComputeProperties::resources,
          "Default container resources: {cores, memory}; default 1 core and 1Gi.")
      .withDefault(Resources.of(1, "1Gi"), null);

  /** Render manifests instead of creating anything. */
  public static final Setting<Boolean> DRY_RUN = Setting.bool("dryRun",
      "Render manifests instead of creating anything.").withDefault(false);

  /**
   * S3-compatible endpoint handed to Spark's S3A instead of the storage's own; needs the
   * credentials Secret.
   */
  public static final Setting<String> S3A_ENDPOINT = Setting.string("s3aEndpoint",
      "S3-compatible endpoint handed to Spark's S3A instead of the storage's own; needs"
          + " s3aCredentialsSecret.");

  /** Path-style S3A access (MinIO needs it). */
  public static final Setting<Boolean> S3A_PATH_STYLE = Setting.bool("s3aPathStyle",
      "Path-style S3A access (MinIO needs it).").withDefault(true);

  /** Name of the Kubernetes Secret holding the S3 credentials for Spark. */
  public static final Setting<String> S3A_CREDENTIALS_SECRET = Setting.string(
          "s3aCredentialsSecret",
          "Name of the Kubernetes Secret holding the S3 credentials for Spark; default: the"
              + " Secret that the storage spec's secret references name.")
      .map(K8sNames::objectName);

  /** Key of the access key in that Secret. */
  public static final Setting<String> S3A_ACCESS_KEY_KEY = Setting.string("s3aAccessKeyKey",
      "Key of the access key in that Secret.").map(K8sNames::configKey)
      .withDefault("accessKey");

  /** Key of the secret key in that Secret. */
  public static final Setting<String> S3A_SECRET_KEY_KEY = Setting.string("s3aSecretKeyKey",
      "Key of the secret key in that Secret.").map(K8sNames::configKey)
      .withDefault("secretKey");

  /**
   * A ResourceQuota {@value K8sProperties#QUOTA_NAME} for the namespace: keys of {@link
   * #QUOTA_FIELDS} to Kubernetes quantities; default none.
   */
  public static final Setting<Map<String, String>> QUOTA = Setting.of("quota", Type.STRING_MAP,
          (spec, key) -> quantities(spec, key, QUOTA_FIELDS),
          "ResourceQuota edx-quota of the namespace: {cpu, memory, limitsCpu, limitsMemory,"
              + " pods, persistentVolumeClaims, storage}; default none.")
      .withDefault(Map.of(), null);

  /**
   * A LimitRange {@value K8sProperties#LIMIT_RANGE_NAME} for the namespace's containers: keys of
   * {@link #LIMIT_FIELDS} to Kubernetes quantities; default none.
   */
  public static final Setting<Map<String, String>> LIMITS = Setting.of("limits", Type.STRING_MAP,
          K8sComputeProperties::limitRange,
          "LimitRange edx-limits of the namespace's containers: {defaultCpu, defaultMemory,"
              + " defaultRequestCpu, defaultRequestMemory, minCpu, minMemory, maxCpu,"
              + " maxMemory}; default none.")
      .withDefault(Map.of(), null);

  /**
   * A folder (relative to the spec's folder) that plan/apply/destroy write the provisioned
   * objects to as YAML manifests, one file each, instead of the cluster: for GitOps.
   */
  public static final Setting<Path> MANIFESTS_DIR = Setting.string("manifestsDir",
          "Provision into this folder as YAML manifests (one file per object, for GitOps)"
              + " instead of the cluster; relative to the spec's folder.")
      .map(Path::of);

  private K8sComputeProperties() {}

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  /** {@code resources}: {@code cores} (default 1) and {@code memory} (default 1Gi). */
  private static Optional<Resources> resources(ServiceSpec spec, String key) {
    if (!spec.has(key)) {
      return Optional.empty();
    }
    Map<String, String> values = Specs.getStringMap(spec, key);
    for (String name : values.keySet()) {
      if (!name.equals("cores") && !name.equals("memory")) {
        throw spec.error(key + "." + name, "is not a resource setting; use cores and memory");
      }
    }
    String cores = values.getOrDefault("cores", "1");
    if (!cores.trim().matches("[0-9]{1,9}")) {
      throw spec.error(key + ".cores", "must be a whole number, not '" + cores + "'");
    }
    try {
      return Optional.of(Resources.of(Integer.parseInt(cores.trim()),
          values.getOrDefault("memory", "1Gi")));
    } catch (IllegalArgumentException e) {
      throw spec.error(key, e.getMessage(), e);
    }
  }

  /**
   * A map of quantities under {@code key}: each key one of {@code fields}, each value a
   * non-negative Kubernetes quantity ({@code 500m}, {@code 4}, {@code 8Gi}); {@code pods} and
   * {@code persistentVolumeClaims} whole numbers.
   */
  private static Optional<Map<String, String>> quantities(ServiceSpec spec, String key,
      Map<String, String> fields) {
    if (!spec.has(key)) {
      return Optional.empty();
    }
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
    return Optional.of(values);
  }

  /**
   * {@code limits}: quantities, ordered as the API server requires of a LimitRange once it has
   * filled its defaults ({@link K8sResourceRules#limitRangeProblems}).
   */
  private static Optional<Map<String, String>> limitRange(ServiceSpec spec, String key) {
    Optional<Map<String, String>> limits = quantities(spec, key, LIMIT_FIELDS);
    if (limits.isPresent()) {
      List<K8sResourceRules.Problem> problems =
          K8sResourceRules.limitRangeProblems(limits.get());
      if (!problems.isEmpty()) {
        throw spec.error(key + "." + problems.get(0).key(), problems.stream()
            .map(K8sResourceRules.Problem::rule).collect(Collectors.joining("; "))
            + "; " + K8sResourceRules.LIMIT_RANGE_RULE);
      }
    }
    return limits;
  }

  /** {@code tolerations}: a list of maps, each field named in errors. */
  private static Optional<List<Toleration>> tolerations(ServiceSpec spec, String key) {
    Optional<Object> raw = spec.get(key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    if (!(raw.get() instanceof List<?> list)) {
      throw spec.error(key, "must be a list of tolerations");
    }
    List<Toleration> result = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String item = key + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        throw spec.error(item, "must be a map with key, operator, value, effect");
      }
      TolerationBuilder t = new TolerationBuilder();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String field = String.valueOf(e.getKey());
        String value = String.valueOf(e.getValue());
        if (!TOLERATION_KEYS.contains(field)) {
          throw spec.error(item + "." + field, "is not a toleration field; use "
              + TOLERATION_KEYS);
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
              throw spec.error(item + "." + field, "must be a whole number of seconds");
            }
          }
        }
      }
      Toleration toleration = t.build();
      checkToleration(spec, item, toleration);
      result.add(toleration);
    }
    return Optional.of(List.copyOf(result));
  }

  /**
   * The API server's rules for a toleration ({@code ValidateTolerations}): a key is a qualified
   * name; an empty key needs {@code operator: Exists}; {@code Exists} takes no value; {@code
   * Equal} (the default) takes a label value; the effect is one of {@link #EFFECTS} or empty;
   * {@code tolerationSeconds} only with {@code effect: NoExecute}.
   */
  private static void checkToleration(ServiceSpec spec, String item, Toleration t) {
    String key = t.getKey() == null ? "" : t.getKey();
    String operator = t.getOperator() == null ? "" : t.getOperator();
    String value = t.getValue() == null ? "" : t.getValue();
    String effect = t.getEffect() == null ? "" : t.getEffect();
    if (!key.isEmpty() && !K8sNames.isQualifiedName(key)) {
      throw spec.error(item + ".key", "must be a label key (an optional DNS-subdomain prefix"
          + " and '/', then at most 63 letters, digits, '-', '_' or '.'), not '" + key + "'");
    }
    if (!operator.isEmpty() && !OPERATORS.contains(operator)) {
      throw spec.error(item + ".operator", "must be one of " + OPERATORS + ", not '" + operator
          + "'");
    }
    if (key.isEmpty() && !operator.equals("Exists")) {
      throw spec.error(item + ".operator", "must be Exists when key is empty (which tolerates"
          + " every taint)");
    }
    if (operator.equals("Exists") && !value.isEmpty()) {
      throw spec.error(item + ".value", "must be empty when operator is Exists (it matches"
          + " any value); remove it, or use operator: Equal");
    }
    if (!operator.equals("Exists") && !K8sNames.isLabelValue(value)) {
      throw spec.error(item + ".value", "must be a label value (at most 63 letters, digits,"
          + " '-', '_' or '.'), not '" + value + "'");
    }
    if (!effect.isEmpty() && !EFFECTS.contains(effect)) {
      throw spec.error(item + ".effect", "must be one of " + EFFECTS + " (or left out for all),"
          + " not '" + effect + "'");
    }
    if (t.getTolerationSeconds() != null && !effect.equals("NoExecute")) {
      throw spec.error(item + ".tolerationSeconds", "is only allowed with effect: NoExecute"
          + " (it bounds how long a pod stays on a node tainted NoExecute)");
    }
  }

  /** {@code nodeSelector}: label keys to label values, each named in errors. */
  private static Optional<Map<String, String>> nodeSelector(ServiceSpec spec, String key) {
    if (!spec.has(key)) {
      return Optional.empty();
    }
    Map<String, String> values = Specs.getStringMap(spec, key);
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!K8sNames.isQualifiedName(e.getKey())) {
        throw spec.error(key + "." + e.getKey(), "is not a label key (an optional"
            + " DNS-subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.')");
      }
      if (!K8sNames.isLabelValue(e.getValue())) {
        throw spec.error(key + "." + e.getKey(), "must be a label value (at most 63 letters,"
            + " digits, '-', '_' or '.'), not '" + e.getValue() + "'");
      }
    }
    return Optional.of(values);
  }
}
