package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ContainerJob;
import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.SparkJob;
import dev.edx.api.exceptions.JobTimeoutException;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.Consistency;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job states beyond the contract: SparkApplication states, pods that cannot start, cancel and dry
 * run. Against fabric8's mock API server in CRUD mode with the {@link ClusterSimulator}; no real
 * cluster runs here.
 *
 * <p>The compute measures start deadlines and await timeouts on a clock the tests move ({@link
 * #now}), so a deadline passes when a test says so, never because the machine is slow to run the
 * simulator. Waits on the simulator are bounded by {@link #SIMULATOR} and the class timeout only
 * to end a hang; neither is measured.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class K8sJobLifecycleTest {
  private static final String NS = "edx-lifecycle";
  /** How long to wait, at most, for the simulator to move a pod or a job along. */
  private static final Duration SIMULATOR = Duration.ofSeconds(30);
  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path work;

  private ClusterSimulator cluster;

  /** The compute's clock: it stands still unless a test moves it. */
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-11-30T10:00:00Z"));
  /** A permit per reading of the clock, so a test knows an await has taken its deadline. */
  private final Semaphore clockReads = new Semaphore(0);
  private final InstantSource clock = () -> {
    Instant t = now.get();
    clockReads.release(); // after the read: a test that moves on moves the clock after it
    return t;
  };

  private K8sCompute compute(ServiceSpec.Builder spec) {
    cluster = new ClusterSimulator(client, server, NS, work);
    return new K8sCompute(client, false,
        K8sTestSpecs.settings(spec.set("sparkImage", "apache/spark:3.5.5")), "test",
        Optional::empty, clock);
  }

  private void advance(Duration duration) {
    now.updateAndGet(t -> t.plus(duration));
  }

  /** Waits until the simulator has the job's pod waiting for {@code reason}. */
  private static void awaitWaitingFor(JobHandle handle, String reason) {
    Consistency.awaitConsistent(SIMULATOR, () ->
        assertThat(handle.status().reason()).hasValueSatisfying(r -> assertThat(r)
            .contains(reason)));
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void failedSparkApplicationEndsFailedWithTheOperatorsMessageAndDriverLog() {
    K8sCompute compute = compute(K8sTestSpecs.compute(NS));
    JobHandle handle = compute.submit(new SparkJob("pi", "org.apache.spark.examples.SparkPi",
        "local:///opt/spark/examples/jars/spark-examples.jar", List.of(),
        Map.of(ClusterSimulator.FINAL_STATE_CONF, "FAILED"), dev.edx.api.Resources.of(1, "1g"),
        dev.edx.api.Resources.of(1, "1g"), 1));

    JobStatus status = handle.await(Duration.ofSeconds(10));

    assertThat(status.state()).isEqualTo(JobState.FAILED);
    assertThat(status.reason()).contains("driver container failed with ExitCode: 1, Reason: Error");
    assertThat(log(handle)).contains("Pi is roughly");
  }

  @Test
  void imagePullBackOffPastTheStartDeadlineFailsWithTheReasonAndDeletesTheJob() {
    K8sCompute compute = compute(K8sTestSpecs.compute(NS).set("startDeadline", "2m"));
    JobHandle handle = compute.submit(new ContainerJob("pull", "registry.example/missing:1",
        List.of("true"), Map.of()));
    awaitWaitingFor(handle, "ImagePullBackOff");
    advance(Duration.ofMinutes(2));
    assertThat(handle.status().state()).as("at the deadline").isEqualTo(JobState.SUBMITTED);
    advance(Duration.ofMillis(1));

    JobStatus status = handle.await(Duration.ofSeconds(10));

    assertThat(status.state()).isEqualTo(JobState.FAILED);
    assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r)
        .contains("startDeadline").contains("ImagePullBackOff")
        .contains("registry.example/missing:1"));
    assertThat(client.batch().v1().jobs().inNamespace(NS).withName(handle.id()).get()).isNull();
    assertThat(handle.status()).isEqualTo(status);
  }

  @Test
  void waitingPodIsReportedWhileWithinTheStartDeadline() {
    K8sCompute compute = compute(K8sTestSpecs.compute(NS));
    JobHandle handle = compute.submit(new ContainerJob("pull", "registry.example/missing:1",
        List.of("true"), Map.of()));

    Consistency.awaitConsistent(SIMULATOR, () ->
        assertThat(handle.status().reason()).hasValueSatisfying(r -> assertThat(r)
            .contains("ImagePullBackOff")));
    assertThat(handle.status().state()).isEqualTo(JobState.SUBMITTED);
    // at the deadline, not past it
    advance(K8sComputeProperties.START_DEADLINE.defaultValue().orElseThrow());
    assertThat(handle.status().state()).isEqualTo(JobState.SUBMITTED);
    handle.cancel();
  }

  @Test
  void unschedulablePodPastTheStartDeadlineFails() {
    K8sCompute compute = compute(K8sTestSpecs.compute(NS)
        .set("startDeadline", "2m")
        .set("nodeSelector", Map.of("edx.dev/simulate", "unschedulable")));
    JobHandle handle = compute.submit(new ContainerJob("big", "busybox:1.36", List.of("true"),
        Map.of()));
    awaitWaitingFor(handle, "Unschedulable");
    assertThat(handle.status().state()).isEqualTo(JobState.SUBMITTED);
    advance(Duration.ofMinutes(2).plusMillis(1));

    JobStatus status = handle.await(Duration.ofSeconds(10));

    assertThat(status.state()).isEqualTo(JobState.FAILED);
    assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r)
        .contains("Unschedulable").contains("didn't match node selector"));
  }

  @Test
  void sparkDriverStuckOnImagePullFailsAndTheApplicationIsDeleted() {
    K8sCompute compute = new K8sCompute(client, false, K8sTestSpecs.settings(
        K8sTestSpecs.compute(NS).set("sparkImage", "registry.example/missing-spark:1")
            .set("startDeadline", "2m")), "test", Optional::empty, clock);
    cluster = new ClusterSimulator(client, server, NS, work);
    JobHandle handle = compute.submit(SparkJob.of("pi", "a.B", "local:///a.jar", List.of()));
    awaitWaitingFor(handle, "ErrImagePull");
    assertThat(handle.status().state()).isEqualTo(JobState.SUBMITTED);
    advance(Duration.ofMinutes(2).plusMillis(1));

    JobStatus status = handle.await(Duration.ofSeconds(10));

    assertThat(status.state()).isEqualTo(JobState.FAILED);
    assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r).contains("ErrImagePull"));
    assertThat(client.genericKubernetesResources(K8sManifests.SPARK_APPLICATION).inNamespace(NS)
        .withName(handle.id()).get()).isNull();
  }

  @Test
  void awaitTimesOutWhenTheClockPassesTheTimeoutAndTheJobKeepsWaiting() throws Exception {
    K8sCompute compute = compute(K8sTestSpecs.compute(NS).set("startDeadline", "1h"));
    JobHandle handle = compute.submit(new ContainerJob("pull", "registry.example/missing:1",
        List.of("true"), Map.of()));
    awaitWaitingFor(handle, "ImagePullBackOff");

    clockReads.drainPermits();
    CompletableFuture<JobStatus> waiting =
        CompletableFuture.supplyAsync(() -> handle.await(Duration.ofMinutes(10)));
    clockReads.acquire(); // the await has read its deadline off the clock
    advance(Duration.ofMinutes(10));

    assertThatThrownBy(() -> waiting.get(SIMULATOR.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(JobTimeoutException.class, e -> {
          assertThat(e.lastStatus().state()).isEqualTo(JobState.SUBMITTED);
          assertThat(e).hasMessageContaining("not finished after PT10M");
        });
    assertThat(handle.status().state()).isEqualTo(JobState.SUBMITTED);
    handle.cancel();
  }

  @Test
  void cancelDeletesTheJobAndItsPods() {
    K8sCompute compute = compute(K8sTestSpecs.compute(NS));
    JobHandle handle = compute.submit(new ContainerJob("sleep", "busybox:1.36",
        List.of("sh", "-c", "echo started; sleep 30"), Map.of()));
    Consistency.awaitConsistent(SIMULATOR,
        () -> assertThat(handle.status().state()).isEqualTo(JobState.RUNNING));

    handle.cancel();

    assertThat(handle.status().state()).isEqualTo(JobState.CANCELLED);
    assertThat(client.batch().v1().jobs().inNamespace(NS).withName(handle.id()).get()).isNull();
    Consistency.awaitConsistent(SIMULATOR, () -> assertThat(
        client.pods().inNamespace(NS).withLabel("edx.dev/job-id", handle.id()).list().getItems())
        .isEmpty());
  }

  @Test
  void jobsAreFoundByIdFromAnotherInstance() {
    K8sCompute compute = compute(K8sTestSpecs.compute(NS));
    JobHandle handle = compute.submit(new ContainerJob("echo", "busybox:1.36",
        List.of("sh", "-c", "echo hi"), Map.of()));
    handle.await(Duration.ofSeconds(10));

    K8sCompute other = new K8sCompute(client, false,
        K8sTestSpecs.settings(K8sTestSpecs.compute(NS)), "test");

    assertThat(other.job(handle.id()).status().state()).isEqualTo(JobState.SUCCEEDED);
  }

  /**
   * A log is read with one GET of the pod's log subresource per pod: no list or watch of the pod
   * (fabric8's {@code getLog()} does both; a watch closed while the mock API server is sending it
   * an event stalls that server's event loop for 30 s).
   */
  @Test
  void logsReadEachPodsLogWithOneGetAndWatchNothing() throws Exception {
    K8sCompute compute = compute(K8sTestSpecs.compute(NS));
    JobHandle handle = compute.submit(new ContainerJob("echo", "busybox:1.36",
        List.of("sh", "-c", "echo hello from the pod"), Map.of()));
    assertThat(handle.await(Duration.ofSeconds(10)).state()).isEqualTo(JobState.SUCCEEDED);
    cluster.close();
    while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
      // requests before the log is read
    }

    assertThat(log(handle)).isEqualTo("hello from the pod\n");

    List<String> requests = new java.util.ArrayList<>();
    for (var r = server.takeRequest(10, TimeUnit.MILLISECONDS); r != null;
        r = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
      requests.add(r.getMethod() + " " + r.getPath());
    }
    String pod = client.pods().inNamespace(NS).withLabel("edx.dev/job-id", handle.id()).list()
        .getItems().get(0).getMetadata().getName();
    assertThat(requests).containsExactly(
        "GET /api/v1/namespaces/" + NS + "/pods?labelSelector=edx.dev%2Fjob-id%3D" + handle.id(),
        "GET /api/v1/namespaces/" + NS + "/pods/" + pod + "/log");
  }

  @Test
  void dryRunCreatesNothingAndLogsTheManifests() {
    K8sCompute compute = compute(K8sTestSpecs.compute(NS).set("dryRun", true));

    JobHandle handle = compute.submit(new ContainerJob("echo", "busybox:1.36",
        List.of("echo", "hi"), Map.of()));

    assertThat(handle.status().state()).isEqualTo(JobState.CANCELLED);
    assertThat(handle.status().reason()).hasValueSatisfying(r -> assertThat(r)
        .startsWith("dry run"));
    assertThat(log(handle)).contains("kind: \"Job\"").contains("busybox:1.36")
        .contains("app.kubernetes.io/managed-by: \"edx\"");
    assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(compute.job(handle.id())).isSameAs(handle);
  }

  private static String log(JobHandle handle) {
    try (var in = handle.logs()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
