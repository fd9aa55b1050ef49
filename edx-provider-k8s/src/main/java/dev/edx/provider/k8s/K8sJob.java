package dev.edx.provider.k8s;

import static dev.edx.provider.k8s.K8sProperties.JOB_ID_LABEL;
import static java.util.Objects.requireNonNull;

import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.exceptions.JobTimeoutException;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job of {@link K8sCompute}: a {@code batch/v1} Job (TaskJob, ContainerJob), a
 * SparkApplication (SparkJob) or a rendered dry run. Its status is read from the cluster on each
 * call; a terminal status, once seen or decided here (cancel, start deadline), is kept, so it
 * survives the objects being deleted. Thread safe.
 */
final class K8sJob implements JobHandle {
  private static final Logger LOG = LoggerFactory.getLogger(K8sJob.class);
  /** Waiting reasons that mean a pod will not start by itself. */
  static final Set<String> STUCK_REASONS = Set.of("ImagePullBackOff", "ErrImagePull",
      "CreateContainerConfigError", "CreateContainerError", "InvalidImageName");
  private static final long POLL_MIN_MILLIS = 50;
  private static final long POLL_MAX_MILLIS = 1_000;

  enum Kind { JOB, SPARK, DRY_RUN }

  private final KubernetesClient client;
  private final String namespace;
  private final String id;
  private final Kind kind;
  private final Instant createdAt;
  private final Duration startDeadline;
  private final String manifest;
  private final InstantSource clock;
  private volatile JobStatus terminal;
  private volatile boolean cancelRequested;

  K8sJob(KubernetesClient client, String namespace, String id, Kind kind, Instant createdAt,
      Duration startDeadline, String manifest, InstantSource clock) {
    this.client = requireNonNull(client, "client is null");
    this.namespace = requireNonNull(namespace, "namespace is null");
    this.id = requireNonNull(id, "id is null");
    this.kind = requireNonNull(kind, "kind is null");
    this.createdAt = requireNonNull(createdAt, "createdAt is null");
    this.startDeadline = requireNonNull(startDeadline, "startDeadline is null");
    this.manifest = requireNonNull(manifest, "manifest is null");
    this.clock = requireNonNull(clock, "clock is null");
    if (kind == Kind.DRY_RUN) {
      terminal = JobStatus.of(JobState.CANCELLED,
          "dry run: manifests rendered (see logs()), nothing was created or run");
    }
  }

  @Override
  public String id() {
    return id;
  }

  Kind kind() {
    return kind;
  }

  @Override
  public JobStatus status() {
    JobStatus known = terminal;
    if (known != null) {
      return known;
    }
    JobStatus status;
    try {
      status = kind == Kind.SPARK ? sparkStatus() : jobStatus();
    } catch (KubernetesClientException e) {
      LOG.debug("Cannot read the status of job {}", id, e);
      return JobStatus.of(JobState.UNKNOWN, "Cannot read the status of job " + id
          + " in namespace " + namespace + ": " + e.getMessage());
    }
    if (status.isTerminal()) {
      synchronized (this) {
        if (terminal == null) {
          terminal = status;
          LOG.info("Job {} ended {}", id, status);
        }
        return terminal;
      }
    }
    return status;
  }

  private JobStatus jobStatus() {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(id).get();
    if (job == null) {
      return vanished("Job");
    }
    List<Pod> pods = pods();
    if (job.getStatus() != null && job.getStatus().getConditions() != null) {
      for (JobCondition c : job.getStatus().getConditions()) {
        if (!"True".equals(c.getStatus())) {
          continue;
        }
        if ("Complete".equals(c.getType())) {
          return JobStatus.of(JobState.SUCCEEDED);
        }
        if ("Failed".equals(c.getType())) {
          return JobStatus.of(JobState.FAILED, failureReason(c, pods));
        }
      }
    }
    boolean started = pods.stream().anyMatch(K8sJob::started)
        || (job.getStatus() != null && (positive(job.getStatus().getSucceeded())
            || positive(job.getStatus().getFailed())));
    if (started) {
      return JobStatus.of(JobState.RUNNING);
    }
    return notStarted(pods, "Job");
  }

  private JobStatus sparkStatus() {
    GenericKubernetesResource app =
        client.genericKubernetesResources(K8sManifests.SPARK_APPLICATION)
            .inNamespace(namespace).withName(id).get();
    if (app == null) {
      return vanished("SparkApplication");
    }
    Map<?, ?> status = map(app.getAdditionalProperties().get("status"));
    Map<?, ?> applicationState = map(status.get("applicationState"));
    String state = string(applicationState.get("state"));
    String error = string(applicationState.get("errorMessage"));
    JobStatus mapped = sparkState(state, error);
    if (mapped.state() == JobState.SUBMITTED) {
      JobStatus waiting = notStarted(pods(), "SparkApplication");
      if (waiting.isTerminal()) {
        return waiting;
      }
      return mapped.reason().isPresent() ? mapped : waiting;
    }
    return mapped;
  }

  /**
   * Maps spark-operator's {@code status.applicationState.state} onto a {@link JobState}. Driver
   * still to start (new, SUBMITTED, PENDING_RERUN, INVALIDATING) is SUBMITTED; running or winding
   * down (RUNNING, SUCCEEDING, FAILING) is RUNNING; COMPLETED is SUCCEEDED; FAILED and
   * SUBMISSION_FAILED are FAILED with the operator's error message; UNKNOWN and anything else are
   * UNKNOWN.
   */
  static JobStatus sparkState(String state, String errorMessage) {
    String message = errorMessage == null || errorMessage.isBlank() ? null : errorMessage;
    if (state == null || state.isEmpty() || state.equals("NEW")) {
      return JobStatus.of(JobState.SUBMITTED);
    }
    return switch (state) {
      case "SUBMITTED" -> JobStatus.of(JobState.SUBMITTED);
      case "PENDING_RERUN" -> JobStatus.of(JobState.SUBMITTED,
          "pending rerun" + (message == null ? "" : ": " + message));
      case "INVALIDATING" -> JobStatus.of(JobState.SUBMITTED,
          "invalidating: the spec changed, the application will be resubmitted");
      case "RUNNING" -> JobStatus.of(JobState.RUNNING);
      case "SUCCEEDING" -> JobStatus.of(JobState.RUNNING, "succeeding: driver completed");
      case "FAILING" -> JobStatus.of(JobState.RUNNING,
          "failing" + (message == null ? "" : ": " + message));
      case "COMPLETED" -> JobStatus.of(JobState.SUCCEEDED);
      case "FAILED" -> JobStatus.of(JobState.FAILED,
          message == null ? "SparkApplication FAILED" : message);
      case "SUBMISSION_FAILED" -> JobStatus.of(JobState.FAILED,
          "submission failed" + (message == null ? "" : ": " + message));
      case "UNKNOWN" -> JobStatus.of(JobState.UNKNOWN,
          "spark-operator reports UNKNOWN" + (message == null ? "" : ": " + message));
      default -> JobStatus.of(JobState.UNKNOWN, "unrecognised SparkApplication state " + state
          + (message == null ? "" : ": " + message));
    };
  }

  /** SUBMITTED, or FAILED (and the objects deleted) once the start deadline has passed. */
  private JobStatus notStarted(List<Pod> pods, String what) {
    Optional<String> stuck = stuckReason(pods);
    Duration waited = Duration.between(createdAt, clock.instant());
    if (waited.compareTo(startDeadline) > 0) {
      String reason = "did not start within startDeadline " + startDeadline + ": "
          + stuck.orElse("no pod started (check the namespace's quota and events)");
      synchronized (this) {
        if (terminal == null) {
          terminal = JobStatus.of(JobState.FAILED, reason);
          LOG.info("Job {} ended {}; deleting its {}", id, terminal, what);
          deleteQuietly();
        }
        return terminal;
      }
    }
    return stuck.map(r -> JobStatus.of(JobState.SUBMITTED, r))
        .orElse(JobStatus.of(JobState.SUBMITTED));
  }

  private JobStatus vanished(String what) {
    if (cancelRequested) {
      return JobStatus.of(JobState.CANCELLED, "cancelled");
    }
    return JobStatus.of(JobState.UNKNOWN, what + " " + id + " no longer exists in namespace "
        + namespace + " (deleted outside edx, or removed after its ttlAfterFinished)");
  }

  /** Why pods cannot start: a stuck container (image pull, config) or an unschedulable pod. */
  static Optional<String> stuckReason(List<Pod> pods) {
    for (Pod pod : pods) {
      if (pod.getStatus() == null) {
        continue;
      }
      List<ContainerStatus> statuses = new ArrayList<>();
      if (pod.getStatus().getInitContainerStatuses() != null) {
        statuses.addAll(pod.getStatus().getInitContainerStatuses());
      }
      if (pod.getStatus().getContainerStatuses() != null) {
        statuses.addAll(pod.getStatus().getContainerStatuses());
      }
      for (ContainerStatus cs : statuses) {
        ContainerStateWaiting waiting = cs.getState() == null ? null : cs.getState().getWaiting();
        if (waiting != null && STUCK_REASONS.contains(waiting.getReason())) {
          return Optional.of("pod " + pod.getMetadata().getName() + " container " + cs.getName()
              + ": " + waiting.getReason()
              + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()));
        }
      }
      if (pod.getStatus().getConditions() != null) {
        for (PodCondition c : pod.getStatus().getConditions()) {
          if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
              && "Unschedulable".equals(c.getReason())) {
            return Optional.of("pod " + pod.getMetadata().getName() + " is Unschedulable"
                + (c.getMessage() == null ? "" : ": " + c.getMessage()));
          }
        }
      }
    }
    return Optional.empty();
  }

  private static boolean started(Pod pod) {
    if (pod.getStatus() == null) {
      return false;
    }
    String phase = pod.getStatus().getPhase();
    if ("Running".equals(phase) || "Succeeded".equals(phase) || "Failed".equals(phase)) {
      return true;
    }
    return pod.getStatus().getContainerStatuses() != null && pod.getStatus().getContainerStatuses()
        .stream().anyMatch(cs -> cs.getState() != null && (cs.getState().getRunning() != null
            || cs.getState().getTerminated() != null));
  }

  private static String failureReason(JobCondition condition, List<Pod> pods) {
    StringBuilder reason = new StringBuilder();
    for (int i = pods.size() - 1; i >= 0 && reason.length() == 0; i--) {
      Pod pod = pods.get(i);
      if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
        continue;
      }
      for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
        ContainerStateTerminated t = cs.getState() == null ? null : cs.getState().getTerminated();
        if (t != null && t.getExitCode() != null && t.getExitCode() != 0) {
          if (t.getMessage() != null && !t.getMessage().isBlank()) {
            reason.append(t.getMessage().strip()).append(' ');
          }
          reason.append("(exit code ").append(t.getExitCode())
              .append(t.getReason() == null ? "" : ", " + t.getReason()).append("; ");
          break;
        }
      }
    }
    boolean open = reason.length() > 0;
    reason.append(condition.getReason() == null ? "Failed" : condition.getReason());
    if (condition.getMessage() != null) {
      reason.append(": ").append(condition.getMessage());
    }
    if (open) {
      reason.append(')');
    }
    return reason.toString();
  }

  private List<Pod> pods() {
    List<Pod> pods = new ArrayList<>(client.pods().inNamespace(namespace)
        .withLabel(JOB_ID_LABEL, id).list().getItems());
    pods.sort(Comparator.comparing((Pod p) -> String.valueOf(
        p.getMetadata().getCreationTimestamp())).thenComparing(p -> p.getMetadata().getName()));
    return pods;
  }

  @Override
  public JobStatus await(Duration timeout) {
    requireNonNull(timeout, "timeout is null");
    Instant deadline = clock.instant().plus(timeout);
    long pause = POLL_MIN_MILLIS;
    while (true) {
      JobStatus status = status();
      if (status.isTerminal()) {
        return status;
      }
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw new JobTimeoutException(id, status, "Cannot await job " + id + ": not finished after "
            + timeout + "; last status " + status + "; the job keeps running");
      }
      try {
        // The pause is real time between polls; the deadline is the clock's.
        Thread.sleep(left.compareTo(Duration.ofMillis(pause)) < 0
            ? Math.max(1, left.toMillis()) : pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JobTimeoutException(id, status,
            "Cannot await job " + id + ": interrupted; last status " + status);
      }
      pause = Math.min(POLL_MAX_MILLIS, pause * 3 / 2);
    }
  }

  /**
   * The pod log: every pod of a Job in creation order, the driver's of a SparkApplication, the
   * manifests of a dry run. Empty once the pods are gone.
   */
  @Override
  public InputStream logs() {
    if (kind == Kind.DRY_RUN) {
      return new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8));
    }
    StringBuilder out = new StringBuilder();
    try {
      List<Pod> pods = pods();
      if (kind == Kind.SPARK) {
        pods.removeIf(p -> !"driver".equals(p.getMetadata().getLabels().get("spark-role")));
      }
      for (Pod pod : pods) {
        String name = pod.getMetadata().getName();
        try {
          String log = podLog(name);
          if (pods.size() > 1) {
            out.append("--- pod ").append(name).append(" ---\n");
          }
          out.append(log == null ? "" : log);
        } catch (KubernetesClientException e) {
          LOG.debug("Cannot read the log of pod {} of job {}", name, id, e);
          out.append("[edx: cannot read the log of pod ").append(name).append(": ")
              .append(e.getMessage()).append("]\n");
        }
      }
    } catch (KubernetesClientException e) {
      LOG.debug("Cannot list the pods of job {}", id, e);
    }
    return new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * One GET of the pod's {@code log} subresource, null when the pod is gone. Not fabric8's
   * {@code getLog()}: that first lists and watches the pod until it is ready or ended, one watch
   * per pod and reading, to serve here a log that is read as it is anyway.
   */
  private String podLog(String pod) {
    return client.raw("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log");
  }

  /** Deletes the job's objects (background propagation: the pods go with them): CANCELLED. */
  @Override
  public void cancel() {
    if (terminal != null) {
      return;
    }
    if (status().isTerminal()) {
      return;
    }
    synchronized (this) {
      if (terminal != null) {
        return;
      }
      cancelRequested = true;
      deleteQuietly();
      terminal = JobStatus.of(JobState.CANCELLED, "cancelled");
      LOG.info("Job {} cancelled", id);
    }
  }

  private void deleteQuietly() {
    try {
      if (kind == Kind.SPARK) {
        client.genericKubernetesResources(K8sManifests.SPARK_APPLICATION).inNamespace(namespace)
            .withName(id).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      } else {
        client.batch().v1().jobs().inNamespace(namespace).withName(id)
            .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        client.configMaps().inNamespace(namespace).withName(id).delete();
      }
    } catch (KubernetesClientException e) {
      LOG.warn("Cannot delete the objects of job {} in namespace {}", id, namespace, e);
    }
  }

  private static boolean positive(Integer n) {
    return n != null && n > 0;
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map<?, ?> m ? m : Map.of();
  }

  private static String string(Object o) {
    return o == null ? null : o.toString();
  }

  @Override
  public String toString() {
    return "K8sJob{" + id + ", " + kind + "}";
  }
}
