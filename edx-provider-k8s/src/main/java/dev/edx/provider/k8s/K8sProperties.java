package dev.edx.provider.k8s;

import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.PropertyDescriptor.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Spec keys of the {@code k8s} compute and secrets providers, each with its default where it has
 * one. The tables in {@code docs/providers/k8s.md} describe them.
 */
public final class K8sProperties {
  // --- connection (compute and secrets) ---

  /** The namespace jobs, secrets and provisioned objects live in. Required. */
  public static final String NAMESPACE = "namespace";
  /** API server URL; overrides the kubeconfig's. Default: fabric8's auto-configuration. */
  public static final String MASTER_URL = "masterUrl";
  /** A kubeconfig file; a relative path resolves against the spec's folder. */
  public static final String KUBECONFIG = "kubeconfig";
  /** The kubeconfig context to use; default: its current context. */
  public static final String CONTEXT = "context";
  /** A bearer token (sensitive); default: the kubeconfig's or the in-cluster service account's. */
  public static final String TOKEN = "token";
  /**
   * A PEM file of the CA that signed the API server's certificate; relative to the spec's folder.
   * Default: the kubeconfig's, the in-cluster one, or the JVM's trust store.
   */
  public static final String CA_CERT_FILE = "caCertFile";
  /** Create missing objects over ones without the managed-by label only when true. */
  public static final String ADOPT = "adopt";
  public static final boolean ADOPT_DEFAULT = false;

  // --- compute ---

  /** The service account TaskJob and ContainerJob pods run as. */
  public static final String SERVICE_ACCOUNT = "serviceAccount";
  public static final String SERVICE_ACCOUNT_DEFAULT = "edx-runner";
  /** The service account of Spark drivers. */
  public static final String SPARK_SERVICE_ACCOUNT = "sparkServiceAccount";
  public static final String SPARK_SERVICE_ACCOUNT_DEFAULT = "edx-spark";
  /** The edx runner image TaskJobs run in. Required to submit TaskJobs. */
  public static final String IMAGE = "image";
  /** The image of Spark drivers and executors; default: the job's spark.kubernetes.container.image. */
  public static final String SPARK_IMAGE = "sparkImage";
  /** {@code spec.sparkVersion} of SparkApplications (required by the CRD). */
  public static final String SPARK_VERSION = "sparkVersion";
  public static final String SPARK_VERSION_DEFAULT = "3.5.5";
  /** {@code Always}, {@code IfNotPresent} or {@code Never}. */
  public static final String IMAGE_PULL_POLICY = "imagePullPolicy";
  public static final String IMAGE_PULL_POLICY_DEFAULT = "IfNotPresent";
  /**
   * An environment spec file the runner opens in the pod instead of the environment's own spec
   * (which is shipped, rendered, by default).
   */
  public static final String RUNNER_SPEC = "runnerSpec";
  /** Job {@code activeDeadlineSeconds}; default none. */
  public static final String ACTIVE_DEADLINE = "activeDeadline";
  /** Job {@code backoffLimit}: retries of a failed pod. */
  public static final String BACKOFF_LIMIT = "backoffLimit";
  public static final int BACKOFF_LIMIT_DEFAULT = 0;
  /** Job {@code ttlSecondsAfterFinished} and SparkApplication {@code timeToLiveSeconds}. */
  public static final String TTL_AFTER_FINISHED = "ttlAfterFinished";
  public static final Duration TTL_AFTER_FINISHED_DEFAULT = Duration.ofDays(1);
  /** How long a job may wait for its pod to start (image pull, scheduling) before it FAILs. */
  public static final String START_DEADLINE = "startDeadline";
  public static final Duration START_DEADLINE_DEFAULT = Duration.ofMinutes(5);
  /** Pod {@code nodeSelector}: a map. */
  public static final String NODE_SELECTOR = "nodeSelector";
  /** Pod {@code tolerations}: a list of maps (key, operator, value, effect, tolerationSeconds). */
  public static final String TOLERATIONS = "tolerations";
  /** Default container resources: a map with {@code cores} and {@code memory}. */
  public static final String RESOURCES = "resources";
  public static final int RESOURCES_CORES_DEFAULT = 1;
  public static final String RESOURCES_MEMORY_DEFAULT = "1Gi";
  /** Render manifests instead of creating anything. */
  public static final String DRY_RUN = "dryRun";
  public static final boolean DRY_RUN_DEFAULT = false;
  /** S3-compatible storage endpoint handed to Spark's S3A; default none (no S3A settings). */
  public static final String S3A_ENDPOINT = "s3aEndpoint";
  /** Path-style S3A access (MinIO needs it). */
  public static final String S3A_PATH_STYLE = "s3aPathStyle";
  public static final boolean S3A_PATH_STYLE_DEFAULT = true;
  /** Name of the Kubernetes Secret holding the S3 credentials for Spark. */
  public static final String S3A_CREDENTIALS_SECRET = "s3aCredentialsSecret";
  /** Key of the access key in that Secret. */
  public static final String S3A_ACCESS_KEY_KEY = "s3aAccessKeyKey";
  public static final String S3A_ACCESS_KEY_KEY_DEFAULT = "accessKey";
  /** Key of the secret key in that Secret. */
  public static final String S3A_SECRET_KEY_KEY = "s3aSecretKeyKey";
  public static final String S3A_SECRET_KEY_KEY_DEFAULT = "secretKey";

  // --- provisioning ---

  /**
   * A ResourceQuota {@value #QUOTA_NAME} for the namespace: a map of {@code cpu}, {@code memory},
   * {@code limitsCpu}, {@code limitsMemory}, {@code pods}, {@code persistentVolumeClaims} and
   * {@code storage} (Kubernetes quantities); default none.
   */
  public static final String QUOTA = "quota";
  /** The name of the provisioned ResourceQuota. */
  public static final String QUOTA_NAME = "edx-quota";
  /**
   * A LimitRange {@value #LIMIT_RANGE_NAME} for the namespace's containers: a map of {@code
   * defaultCpu}, {@code defaultMemory}, {@code defaultRequestCpu}, {@code defaultRequestMemory},
   * {@code minCpu}, {@code minMemory}, {@code maxCpu} and {@code maxMemory}; default none.
   */
  public static final String LIMITS = "limits";
  /** The name of the provisioned LimitRange. */
  public static final String LIMIT_RANGE_NAME = "edx-limits";
  /**
   * A folder (relative to the spec's folder) that plan/apply/destroy write the provisioned
   * objects to as YAML manifests, one file each, instead of the cluster: for GitOps.
   */
  public static final String MANIFESTS_DIR = "manifestsDir";

  static final List<String> CONNECTION_KEYS = List.of(NAMESPACE, MASTER_URL, KUBECONFIG, CONTEXT,
      TOKEN, CA_CERT_FILE);

  /** The keys of a {@code k8s} compute spec. */
  public static final Set<String> COMPUTE_KEYS = Stream.concat(CONNECTION_KEYS.stream(), Stream.of(
      ADOPT, SERVICE_ACCOUNT, SPARK_SERVICE_ACCOUNT, IMAGE, SPARK_IMAGE, SPARK_VERSION,
      IMAGE_PULL_POLICY, RUNNER_SPEC, ACTIVE_DEADLINE, BACKOFF_LIMIT, TTL_AFTER_FINISHED,
      START_DEADLINE, NODE_SELECTOR, TOLERATIONS, RESOURCES, DRY_RUN, S3A_ENDPOINT, S3A_PATH_STYLE,
      S3A_CREDENTIALS_SECRET, S3A_ACCESS_KEY_KEY, S3A_SECRET_KEY_KEY, QUOTA, LIMITS,
      MANIFESTS_DIR))
      .collect(Collectors.toUnmodifiableSet());

  /** The keys of a {@code k8s} secrets spec. */
  public static final Set<String> SECRETS_KEYS = Stream.concat(CONNECTION_KEYS.stream(),
      Stream.of(ADOPT)).collect(Collectors.toUnmodifiableSet());

  /** Sensitive keys: masked in logs and rendered specs. */
  public static final Set<String> SENSITIVE_KEYS = Set.of(TOKEN);

  /** The connection settings, shared by compute and secrets. */
  private static List<PropertyDescriptor> connectionProperties() {
    return List.of(
        PropertyDescriptor.required(NAMESPACE, Type.STRING,
            "The namespace jobs, secrets and provisioned objects live in."),
        PropertyDescriptor.optional(MASTER_URL, Type.STRING, null,
            "API server URL; overrides the kubeconfig's."),
        PropertyDescriptor.optional(KUBECONFIG, Type.STRING, null,
            "A kubeconfig file, relative to the spec's folder; default: fabric8's"
                + " auto-configuration (KUBECONFIG, ~/.kube/config or in-cluster)."),
        PropertyDescriptor.optional(CONTEXT, Type.STRING, null,
            "The kubeconfig context; default: its current context."),
        PropertyDescriptor.optional(TOKEN, Type.STRING, null,
            "A bearer token; default: the kubeconfig's or the in-cluster service account's.")
            .asSensitive(),
        PropertyDescriptor.optional(CA_CERT_FILE, Type.STRING, null,
            "PEM file of the API server's CA, relative to the spec's folder; default: the"
                + " kubeconfig's or the in-cluster one. TLS is always verified."));
  }

  /** The settings of the {@code k8s} compute provider. */
  static List<PropertyDescriptor> computeProperties() {
    List<PropertyDescriptor> properties = new ArrayList<>(connectionProperties());
    properties.addAll(List.of(
        PropertyDescriptor.optional(ADOPT, Type.BOOLEAN, Boolean.toString(ADOPT_DEFAULT),
            "Take over the namespace, service accounts, Roles and RoleBindings that exist without"
                + " edx's labels."),
        PropertyDescriptor.optional(SERVICE_ACCOUNT, Type.STRING, SERVICE_ACCOUNT_DEFAULT,
            "The service account TaskJob and ContainerJob pods run as."),
        PropertyDescriptor.optional(SPARK_SERVICE_ACCOUNT, Type.STRING,
            SPARK_SERVICE_ACCOUNT_DEFAULT, "The service account of Spark drivers."),
        PropertyDescriptor.optional(IMAGE, Type.STRING, null,
            "The edx runner image TaskJobs run in; required to submit TaskJobs."),
        PropertyDescriptor.optional(SPARK_IMAGE, Type.STRING, null,
            "The image of Spark drivers and executors; default: the job's"
                + " spark.kubernetes.container.image."),
        PropertyDescriptor.optional(SPARK_VERSION, Type.STRING, SPARK_VERSION_DEFAULT,
            "spec.sparkVersion of SparkApplications."),
        PropertyDescriptor.optional(IMAGE_PULL_POLICY, Type.STRING, IMAGE_PULL_POLICY_DEFAULT,
            "Always, IfNotPresent or Never."),
        PropertyDescriptor.optional(RUNNER_SPEC, Type.STRING, null,
            "A spec file TaskJob pods open instead of the environment's own rendered spec;"
                + " relative to the spec's folder."),
        PropertyDescriptor.optional(ACTIVE_DEADLINE, Type.DURATION, null,
            "Job activeDeadlineSeconds; default none."),
        PropertyDescriptor.optional(BACKOFF_LIMIT, Type.INTEGER,
            Integer.toString(BACKOFF_LIMIT_DEFAULT), "Job backoffLimit: retries of a failed pod."),
        PropertyDescriptor.optional(TTL_AFTER_FINISHED, Type.DURATION,
            TTL_AFTER_FINISHED_DEFAULT.toString(),
            "Job ttlSecondsAfterFinished and SparkApplication timeToLiveSeconds."),
        PropertyDescriptor.optional(START_DEADLINE, Type.DURATION,
            START_DEADLINE_DEFAULT.toString(),
            "How long a job's pod may take to start before the job fails."),
        PropertyDescriptor.optional(NODE_SELECTOR, Type.STRING_MAP, null, "Pod nodeSelector."),
        PropertyDescriptor.optional(TOLERATIONS, Type.ANY, null,
            "Pod tolerations: a list of maps (key, operator, value, effect,"
                + " tolerationSeconds)."),
        PropertyDescriptor.optional(RESOURCES, Type.STRING_MAP, null,
            "Default container resources: {cores, memory}; default 1 core and 1Gi."),
        PropertyDescriptor.optional(DRY_RUN, Type.BOOLEAN, Boolean.toString(DRY_RUN_DEFAULT),
            "Render manifests instead of creating anything."),
        PropertyDescriptor.optional(S3A_ENDPOINT, Type.STRING, null,
            "S3-compatible endpoint handed to Spark's S3A; needs s3aCredentialsSecret."),
        PropertyDescriptor.optional(S3A_PATH_STYLE, Type.BOOLEAN,
            Boolean.toString(S3A_PATH_STYLE_DEFAULT), "Path-style S3A access (MinIO needs it)."),
        PropertyDescriptor.optional(S3A_CREDENTIALS_SECRET, Type.STRING, null,
            "Name of the Kubernetes Secret holding the S3 credentials for Spark."),
        PropertyDescriptor.optional(S3A_ACCESS_KEY_KEY, Type.STRING, S3A_ACCESS_KEY_KEY_DEFAULT,
            "Key of the access key in that Secret."),
        PropertyDescriptor.optional(S3A_SECRET_KEY_KEY, Type.STRING, S3A_SECRET_KEY_KEY_DEFAULT,
            "Key of the secret key in that Secret."),
        PropertyDescriptor.optional(QUOTA, Type.STRING_MAP, null,
            "ResourceQuota edx-quota of the namespace: {cpu, memory, limitsCpu, limitsMemory,"
                + " pods, persistentVolumeClaims, storage}; default none."),
        PropertyDescriptor.optional(LIMITS, Type.STRING_MAP, null,
            "LimitRange edx-limits of the namespace's containers: {defaultCpu, defaultMemory,"
                + " defaultRequestCpu, defaultRequestMemory, minCpu, minMemory, maxCpu,"
                + " maxMemory}; default none."),
        PropertyDescriptor.optional(MANIFESTS_DIR, Type.STRING, null,
            "Provision into this folder as YAML manifests (one file per object, for GitOps)"
                + " instead of the cluster; relative to the spec's folder.")));
    return List.copyOf(properties);
  }

  /** The settings of the {@code k8s} secrets provider. */
  static List<PropertyDescriptor> secretsProperties() {
    List<PropertyDescriptor> properties = new ArrayList<>(connectionProperties());
    properties.add(PropertyDescriptor.optional(ADOPT, Type.BOOLEAN,
        Boolean.toString(ADOPT_DEFAULT),
        "Let put and delete replace and remove Secrets that lack the managed-by label."));
    return List.copyOf(properties);
  }

  // --- labels ---

  /** The label edx puts on everything it creates, with value {@link #MANAGED_BY_VALUE}. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "edx";
  /** The label naming the environment that owns a provisioned object. */
  public static final String ENVIRONMENT_LABEL = "edx.dev/environment";
  /** The label carrying the edx job id on a job's objects and pods. */
  public static final String JOB_ID_LABEL = "edx.dev/job-id";

  private K8sProperties() {}
}
