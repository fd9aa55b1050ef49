package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edx doctor --env} on a spec with {@code k8s} compute, against fabric8's mock API server in
 * CRUD mode (no real cluster runs here): the CRD and spark-operator's Deployments are created in
 * the mock as spark-operator's Helm chart renders them.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class DoctorK8sTest {
  static KubernetesClient client;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int doctor(Path dir) throws IOException {
    Path spec = dir.resolve("k8s.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: dev}
        spec:
          secrets: {provider: local, directory: secrets}
          storage: {provider: local, root: data}
          metastore: {provider: local, directory: metastore}
          compute: {provider: k8s, namespace: edx-dev, masterUrl: "%s", dryRun: true}
        """.formatted(client.getMasterUrl()));
    return EdxMain.run(new String[] {"doctor", "--env", spec.toString()},
        new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private static void deploy(String name, String... args) {
    client.apps().deployments().inNamespace("spark-operator").resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace("spark-operator").endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName(name)
        .withImage("docker.io/kubeflow/spark-operator:2.5.2").withArgs(args).endContainer()
        .endSpec().endTemplate().endSpec().build()).create();
  }

  @Test
  void doctorSaysWhatTheClusterLacksForSparkJobsThenThatItIsThere(@TempDir Path dir)
      throws IOException {
    assertThat(doctor(dir)).isEqualTo(1);
    assertThat(out.toString()).as(err.toString()).containsPattern("FAIL +spark +"
        + "IllegalStateException: Spark jobs cannot run in namespace edx-dev: the"
        + " SparkApplication CRD \\(sparkapplications.sparkoperator.k8s.io\\) is not installed")
        .contains("no spark-operator Deployment found");

    client.apiextensions().v1().customResourceDefinitions().resource(
        new CustomResourceDefinitionBuilder().withNewMetadata()
            .withName("sparkapplications.sparkoperator.k8s.io").endMetadata().withNewSpec()
            .withGroup("sparkoperator.k8s.io").withScope("Namespaced").withNewNames()
            .withKind("SparkApplication").withPlural("sparkapplications").endNames()
            .addNewVersion().withName("v1beta2").withServed(true).withStorage(true)
            .endVersion().endSpec().build()).create();
    deploy("spark-operator-controller", "controller", "start", "--namespaces=default");
    deploy("spark-operator-webhook", "webhook", "start", "--namespaces=default,edx-dev");
    out.getBuffer().setLength(0);
    doctor(dir);
    assertThat(out.toString()).containsPattern("FAIL +spark +IllegalStateException: Spark jobs"
            + " cannot run in namespace edx-dev: no spark-operator controller watches namespace"
            + " edx-dev \\(spark-operator/spark-operator-controller watches namespaces"
            + " default\\): add edx-dev to the Helm value spark.jobNamespaces")
        .contains("(found: SparkApplication CRD installed (v1beta2 served); spark-operator"
            + " webhook spark-operator/spark-operator-webhook watches namespace edx-dev");

    client.apps().deployments().inNamespace("spark-operator")
        .withName("spark-operator-controller").delete();
    deploy("spark-operator-controller", "controller", "start", "--namespaces=default,edx-dev");
    out.getBuffer().setLength(0);
    doctor(dir);
    assertThat(out.toString()).containsPattern("ok +spark +SparkApplication CRD installed"
        + " \\(v1beta2 served\\); spark-operator controller spark-operator/spark-operator-"
        + "controller watches namespace edx-dev \\(namespaces default,edx-dev\\); spark-operator"
        + " webhook");
  }
}
