package dev.edx.provider.k8s;

import static dev.edx.provider.k8s.K8sProperties.JOB_ID_LABEL;
import static dev.edx.provider.k8s.K8sProperties.MANAGED_BY;
import static dev.edx.provider.k8s.K8sProperties.MANAGED_BY_VALUE;

import dev.edx.provider.k8s.runner.EdxRunner;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A test-side stand-in for the kubelet, the Job controller and spark-operator, against fabric8's
 * mock API server (no real cluster runs in these tests). It polls the namespace for edx Jobs and
 * SparkApplications and moves them through their states as a cluster would:
 *
 * <ul>
 *   <li>a Job gets a pod; the runner image ({@link #RUNNER_IMAGE}) really runs {@link EdxRunner}
 *       in-process with the spec from the job's ConfigMap, any other image runs the container's
 *       command as a local process; stdout is the pod log (served at the pod's {@code /log}), the
 *       exit code and termination message go into the pod's container status, and the Job gets
 *       its Complete or Failed condition;
 *   <li>an image containing {@code missing} stays in ImagePullBackOff; a pod whose node selector
 *       has {@code edx.dev/simulate=unschedulable} stays unschedulable;
 *   <li>a deleted Job's run is interrupted and its pods deleted (garbage collection);
 *   <li>a SparkApplication goes SUBMITTED, RUNNING, then the state in its sparkConf {@code
 *       spark.edx.simulate.finalState} (default COMPLETED), with a driver pod and log.
 * </ul>
 *
 * <p>Public, in this module's test jar, for edx-pipeline-gha's tests. The runner runs with this
 * class's class loader, so the tasks must be on the test class path.
 */
public final class ClusterSimulator implements AutoCloseable {
  /** The image the simulator runs as the edx runner, in-process. */
  public static final String RUNNER_IMAGE = "edx-runner:test";
  static final String FINAL_STATE_CONF = "spark.edx.simulate.finalState";

  private final KubernetesClient client;
  private final KubernetesMockServer server;
  private final String namespace;
  private final Path workDir;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "cluster-simulator");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Future<?>> running = new ConcurrentHashMap<>();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Thread poller;
  private volatile boolean stopped;

  /**
   * Starts simulating {@code namespace}; {@link #close()} stops it.
   *
   * @param client a client of {@code server}
   * @param server the mock API server, which serves the pod logs
   * @param namespace the namespace to watch
   * @param workDir where pods keep their files (the spec from the ConfigMap, termination logs)
   */
  public ClusterSimulator(KubernetesClient client, KubernetesMockServer server, String namespace,
      Path workDir) {
    this.client = client;
    this.server = server;
    this.namespace = namespace;
    this.workDir = workDir;
    this.poller = new Thread(this::poll, "cluster-simulator-poller");
    poller.setDaemon(true);
    poller.start();
  }

  private void poll() {
    while (!stopped) {
      try {
        Set<String> present = new java.util.HashSet<>();
        for (Job job : client.batch().v1().jobs().inNamespace(namespace)
            .withLabel(MANAGED_BY, MANAGED_BY_VALUE).list().getItems()) {
          String key = "job/" + job.getMetadata().getName();
          present.add(key);
          if (seen.add(key)) {
            running.put(key, workers.submit(() -> runJob(job)));
          }
        }
        for (GenericKubernetesResource app : client.genericKubernetesResources(
            K8sManifests.SPARK_APPLICATION).inNamespace(namespace).list().getItems()) {
          String key = "spark/" + app.getMetadata().getName();
          present.add(key);
          if (seen.add(key)) {
            running.put(key, workers.submit(() -> runSpark(app)));
          }
        }
        for (String key : seen) {
          if (!present.contains(key)) {
            collect(key);
          }
        }
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!stopped) {
          System.err.println("cluster simulator: " + e);
        }
      }
    }
  }

  /** Garbage collection of a deleted Job or SparkApplication: stop it, delete its pods. */
  private void collect(String key) {
    Future<?> f = running.remove(key);
    if (f != null) {
      f.cancel(true);
    }
    String id = key.substring(key.indexOf('/') + 1);
    try {
      client.pods().inNamespace(namespace).withLabel(JOB_ID_LABEL, id).delete();
    } catch (KubernetesClientException ignored) {
      // already gone
    }
  }

  // --- Jobs ---

  private void runJob(Job job) {
    String jobName = job.getMetadata().getName();
    PodSpec spec = job.getSpec().getTemplate().getSpec();
    Container container = spec.getContainers().get(0);
    String podName = jobName + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(
        0x10000, 0xfffff));
    StringBuffer log = new StringBuffer();
    createPod(podName, job.getSpec().getTemplate().getMetadata().getLabels(), jobName, spec, log);
    if ("unschedulable".equals(spec.getNodeSelector() == null ? null
        : spec.getNodeSelector().get("edx.dev/simulate"))) {
      podStatus(podName, new PodStatusBuilder().withPhase("Pending")
          .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
              .withReason("Unschedulable")
              .withMessage("0/3 nodes are available: 3 node(s) didn't match node selector")
              .build()).build());
      return;
    }
    if (container.getImage().contains("missing")) {
      podStatus(podName, new PodStatusBuilder().withPhase("Pending")
          .withContainerStatuses(new ContainerStatusBuilder().withName(container.getName())
              .withImage(container.getImage()).withNewState().withNewWaiting()
              .withReason("ImagePullBackOff")
              .withMessage("Back-off pulling image \"" + container.getImage() + "\"")
              .endWaiting().endState().build()).build());
      return;
    }
    podStatus(podName, new PodStatusBuilder().withPhase("Running")
        .withContainerStatuses(new ContainerStatusBuilder().withName(container.getName())
            .withImage(container.getImage()).withNewState().withNewRunning()
            .withStartedAt(Instant.now().toString()).endRunning().endState().build()).build());
    jobStatus(jobName, new JobStatusBuilder().withActive(1)
        .withStartTime(Instant.now().toString()).build());

    int exit;
    String message;
    try {
      Path podDir = Files.createDirectories(workDir.resolve(podName));
      if (container.getImage().equals(RUNNER_IMAGE)) {
        Path termination = podDir.resolve("termination-log");
        exit = runRunner(spec, container, podDir, termination, log);
        message = Files.exists(termination) ? Files.readString(termination) : "";
      } else {
        exit = runProcess(container, log);
        message = exit == 0 ? "" : tail(log.toString());
      }
    } catch (InterruptedException e) {
      return;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (Thread.currentThread().isInterrupted()) {
      return; // deleted while running
    }
    try {
      podStatus(podName, new PodStatusBuilder().withPhase(exit == 0 ? "Succeeded" : "Failed")
          .withContainerStatuses(new ContainerStatusBuilder().withName(container.getName())
              .withImage(container.getImage()).withNewState().withNewTerminated()
              .withExitCode(exit).withReason(exit == 0 ? "Completed" : "Error")
              .withMessage(message.isEmpty() ? null : message)
              .withFinishedAt(Instant.now().toString()).endTerminated().endState().build())
          .build());
      jobStatus(jobName, exit == 0
          ? new JobStatusBuilder().withActive(0).withSucceeded(1).withConditions(
              new JobConditionBuilder().withType("Complete").withStatus("True").build()).build()
          : new JobStatusBuilder().withActive(0).withFailed(1).withConditions(
              new JobConditionBuilder().withType("Failed").withStatus("True")
                  .withReason("BackoffLimitExceeded")
                  .withMessage("Job has reached the specified backoff limit").build()).build());
    } catch (KubernetesClientException e) {
      // deleted meanwhile
    }
  }

  private int runRunner(PodSpec spec, Container container, Path podDir, Path termination,
      StringBuffer log) throws IOException {
    String configMapName = null;
    for (Volume v : spec.getVolumes()) {
      if (v.getConfigMap() != null) {
        configMapName = v.getConfigMap().getName();
      }
    }
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName(configMapName).get();
    Path specFile = podDir.resolve(K8sManifests.SPEC_KEY);
    Files.writeString(specFile, cm.getData().get(K8sManifests.SPEC_KEY));
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : container.getEnv()) {
      env.put(e.getName(), e.getValue());
    }
    env.put(EdxRunner.ENV_SPEC, specFile.toString());
    env.put(EdxRunner.ENV_TERMINATION_LOG, termination.toString());
    PrintStream out = new PrintStream(new BufferOutput(log), true, StandardCharsets.UTF_8);
    return EdxRunner.run(env, getClass().getClassLoader(), out);
  }

  private static int runProcess(Container container, StringBuffer log)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(container.getCommand()).redirectErrorStream(true);
    for (EnvVar e : container.getEnv()) {
      pb.environment().put(e.getName(), e.getValue());
    }
    Process process = pb.start();
    try (InputStream in = process.getInputStream()) {
      byte[] buffer = new byte[1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        log.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException();
        }
      }
      return process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      throw e;
    } finally {
      if (Thread.currentThread().isInterrupted()) {
        process.destroyForcibly();
      }
    }
  }

  /** FallbackToLogsOnError: the last lines of the log. */
  private static String tail(String log) {
    String[] lines = log.strip().split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 5),
        lines.length));
  }

  private void createPod(String podName, Map<String, String> labels, String owner, PodSpec spec,
      StringBuffer log) {
    Map<String, String> podLabels = new LinkedHashMap<>(labels);
    podLabels.put("batch.kubernetes.io/job-name", owner);
    client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata()
        .withName(podName).withNamespace(namespace).withLabels(podLabels)
        .withCreationTimestamp(Instant.now().toString()).endMetadata()
        .withSpec(spec).withStatus(new PodStatusBuilder().withPhase("Pending").build()).build())
        .create();
    server.expect().get()
        .withPath("/api/v1/namespaces/" + namespace + "/pods/" + podName + "/log")
        .andReply(200, request -> log.toString()).always();
  }

  private void podStatus(String podName, PodStatus status) {
    Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
    if (pod == null) {
      throw new KubernetesClientException("pod " + podName + " is gone");
    }
    pod.setStatus(status);
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  private void jobStatus(String jobName, io.fabric8.kubernetes.api.model.batch.v1.JobStatus s) {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
    if (job == null) {
      throw new KubernetesClientException("job " + jobName + " is gone");
    }
    job.setStatus(s);
    client.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
  }

  // --- SparkApplications (spark-operator) ---

  @SuppressWarnings("unchecked")
  private void runSpark(GenericKubernetesResource app) {
    String name = app.getMetadata().getName();
    Map<String, Object> spec = (Map<String, Object>) app.getAdditionalProperties().get("spec");
    Map<String, Object> driver = (Map<String, Object>) spec.get("driver");
    Map<String, String> sparkConf = (Map<String, String>) spec.get("sparkConf");
    String podName = name + "-driver";
    Map<String, String> labels = new LinkedHashMap<>((Map<String, String>) driver.get("labels"));
    labels.put("spark-role", "driver");
    labels.put("sparkoperator.k8s.io/app-name", name);
    StringBuffer log = new StringBuffer();
    // The driver's own image, as spark-operator does, else the application's.
    String image = (String) driver.getOrDefault("image", spec.get("image"));
    PodSpec podSpec = new io.fabric8.kubernetes.api.model.PodSpecBuilder()
        .withServiceAccountName((String) driver.get("serviceAccount"))
        .addNewContainer().withName("spark-kubernetes-driver").withImage(image)
        .endContainer().build();
    try {
      createPod(podName, labels, name, podSpec, log);
      sparkState(name, "SUBMITTED", null, podName);
      if (image.contains("missing")) {
        podStatus(podName, new PodStatusBuilder().withPhase("Pending")
            .withContainerStatuses(new ContainerStatusBuilder().withName("spark-kubernetes-driver")
                .withNewState().withNewWaiting().withReason("ErrImagePull")
                .withMessage("pull access denied").endWaiting().endState().build()).build());
        return;
      }
      podStatus(podName, new PodStatusBuilder().withPhase("Running").build());
      sparkState(name, "RUNNING", null, podName);
      log.append("Running Spark version ").append(spec.get("sparkVersion")).append('\n');
      TimeUnit.MILLISECONDS.sleep(100);
      String finalState = sparkConf.getOrDefault(FINAL_STATE_CONF, "COMPLETED");
      log.append("Pi is roughly 3.14\n");
      podStatus(podName, new PodStatusBuilder()
          .withPhase(finalState.equals("COMPLETED") ? "Succeeded" : "Failed").build());
      sparkState(name, finalState, finalState.equals("COMPLETED") ? null
          : "driver container failed with ExitCode: 1, Reason: Error", podName);
    } catch (InterruptedException | KubernetesClientException e) {
      // deleted meanwhile
    }
  }

  private void sparkState(String name, String state, String error, String podName) {
    GenericKubernetesResource app = client.genericKubernetesResources(
        K8sManifests.SPARK_APPLICATION).inNamespace(namespace).withName(name).get();
    if (app == null) {
      throw new KubernetesClientException("SparkApplication " + name + " is gone");
    }
    Map<String, Object> applicationState = new LinkedHashMap<>();
    applicationState.put("state", state);
    if (error != null) {
      applicationState.put("errorMessage", error);
    }
    app.getAdditionalProperties().put("status", Map.of("applicationState", applicationState,
        "driverInfo", Map.of("podName", podName)));
    client.genericKubernetesResources(K8sManifests.SPARK_APPLICATION).inNamespace(namespace)
        .resource(app).updateStatus();
  }

  /**
   * Stops polling (the poller has ended when this returns, unless it takes 10 s) and interrupts
   * the pods still running.
   */
  @Override
  public void close() {
    stopped = true;
    poller.interrupt();
    workers.shutdownNow();
    try {
      poller.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An output stream appending UTF-8 to the pod log. */
  private static final class BufferOutput extends OutputStream {
    private final StringBuffer log;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    BufferOutput(StringBuffer log) {
      this.log = log;
    }

    @Override
    public synchronized void write(int b) {
      pending.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public synchronized void flush() {
      log.append(pending.toString(StandardCharsets.UTF_8));
      pending.reset();
    }
  }
}
