package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.ContainerJob;
import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.SparkJob;
import dev.edx.api.spi.ServiceSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job states beyond the contract: SparkApplication states, pods that cannot start, cancel and dry
 * run. Against fabric8's mock API server in CRUD mode with the {@link ClusterSimulator}; no real
 * cluster runs here.
 */
@EnableKubernetesMockClient(crud = true)
class K8sJobLifecycleTest {
  private static final String NS = "edx-lifecycle";
  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path work;

  private ClusterSimulator cluster;

  private K8sCompute compute(ServiceSpec.Builder spec) {
    cluster = new ClusterSimulator(client, server, NS, work);
    return new K8sCompute(client, false,
        K8sTestSpecs.settings(spec.set("sparkImage", "apache/spark:3.5.5")), "test");
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
    K8sCompute compute = compute(K8sTestSpecs.compute(NS)
        .set("startDeadline", "3s"));
    JobHandle handle = compute.submit(new ContainerJob("pull", "registry.example/missing:1",
        List.of("true"), Map.of()));

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

    dev.edx.testkit.Consistency.awaitConsistent(Duration.ofSeconds(5), () ->
        assertThat(handle.status().reason()).hasValueSatisfying(r -> assertThat(r)
            .contains("ImagePullBackOff")));
    assertThat(handle.status().state()).isEqualTo(JobState.SUBMITTED);
    handle.cancel();
  }

  @Test
  void unschedulablePodPastTheStartDeadlineFails() {
    K8sCompute compute = compute(K8sTestSpecs.compute(NS)
        .set("startDeadline", "3s")
        .set("nodeSelector", Map.of("edx.dev/simulate", "unschedulable")));
    JobHandle handle = compute.submit(new ContainerJob("big", "busybox:1.36", List.of("true"),
        Map.of()));

    JobStatus status = handle.await(Duration.ofSeconds(10));

    assertThat(status.state()).isEqualTo(JobState.FAILED);
    assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r)
        .contains("Unschedulable").contains("didn't match node selector"));
  }

  @Test
  void sparkDriverStuckOnImagePullFailsAndTheApplicationIsDeleted() {
    K8sCompute compute = new K8sCompute(client, false, K8sTestSpecs.settings(
        K8sTestSpecs.compute(NS).set("sparkImage", "registry.example/missing-spark:1")
            .set("startDeadline", "3s")), "test");
    cluster = new ClusterSimulator(client, server, NS, work);
    JobHandle handle = compute.submit(SparkJob.of("pi", "a.B", "local:///a.jar", List.of()));

    JobStatus status = handle.await(Duration.ofSeconds(10));

    assertThat(status.state()).isEqualTo(JobState.FAILED);
    assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r).contains("ErrImagePull"));
    assertThat(client.genericKubernetesResources(K8sManifests.SPARK_APPLICATION).inNamespace(NS)
        .withName(handle.id()).get()).isNull();
  }

  @Test
  void cancelDeletesTheJobAndItsPods() {
    K8sCompute compute = compute(K8sTestSpecs.compute(NS));
    JobHandle handle = compute.submit(new ContainerJob("sleep", "busybox:1.36",
        List.of("sh", "-c", "echo started; sleep 30"), Map.of()));
    dev.edx.testkit.Consistency.awaitConsistent(Duration.ofSeconds(10),
        () -> assertThat(handle.status().state()).isEqualTo(JobState.RUNNING));

    handle.cancel();

    assertThat(handle.status().state()).isEqualTo(JobState.CANCELLED);
    assertThat(client.batch().v1().jobs().inNamespace(NS).withName(handle.id()).get()).isNull();
    dev.edx.testkit.Consistency.awaitConsistent(Duration.ofSeconds(5), () -> assertThat(
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
