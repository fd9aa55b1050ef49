package dev.edx.provider.k8s;

import static dev.edx.provider.k8s.K8sProperties.JOB_ID_LABEL;
import static dev.edx.provider.k8s.K8sProperties.MANAGED_BY;
import static dev.edx.provider.k8s.K8sProperties.MANAGED_BY_VALUE;
import static java.util.Objects.requireNonNull;

import dev.edx.api.ContainerJob;
import dev.edx.api.Resources;
import dev.edx.api.SparkJob;
import dev.edx.api.TaskJob;
import dev.edx.provider.k8s.runner.EdxRunner;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the objects a job becomes: a ConfigMap and a Job for a TaskJob, a Job for a
 * ContainerJob, a SparkApplication for a SparkJob. Every object and pod carries {@code
 * app.kubernetes.io/managed-by=edx} and {@code edx.dev/job-id=<id>}. Package-private: not public
 * API.
 */
final class K8sManifests {
  /** spark-operator's SparkApplication, {@code sparkoperator.k8s.io/v1beta2}. */
  static final ResourceDefinitionContext SPARK_APPLICATION = new ResourceDefinitionContext.Builder()
      .withGroup("sparkoperator.k8s.io").withVersion("v1beta2").withKind("SparkApplication")
      .withPlural("sparkapplications").withNamespaced(true).build();
  static final String SPARK_API_VERSION = "sparkoperator.k8s.io/v1beta2";
  /** Where a TaskJob's ConfigMap is mounted, and the spec file in it. */
  static final String CONFIG_MOUNT = "/etc/edx";
  static final String SPEC_KEY = "environment.yaml";
  static final String CONTAINER = "main";
  static final String JOB_KIND_LABEL = "edx.dev/job-kind";
  static final String JOB_NAME_ANNOTATION = "edx.dev/job-name";

  /** The unified image key; with the driver's and executor's, spec.image and their image. */
  static final String CONTAINER_IMAGE = "spark.kubernetes.container.image";
  static final String DRIVER_IMAGE = "spark.kubernetes.driver.container.image";
  static final String EXECUTOR_IMAGE = "spark.kubernetes.executor.container.image";
  static final String NAMESPACE_KEY = "spark.kubernetes.namespace";
  /**
   * The {@code sparkConf} keys spark-operator's webhook refuses (besides the image keys) and why,
   * as it says.
   */
  static final Map<String, String> REFUSED_CONF = refusedConf();

  private static final Pattern MEMORY = Pattern.compile("([0-9]+)([kKmMgGtT]|[KMGT]i)?[bB]?");

  private final K8sComputeSettings settings;

  K8sManifests(K8sComputeSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
  }

  private static Map<String, String> refusedConf() {
    Map<String, String> refused = new LinkedHashMap<>();
    String managed = "this value is managed by the operator";
    refused.put("spark.master", managed);
    refused.put("spark.kubernetes.driver.master", managed);
    String account = "configure the service account via the CRD spec instead (set"
        + " spec.compute." + K8sComputeProperties.SPARK_SERVICE_ACCOUNT.key() + ")";
    refused.put("spark.kubernetes.authenticate.driver.serviceAccountName", account);
    refused.put("spark.kubernetes.authenticate.executor.serviceAccountName", account);
    String credentials = "authentication credentials are managed by the operator";
    for (String scope : List.of("", "driver.", "executor.")) {
      refused.put("spark.kubernetes.authenticate." + scope + "oauthTokenFile", credentials);
      refused.put("spark.kubernetes.authenticate." + scope + "oauthToken", credentials);
    }
    return java.util.Collections.unmodifiableMap(refused);
  }

  static Map<String, String> labels(String id, String kind) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    labels.put(JOB_ID_LABEL, id);
    labels.put(JOB_KIND_LABEL, kind);
    return labels;
  }

  private ObjectMeta meta(String id, String kind, String name) {
    return new ObjectMetaBuilder().withName(id).withNamespace(settings.namespace())
        .withLabels(labels(id, kind)).withAnnotations(Map.of(JOB_NAME_ANNOTATION, name)).build();
  }

  // --- TaskJob ---

  /** The ConfigMap holding the environment spec the runner opens. */
  ConfigMap taskConfigMap(String id, TaskJob job, String environmentSpec) {
    return new ConfigMapBuilder().withMetadata(meta(id, "task", job.name()))
        .withData(Map.of(SPEC_KEY, environmentSpec)).build();
  }

  Job taskJob(String id, TaskJob job, String image) {
    List<EnvVar> env = new ArrayList<>();
    env.add(env(EdxRunner.ENV_JOB_ID, id));
    env.add(env(EdxRunner.ENV_TASK_CLASS, job.taskClass()));
    env.add(env(EdxRunner.ENV_TASK_PARAMS, Serialization.asJson(new TreeMap<>(job.params()))));
    env.add(env(EdxRunner.ENV_SPEC, CONFIG_MOUNT + "/" + SPEC_KEY));
    Container container = container(image)
        .withEnv(env)
        .addNewVolumeMount().withName("edx-config").withMountPath(CONFIG_MOUNT)
        .withReadOnly(true).endVolumeMount()
        .build();
    Job built = job(id, "task", job.name(), container);
    built.getSpec().getTemplate().getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model
        .VolumeBuilder().withName("edx-config").withNewConfigMap().withName(id).endConfigMap()
        .build());
    return built;
  }

  // --- ContainerJob ---

  Job containerJob(String id, ContainerJob job) {
    List<EnvVar> env = new ArrayList<>();
    new TreeMap<>(job.env()).forEach((k, v) -> env.add(env(k, v)));
    Container container = container(job.image()).withCommand(job.command()).withEnv(env).build();
    return job(id, "container", job.name(), container);
  }

  /**
   * A container requesting {@code resources} and limited to the same CPU and memory, so that no
   * LimitRange default can set a limit below the request and a quota on {@code limits.cpu} or
   * {@code limits.memory} admits it.
   */
  private ContainerBuilder container(String image) {
    Resources r = settings.resources();
    return new ContainerBuilder().withName(CONTAINER).withImage(image)
        .withImagePullPolicy(settings.imagePullPolicy())
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withResources(new ResourceRequirementsBuilder()
            .withRequests(Map.of("cpu", new Quantity(Integer.toString(r.cores())),
                "memory", new Quantity(kubernetesMemory(r.memory()))))
            .withLimits(Map.of("cpu", new Quantity(Integer.toString(r.cores())),
                "memory", new Quantity(kubernetesMemory(r.memory()))))
            .build());
  }

  private Job job(String id, String kind, String name, Container container) {
    JobSpecBuilder spec = new JobSpecBuilder()
        .withBackoffLimit(settings.backoffLimit())
        .withNewTemplate()
          .withNewMetadata().withLabels(labels(id, kind)).endMetadata()
          .withNewSpec()
            .withRestartPolicy("Never")
            .withServiceAccountName(settings.serviceAccount())
            .withNodeSelector(settings.nodeSelector().isEmpty() ? null
                : new TreeMap<>(settings.nodeSelector()))
            .withTolerations(settings.tolerations())
            .withContainers(container)
          .endSpec()
        .endTemplate();
    settings.activeDeadline().ifPresent(d -> spec.withActiveDeadlineSeconds(d.toSeconds()));
    settings.ttlAfterFinished().ifPresent(d -> spec.withTtlSecondsAfterFinished(
        (int) Math.min(Integer.MAX_VALUE, d.toSeconds())));
    return new JobBuilder().withMetadata(meta(id, kind, name)).withSpec(spec.build()).build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  // --- SparkJob ---

  /**
   * The SparkApplication of a SparkJob. With an S3A endpoint configured, the S3A endpoint and
   * path-style access go into {@code sparkConf} and the credentials into the driver's and
   * executors' environment as {@code secretKeyRef}s: never a value.
   */
  GenericKubernetesResource sparkApplication(String id, SparkJob job) {
    return sparkApplication(id, job, K8sSparkStorage.NONE);
  }

  /**
   * The SparkApplication of a SparkJob whose pods reach the environment's storage as {@code
   * storage} says: its S3A conf under the job's own, its credentials as {@code secretKeyRef}s.
   */
  GenericKubernetesResource sparkApplication(String id, SparkJob job, K8sSparkStorage storage) {
    Map<String, String> conf = new TreeMap<>(storage.conf());
    conf.putAll(job.conf());
    refuseOperatorKeys(job, conf);
    // spark-operator's webhook refuses the image keys in sparkConf: they become CRD fields.
    Optional<String> confImage = Optional.ofNullable(conf.remove(CONTAINER_IMAGE));
    Optional<String> driverImage = Optional.ofNullable(conf.remove(DRIVER_IMAGE));
    Optional<String> executorImage = Optional.ofNullable(conf.remove(EXECUTOR_IMAGE));
    Optional<String> image = settings.sparkImage().or(() -> confImage);
    if (image.isEmpty() && (driverImage.isEmpty() || executorImage.isEmpty())) {
      throw new IllegalArgumentException("Cannot submit SparkJob '" + job.name()
          + "': no image; set spec.compute." + K8sComputeProperties.SPARK_IMAGE.key()
          + " or the job's " + CONTAINER_IMAGE);
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    boolean python = job.applicationResource().toLowerCase(Locale.ROOT).endsWith(".py");
    spec.put("type", python ? "Python" : "Scala");
    if (python) {
      spec.put("pythonVersion", "3");
    }
    spec.put("mode", "cluster");
    image.ifPresent(i -> spec.put("image", i));
    spec.put("imagePullPolicy", settings.imagePullPolicy());
    if (!job.mainClass().isEmpty()) {
      spec.put("mainClass", job.mainClass());
    }
    spec.put("mainApplicationFile", job.applicationResource());
    spec.put("arguments", job.args());
    spec.put("sparkVersion", settings.sparkVersion());
    checkSparkPod(job, "driver", job.driver(), conf, python);
    checkSparkPod(job, "executor", job.executor(), conf, python);
    List<Map<String, Object>> env = new ArrayList<>(storage.env());
    if (settings.s3aEndpoint().isPresent()) {
      String endpoint = settings.s3aEndpoint().get();
      conf.put("spark.hadoop.fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
      conf.put("spark.hadoop.fs.s3a.endpoint", endpoint);
      conf.put("spark.hadoop.fs.s3a.path.style.access", Boolean.toString(settings.s3aPathStyle()));
      conf.put("spark.hadoop.fs.s3a.connection.ssl.enabled",
          Boolean.toString(!endpoint.startsWith("http://")));
      String secret = settings.s3aCredentialsSecret().orElseThrow();
      // S3A's default credential chain reads these variables.
      env.add(secretEnv("AWS_ACCESS_KEY_ID", secret, settings.s3aAccessKeyKey()));
      env.add(secretEnv("AWS_SECRET_ACCESS_KEY", secret, settings.s3aSecretKeyKey()));
    }
    spec.put("sparkConf", conf);
    spec.put("restartPolicy", Map.of("type", "Never"));
    settings.ttlAfterFinished().ifPresent(d -> spec.put("timeToLiveSeconds", d.toSeconds()));
    if (!settings.nodeSelector().isEmpty()) {
      spec.put("nodeSelector", new TreeMap<>(settings.nodeSelector()));
    }
    Map<String, Object> driver = sparkPod(id, job.driver(), driverImage, env);
    driver.put("serviceAccount", settings.sparkServiceAccount());
    spec.put("driver", driver);
    Map<String, Object> executor = sparkPod(id, job.executor(), executorImage, env);
    executor.put("instances", job.executorInstances());
    spec.put("executor", executor);
    return new GenericKubernetesResourceBuilder().withApiVersion(SPARK_API_VERSION)
        .withKind("SparkApplication").withMetadata(meta(id, "spark", job.name()))
        .withAdditionalProperties(Map.of("spec", spec)).build();
  }

  /**
   * A driver or executor: its cores are its CPU request and, as {@code coreLimit}, its CPU limit,
   * so no LimitRange default can set a limit below the request, and a quota on {@code
   * limits.cpu} admits it.
   */
  private Map<String, Object> sparkPod(String id, Resources resources, Optional<String> image,
      List<Map<String, Object>> env) {
    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("cores", resources.cores());
    pod.put("coreLimit", Integer.toString(resources.cores()));
    image.ifPresent(i -> pod.put("image", i));
    pod.put("memory", sparkMemory(resources.memory()));
    pod.put("labels", labels(id, "spark"));
    if (!env.isEmpty()) {
      pod.put("env", env);
    }
    if (!settings.tolerations().isEmpty()) {
      pod.put("tolerations", settings.tolerations().stream()
          .map(t -> Serialization.jsonMapper().convertValue(t, Map.class)).toList());
    }
    return pod;
  }

  /**
   * Refuses the {@code sparkConf} keys spark-operator's validating webhook refuses (v2.5.2:
   * {@code internal/webhook/sparkconf_validator.go}), other than the image keys, which become
   * CRD fields. The message never holds a value (a token is a secret).
   */
  private void refuseOperatorKeys(SparkJob job, Map<String, String> conf) {
    for (Map.Entry<String, String> e : REFUSED_CONF.entrySet()) {
      if (conf.containsKey(e.getKey())) {
        throw new IllegalArgumentException("Cannot submit SparkJob '" + job.name() + "': its"
            + " conf sets " + e.getKey() + ", which spark-operator's webhook refuses in"
            + " sparkConf: " + e.getValue() + "; remove it from the job's conf");
      }
    }
    String namespace = conf.get(NAMESPACE_KEY);
    if (namespace != null && !namespace.equals(settings.namespace())) {
      throw new IllegalArgumentException("Cannot submit SparkJob '" + job.name() + "': its"
          + " conf sets " + NAMESPACE_KEY + " to '" + namespace + "', but spark-operator's"
          + " webhook requires it to equal the application's namespace ('"
          + settings.namespace() + "', spec.compute.namespace); remove it from the job's conf");
    }
  }

  /**
   * Refuses a driver or executor that the API server would not admit into the namespace: a CPU
   * or memory (with Spark's overhead) outside {@code limits}, or above {@code quota}.
   */
  private void checkSparkPod(SparkJob job, String role, Resources resources,
      Map<String, String> conf, boolean python) {
    BigDecimal cores = BigDecimal.valueOf(resources.cores());
    BigDecimal memory = K8sResourceRules.sparkPodMemory(role, resources.memory(), conf, python);
    Map<String, BigDecimal> amounts = Map.of("cpu", cores, "memory", memory);
    List<String> problems = K8sResourceRules.containerProblems("its " + role + " ("
        + resources.cores() + " cores, " + resources.memory() + " and Spark's memory overhead)",
        amounts, amounts, settings.limits(), settings.quota());
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Cannot submit SparkJob '" + job.name() + "': "
          + String.join("; ", problems) + ": the API server would refuse the pod");
    }
  }

  /** The requests (and limits) of a TaskJob's or ContainerJob's container: cores and memory. */
  static Map<String, BigDecimal> jobRequests(Resources resources) {
    return Map.of("cpu", BigDecimal.valueOf(resources.cores()),
        "memory", K8sResourceRules.memory(resources.memory()));
  }

  private static Map<String, Object> secretEnv(String name, String secret, String key) {
    return Map.of("name", name,
        "valueFrom", Map.of("secretKeyRef", Map.of("name", secret, "key", key)));
  }

  // --- memory notations ---

  /** {@code 512m} (Spark: MiB) to {@code 512Mi}; {@code 4Gi} stays; a bare number is bytes. */
  static String kubernetesMemory(String memory) {
    Matcher m = MEMORY.matcher(memory);
    if (!m.matches()) {
      throw new IllegalArgumentException("Invalid memory '" + memory + "'");
    }
    String unit = m.group(2);
    if (unit == null) {
      return m.group(1);
    }
    if (unit.endsWith("i")) {
      return m.group(1) + unit;
    }
    return m.group(1) + unit.toUpperCase(Locale.ROOT) + "i";
  }

  /** {@code 4Gi} to Spark's {@code 4g}; {@code 512m} stays; a bare number is bytes. */
  static String sparkMemory(String memory) {
    Matcher m = MEMORY.matcher(memory);
    if (!m.matches()) {
      throw new IllegalArgumentException("Invalid memory '" + memory + "'");
    }
    String unit = m.group(2);
    if (unit == null) {
      return m.group(1) + "b";
    }
    return m.group(1) + unit.substring(0, 1).toLowerCase(Locale.ROOT);
  }
}
