package dev.edx.provider.k8s;

import dev.edx.api.SparkJob;
import dev.edx.testkit.ComputeContract;
import dev.edx.testkit.EdxCapability;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compute contract against the {@code k8s} provider on fabric8's mock API server in CRUD mode
 * ({@code @EnableKubernetesMockClient(crud = true)}): no real cluster runs here. The {@link
 * ClusterSimulator} plays kubelet, Job controller and spark-operator: TaskJobs really run their
 * task through {@link dev.edx.provider.k8s.runner.EdxRunner} with the spec from the job's
 * ConfigMap, ContainerJobs run their command as a local process, SparkApplications are moved
 * through their states (Spark itself does not run).
 */
@EnableKubernetesMockClient(crud = true)
class K8sComputeContractTest extends ComputeContract<K8sCompute> {
  static final String NAMESPACE = "edx-contract";

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path work;

  private K8sCompute compute;
  private ClusterSimulator cluster;

  @BeforeEach
  void start() throws Exception {
    K8sComputeSettings settings = K8sTestSpecs.settings(K8sTestSpecs.compute(NAMESPACE)
        .set("image", ClusterSimulator.RUNNER_IMAGE)
        .set("sparkImage", "apache/spark:3.5.5")
        .set("runnerSpec",
            Path.of(getClass().getResource("/runner-environment.yaml").toURI()).toString()));
    compute = new K8sCompute(client, false, settings, "test");
    cluster = new ClusterSimulator(client, server, NAMESPACE, work);
  }

  @AfterEach
  void stop() {
    cluster.close();
    compute.close();
  }

  @Override
  protected K8sCompute compute() {
    return compute;
  }

  @Override
  protected boolean supports(EdxCapability capability) {
    // SparkApplications are moved to COMPLETED by the simulated spark-operator.
    return capability == EdxCapability.COMPUTE_SPARK_JOBS || super.supports(capability);
  }

  @Override
  protected SparkJob sparkJob() {
    return SparkJob.of(PREFIX + "spark-pi", "org.apache.spark.examples.SparkPi",
        "local:///opt/spark/examples/jars/spark-examples.jar", List.of("10"));
  }
}
