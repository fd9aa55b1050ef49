package dev.edx.provider.k8s;

import static dev.edx.provider.k8s.K8sComputeProperties.ACTIVE_DEADLINE;
import static dev.edx.provider.k8s.K8sComputeProperties.ADOPT;
import static dev.edx.provider.k8s.K8sComputeProperties.BACKOFF_LIMIT;
import static dev.edx.provider.k8s.K8sComputeProperties.DRY_RUN;
import static dev.edx.provider.k8s.K8sComputeProperties.IMAGE;
import static dev.edx.provider.k8s.K8sComputeProperties.IMAGE_PULL_POLICY;
import static dev.edx.provider.k8s.K8sComputeProperties.LIMITS;
import static dev.edx.provider.k8s.K8sComputeProperties.MANIFESTS_DIR;
import static dev.edx.provider.k8s.K8sComputeProperties.NODE_SELECTOR;
import static dev.edx.provider.k8s.K8sComputeProperties.QUOTA;
import static dev.edx.provider.k8s.K8sComputeProperties.RESOURCES;
import static dev.edx.provider.k8s.K8sComputeProperties.RUNNER_SPEC;
import static dev.edx.provider.k8s.K8sComputeProperties.S3A_ACCESS_KEY_KEY;
import static dev.edx.provider.k8s.K8sComputeProperties.S3A_CREDENTIALS_SECRET;
import static dev.edx.provider.k8s.K8sComputeProperties.S3A_ENDPOINT;
import static dev.edx.provider.k8s.K8sComputeProperties.S3A_PATH_STYLE;
import static dev.edx.provider.k8s.K8sComputeProperties.S3A_SECRET_KEY_KEY;
import static dev.edx.provider.k8s.K8sComputeProperties.SERVICE_ACCOUNT;
import static dev.edx.provider.k8s.K8sComputeProperties.SPARK_IMAGE;
import static dev.edx.provider.k8s.K8sComputeProperties.SPARK_SERVICE_ACCOUNT;
import static dev.edx.provider.k8s.K8sComputeProperties.SPARK_VERSION;
import static dev.edx.provider.k8s.K8sComputeProperties.START_DEADLINE;
import static dev.edx.provider.k8s.K8sComputeProperties.TOLERATIONS;
import static dev.edx.provider.k8s.K8sComputeProperties.TTL_AFTER_FINISHED;
import static java.util.Objects.requireNonNull;

import dev.edx.api.Resources;
import dev.edx.api.spi.ServiceSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values of a {@code k8s} compute spec, read once through the settings {@link
 * K8sComputeProperties} and {@link K8sConnectionProperties} declare ({@link #from}), which also
 * check them: the record itself only requires its values.
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
 * @param quota the namespace's ResourceQuota: spec keys of {@link
 *     K8sComputeProperties#QUOTA_FIELDS} to quantities; empty for none
 * @param limits the namespace's LimitRange: spec keys of {@link
 *     K8sComputeProperties#LIMIT_FIELDS} to quantities; empty for none
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
    quota = Map.copyOf(requireNonNull(quota, "quota is null"));
    limits = Map.copyOf(requireNonNull(limits, "limits is null"));
    requireNonNull(manifestsDir, "manifestsDir is null");
  }

  /**
   * Reads a {@code k8s} compute spec that edx has checked against the provider's settings;
   * relative paths resolve against {@code baseDirectory}. A bad value names its key.
   */
  static K8sComputeSettings from(ServiceSpec spec, Path baseDirectory) {
    Optional<String> endpoint = S3A_ENDPOINT.find(spec);
    Optional<String> credentials = S3A_CREDENTIALS_SECRET.find(spec);
    if (endpoint.isPresent() && credentials.isEmpty()) {
      throw spec.error(S3A_ENDPOINT.key(), "needs " + S3A_CREDENTIALS_SECRET.key() + ": the"
          + " Secret holding the S3 credentials Spark reads (edx never puts credentials in a"
          + " manifest)");
    }
    Resources resources = RESOURCES.get(spec);
    Map<String, String> quota = QUOTA.get(spec);
    Map<String, String> limits = LIMITS.get(spec);
    List<String> problems = K8sResourceRules.containerProblems("a TaskJob or ContainerJob"
        + " container", K8sManifests.jobRequests(resources), K8sManifests.jobRequests(resources),
        limits, quota);
    if (!problems.isEmpty()) {
      throw spec.error(RESOURCES.key(), String.join("; ", problems) + ": the API server would"
          + " refuse every such pod; change " + RESOURCES.key() + " or the limits and quota");
    }
    return new K8sComputeSettings(K8sConnectionProperties.NAMESPACE.get(spec),
        SERVICE_ACCOUNT.get(spec), SPARK_SERVICE_ACCOUNT.get(spec), IMAGE.find(spec),
        SPARK_IMAGE.find(spec), SPARK_VERSION.get(spec), IMAGE_PULL_POLICY.get(spec),
        K8sConnection.existingFile(spec, baseDirectory, RUNNER_SPEC), ACTIVE_DEADLINE.find(spec),
        BACKOFF_LIMIT.get(spec), Optional.of(TTL_AFTER_FINISHED.get(spec)),
        START_DEADLINE.get(spec), NODE_SELECTOR.get(spec), TOLERATIONS.get(spec),
        resources, DRY_RUN.get(spec), endpoint, S3A_PATH_STYLE.get(spec), credentials,
        S3A_ACCESS_KEY_KEY.get(spec), S3A_SECRET_KEY_KEY.get(spec), ADOPT.get(spec),
        quota, limits,
        MANIFESTS_DIR.find(spec).map(p -> K8sConnection.resolve(baseDirectory, p)));
  }
}
