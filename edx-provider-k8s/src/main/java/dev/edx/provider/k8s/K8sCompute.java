package dev.edx.provider.k8s;

import static dev.edx.provider.k8s.K8sProperties.JOB_ID_LABEL;
import static dev.edx.provider.k8s.K8sProperties.MANAGED_BY;
import static dev.edx.provider.k8s.K8sProperties.MANAGED_BY_VALUE;
import static java.util.Objects.requireNonNull;

import dev.edx.api.Compute;
import dev.edx.api.ContainerJob;
import dev.edx.api.JobHandle;
import dev.edx.api.JobSpec;
import dev.edx.api.S3Access;
import dev.edx.api.SparkJob;
import dev.edx.api.TaskJob;
import dev.edx.api.exceptions.AccessDeniedException;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.exceptions.NoSuchJobException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.Provisioner;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compute on Kubernetes: the {@code k8s} provider.
 *
 * <ul>
 *   <li>{@link TaskJob}: a ConfigMap with the environment spec and a {@code batch/v1} Job running
 *       the edx runner image ({@code image}), whose entry point is {@link
 *       dev.edx.provider.k8s.runner.EdxRunner}. The spec is the environment's own, rendered
 *       ({@link dev.edx.api.spi.ProviderContext#renderedSpec()}: {@code ${...}} references kept
 *       as written, literal sensitive values masked, so it never holds a secret); {@code
 *       runnerSpec} names a file to ship instead;
 *   <li>{@link ContainerJob}: a Job with the image, command and environment;
 *   <li>{@link SparkJob}: a spark-operator {@code SparkApplication} ({@code
 *       sparkoperator.k8s.io/v1beta2}).
 * </ul>
 *
 * <p>Every object carries {@code app.kubernetes.io/managed-by=edx} and {@code
 * edx.dev/job-id=<id>}; the job id is the objects' name. A job whose pod cannot start (image pull,
 * configuration, unschedulable, no pod at all) within {@code startDeadline} ends FAILED with the
 * reason and its objects are deleted. With {@code dryRun} nothing is created: see {@link
 * #submit}. As a {@link Provisioner} it manages the namespace, its ResourceQuota and
 * LimitRange, the service accounts and their least-privilege Roles ({@link K8sProvisioning}),
 * labelled with the environment's name, in the cluster or, with {@code manifestsDir}, as
 * manifest files for GitOps ({@link #renderManifests}). Thread safe.
 */
public final class K8sCompute implements Compute, Provisioner, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(K8sCompute.class);

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final K8sComputeSettings settings;
  private final K8sManifests manifests;
  private final K8sProvisioning provisioning;
  private final Optional<K8sManifestFolder> manifestFolder;
  private final String environment;
  private final Supplier<Optional<String>> renderedSpec;
  private final Supplier<Optional<S3Access>> storage;
  private final InstantSource clock;
  private final ConcurrentMap<String, K8sJob> jobs = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Compute whose TaskJobs need {@code runnerSpec}, since it has no environment spec to ship.
   *
   * @param client the client to use
   * @param ownsClient whether {@link #close()} closes the client
   * @param settings the settings
   * @param environment the environment's name, which labels the objects it provisions
   */
  public K8sCompute(KubernetesClient client, boolean ownsClient, K8sComputeSettings settings,
      String environment) {
    this(client, ownsClient, settings, environment, Optional::empty);
  }

  /**
   * @param client the client to use
   * @param ownsClient whether {@link #close()} closes the client
   * @param settings the settings
   * @param environment the environment's name, which labels the objects it provisions
   * @param renderedSpec the environment's rendered spec, shipped to TaskJob pods unless {@code
   *     runnerSpec} is set; asked for at the first TaskJob
   */
  public K8sCompute(KubernetesClient client, boolean ownsClient, K8sComputeSettings settings,
      String environment, Supplier<Optional<String>> renderedSpec) {
    this(client, ownsClient, settings, environment, renderedSpec, InstantSource.system());
  }

  /**
   * Compute that measures time on {@code clock}: the {@code startDeadline} of jobs and the
   * timeouts of {@link JobHandle#await}. Tests pass a clock they move; the other constructors use
   * the system clock.
   *
   * @param client the client to use
   * @param ownsClient whether {@link #close()} closes the client
   * @param settings the settings
   * @param environment the environment's name, which labels the objects it provisions
   * @param renderedSpec the environment's rendered spec, shipped to TaskJob pods unless {@code
   *     runnerSpec} is set; asked for at the first TaskJob
   * @param clock the time of deadlines and timeouts
   */
  public K8sCompute(KubernetesClient client, boolean ownsClient, K8sComputeSettings settings,
      String environment, Supplier<Optional<String>> renderedSpec, InstantSource clock) {
    this(client, ownsClient, settings, environment, renderedSpec, Optional::empty, clock);
  }

  /**
   * Compute whose SparkJobs reach the environment's storage ({@link K8sSparkStorage}).
   *
   * @param client the client to use
   * @param ownsClient whether {@link #close()} closes the client
   * @param settings the settings
   * @param environment the environment's name, which labels the objects it provisions
   * @param renderedSpec the environment's rendered spec, shipped to TaskJob pods unless {@code
   *     runnerSpec} is set; asked for at the first TaskJob or SparkJob
   * @param storage how engines reach the environment's storage ({@link
   *     dev.edx.api.ObjectStorage#s3Access}); asked for at each SparkJob
   * @param clock the time of deadlines and timeouts
   */
  public K8sCompute(KubernetesClient client, boolean ownsClient, K8sComputeSettings settings,
      String environment, Supplier<Optional<String>> renderedSpec,
      Supplier<Optional<S3Access>> storage, InstantSource clock) {
    this.storage = requireNonNull(storage, "storage is null");
    this.client = requireNonNull(client, "client is null");
    this.ownsClient = ownsClient;
    this.settings = requireNonNull(settings, "settings is null");
    this.renderedSpec = requireNonNull(renderedSpec, "renderedSpec is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.manifests = new K8sManifests(settings);
    this.provisioning = new K8sProvisioning(client, settings, environment,
        () -> K8sSparkStorage.driverSecrets(settings, renderedSpec.get()));
    this.environment = environment;
    this.manifestFolder = settings.manifestsDir().map(d -> new K8sManifestFolder(d, environment));
    LOG.info("Kubernetes compute in namespace {} at {}{}", settings.namespace(),
        client.getMasterUrl(), settings.dryRun() ? " (dry run)" : "");
  }

  public K8sComputeSettings settings() {
    return settings;
  }

  /**
   * Submits a job. With {@code dryRun: true} nothing is created: the handle is at once CANCELLED
   * with the reason {@code dry run: ...} (it never claims a success it did not have), and its
   * {@link JobHandle#logs()} hold the manifests that would have been created.
   *
   * @throws ConfigurationException if a TaskJob is submitted without {@code image}, or without
   *     an environment spec to ship (no {@code runnerSpec} and none rendered), or a SparkJob
   *     without an image
   */
  @Override
  public JobHandle submit(JobSpec spec) {
    requireNonNull(spec, "spec is null");
    if (closed.get()) {
      throw new IllegalStateException("Cannot submit job '" + spec.name()
          + "': Kubernetes compute is closed");
    }
    String id = newId(spec.name());
    List<HasMetadata> objects = objects(id, spec);
    String yaml = yaml(objects);
    if (settings.dryRun()) {
      K8sJob job = new K8sJob(client, settings.namespace(), id, K8sJob.Kind.DRY_RUN,
          clock.instant(), settings.startDeadline(), yaml, clock);
      jobs.put(id, job);
      LOG.info("Dry run: rendered job {} ({} objects), created nothing", id, objects.size());
      return job;
    }
    K8sJob.Kind kind = spec instanceof SparkJob ? K8sJob.Kind.SPARK : K8sJob.Kind.JOB;
    K8sJob job = new K8sJob(client, settings.namespace(), id, kind, clock.instant(),
        settings.startDeadline(), yaml, clock);
    try {
      create(objects);
    } catch (KubernetesClientException e) {
      throw translate("submit job '" + spec.name() + "'", e);
    }
    jobs.put(id, job);
    LOG.info("Submitted job {} ({}) to namespace {}", id, kind, settings.namespace());
    return job;
  }

  private void create(List<HasMetadata> objects) {
    ConfigMap configMap = null;
    for (HasMetadata object : objects) {
      if (object instanceof ConfigMap cm) {
        configMap = client.configMaps().inNamespace(settings.namespace()).resource(cm).create();
      } else if (object instanceof Job j) {
        Job created = client.batch().v1().jobs().inNamespace(settings.namespace()).resource(j)
            .create();
        if (configMap != null && created.getMetadata().getUid() != null) {
          // The Job owns its ConfigMap, so deleting the Job (or its TTL) removes both.
          client.configMaps().inNamespace(settings.namespace())
              .withName(configMap.getMetadata().getName())
              .edit(cm -> {
                cm.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
                    .withApiVersion("batch/v1").withKind("Job")
                    .withName(created.getMetadata().getName())
                    .withUid(created.getMetadata().getUid()).withBlockOwnerDeletion(false)
                    .build()));
                return cm;
              });
        }
      } else if (object instanceof GenericKubernetesResource g) {
        client.genericKubernetesResources(K8sManifests.SPARK_APPLICATION)
            .inNamespace(settings.namespace()).resource(g).create();
      } else {
        throw new IllegalStateException("unexpected object " + object.getKind());
      }
    }
  }

  /**
   * The manifests a job becomes, as multi-document YAML, without creating anything. The job id in
   * them is fresh each call.
   */
  public String render(JobSpec spec) {
    requireNonNull(spec, "spec is null");
    return yaml(objects(newId(spec.name()), spec));
  }

  /** The objects of a job, in creation order. */
  List<HasMetadata> objects(String id, JobSpec spec) {
    if (spec instanceof TaskJob t) {
      String image = settings.image().orElseThrow(() -> new ConfigurationException(
          "Cannot submit TaskJob '" + t.name() + "': spec.compute."
              + K8sComputeProperties.IMAGE.key() + " (the edx runner image) is not set"));
      String environmentSpec = runnerSpec(t);
      return List.of(manifests.taskConfigMap(id, t, environmentSpec),
          manifests.taskJob(id, t, image));
    }
    if (spec instanceof ContainerJob c) {
      return List.of(manifests.containerJob(id, c));
    }
    if (spec instanceof SparkJob s) {
      try {
        K8sSparkStorage access = settings.s3aEndpoint().isPresent() ? K8sSparkStorage.NONE
            : K8sSparkStorage.of(s, settings, storage.get(), renderedSpec.get());
        return List.of(manifests.sparkApplication(id, s, access));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(e.getMessage(), e);
      }
    }
    throw new UnsupportedOperationException("Cannot submit job '" + spec.name()
        + "': unknown kind " + spec.getClass().getName());
  }

  /** The spec the runner opens: the {@code runnerSpec} file, else the environment's own. */
  private String runnerSpec(TaskJob t) {
    if (settings.runnerSpec().isEmpty()) {
      return renderedSpec.get().orElseThrow(() -> new ConfigurationException(
          "Cannot submit TaskJob '" + t.name() + "': there is no environment spec to ship to the"
              + " runner (this compute was created outside an environment); set spec.compute."
              + K8sComputeProperties.RUNNER_SPEC.key()));
    }
    var file = settings.runnerSpec().get();
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException("Cannot submit TaskJob '" + t.name() + "': cannot read "
          + K8sComputeProperties.RUNNER_SPEC.key() + " " + file + ": " + e, e);
    }
  }

  private static String yaml(List<HasMetadata> objects) {
    return objects.stream().map(Serialization::asYaml).collect(Collectors.joining());
  }

  /**
   * A job submitted earlier, by this instance or another: looked up by id among the Jobs and
   * SparkApplications edx manages in the namespace.
   */
  @Override
  public JobHandle job(String id) {
    requireNonNull(id, "id is null");
    K8sJob known = jobs.get(id);
    if (known != null) {
      return known;
    }
    NoSuchJobException missing = new NoSuchJobException(id, "Cannot find job '" + id
        + "': no edx Job or SparkApplication of that name in namespace " + settings.namespace());
    if (!K8sNames.isDnsLabel(id)) {
      throw missing;
    }
    try {
      HasMetadata found = client.batch().v1().jobs().inNamespace(settings.namespace())
          .withName(id).get();
      K8sJob.Kind kind = K8sJob.Kind.JOB;
      if (found == null) {
        found = client.genericKubernetesResources(K8sManifests.SPARK_APPLICATION)
            .inNamespace(settings.namespace()).withName(id).get();
        kind = K8sJob.Kind.SPARK;
      }
      if (found == null || !id.equals(found.getMetadata().getLabels() == null ? null
          : found.getMetadata().getLabels().get(JOB_ID_LABEL))) {
        throw missing;
      }
      K8sJob job = new K8sJob(client, settings.namespace(), id, kind,
          created(found), settings.startDeadline(), "", clock);
      K8sJob previous = jobs.putIfAbsent(id, job);
      return previous == null ? job : previous;
    } catch (KubernetesClientException e) {
      throw translate("find job '" + id + "'", e);
    }
  }

  private Instant created(HasMetadata object) {
    String ts = object.getMetadata().getCreationTimestamp();
    if (ts != null) {
      try {
        return Instant.parse(ts);
      } catch (DateTimeParseException e) {
        LOG.debug("Unparsable creationTimestamp {} of {}", ts, object.getMetadata().getName());
      }
    }
    return clock.instant();
  }

  /**
   * Checks through the API what SparkJobs need of the cluster: the SparkApplication CRD, and a
   * spark-operator controller and webhook that watch {@code namespace} (see {@link
   * SparkOperatorCheck}). Needs read access to CRDs and to Deployments in all namespaces; what
   * cannot be read is reported missing, with what to check by hand.
   */
  public SparkOperatorCheck.Report checkSparkOperator() {
    return new SparkOperatorCheck(client, settings.namespace()).run();
  }

  // --- provisioning ---

  /**
   * With {@code manifestsDir}, the changes to the manifest files there; else to the cluster.
   */
  @Override
  public List<Change> plan() {
    return manifestFolder.map(f -> f.plan(provisioning.desired()))
        .orElseGet(provisioning::plan);
  }

  /**
   * With {@code manifestsDir}, writes the manifests there (see {@link #renderManifests}) and
   * creates nothing in the cluster; else provisions the cluster.
   */
  @Override
  public List<Change> apply() {
    return manifestFolder.map(f -> f.apply(provisioning.desired()))
        .orElseGet(provisioning::apply);
  }

  /**
   * With {@code manifestsDir}, deletes this environment's manifest files there ({@code policy}
   * does not apply: they hold no data); else removes the objects from the cluster.
   */
  @Override
  public List<Change> destroy(DataPolicy policy) {
    requireNonNull(policy, "policy is null");
    return manifestFolder.map(f -> f.destroy(provisioning.desired()))
        .orElseGet(() -> provisioning.destroy(policy));
  }

  @Override
  public List<Change> planDestroy(DataPolicy policy) {
    requireNonNull(policy, "policy is null");
    return manifestFolder.map(f -> f.planDestroy(provisioning.desired()))
        .orElseGet(() -> provisioning.planDestroy(policy));
  }

  /**
   * The provisioned objects (namespace, ResourceQuota, LimitRange, service accounts, Roles,
   * RoleBindings) as one multi-document YAML.
   */
  public String renderProvisioning() {
    return yaml(provisioning.desired());
  }

  /**
   * Writes the provisioned objects to {@code folder} as YAML manifests, one file each, for GitOps
   * (an ArgoCD Application can point at the folder), and touches nothing in the cluster. Files are
   * named {@code <order>-<kind>-<name>.yaml} ({@code 00-namespace-edx-dev.yaml}, {@code
   * 10-resourcequota-edx-quota.yaml}, {@code 11-limitrange-edx-limits.yaml}, {@code
   * 20-serviceaccount-*}, {@code 30-role-*}, {@code 40-rolebinding-*}); the same settings give the
   * same bytes. Unchanged files are not rewritten; this environment's files the spec no longer
   * declares are deleted; files of another environment are left alone.
   *
   * @return the manifest files, in creation order
   */
  public List<Path> renderManifests(Path folder) {
    requireNonNull(folder, "folder is null");
    List<HasMetadata> desired = provisioning.desired();
    new K8sManifestFolder(folder, environment).apply(desired);
    return K8sManifestFolder.files(desired).keySet().stream().map(folder::resolve).toList();
  }

  /** Forgets the handles; closes the client if this instance created it. Jobs keep running. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    jobs.clear();
    if (ownsClient) {
      client.close();
    }
    LOG.info("Kubernetes compute closed");
  }

  private String newId(String name) {
    String base = K8sNames.jobBase(name);
    byte[] bytes = new byte[4];
    String id;
    do {
      random.nextBytes(bytes);
      id = base + "-" + HexFormat.of().formatHex(bytes);
    } while (jobs.containsKey(id));
    return id;
  }

  RuntimeException translate(String what, KubernetesClientException e) {
    String message = "Cannot " + what + " in namespace " + settings.namespace() + " at "
        + client.getMasterUrl() + ": " + e.getMessage();
    if (e.getCode() == 401 || e.getCode() == 403) {
      return new AccessDeniedException(message, e);
    }
    return new ProviderException(message, e);
  }

  static Map<String, String> managedLabels() {
    return Map.of(MANAGED_BY, MANAGED_BY_VALUE);
  }

  @Override
  public String toString() {
    return "K8sCompute{namespace=" + settings.namespace() + ", masterUrl=" + client.getMasterUrl()
        + (settings.dryRun() ? ", dryRun" : "") + "}";
  }
}
