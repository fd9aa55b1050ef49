package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SparkOperatorCheck} against fabric8's mock API server in CRUD mode, holding the CRD and
 * Deployments as spark-operator's Helm chart renders them (v2: {@code controller start} and
 * {@code webhook start} with {@code --namespaces=}; v1: one deployment with {@code -namespace=}
 * and {@code -enable-webhook=true}).
 */
@EnableKubernetesMockClient(crud = true)
class SparkOperatorCheckTest {
  static KubernetesClient client;

  @BeforeEach
  void clean() {
    client.apps().deployments().inAnyNamespace().delete();
    client.apiextensions().v1().customResourceDefinitions().delete();
    client.namespaces().delete();
  }

  private static SparkOperatorCheck.Report check() {
    return new SparkOperatorCheck(client, "edx-dev").run();
  }

  static void installCrd(String... versions) {
    var builder = new CustomResourceDefinitionBuilder().withNewMetadata()
        .withName("sparkapplications.sparkoperator.k8s.io").endMetadata().withNewSpec()
        .withGroup("sparkoperator.k8s.io").withScope("Namespaced").withNewNames()
        .withKind("SparkApplication").withPlural("sparkapplications").endNames();
    for (String v : versions) {
      builder.addNewVersion().withName(v).withServed(true).withStorage(true).endVersion();
    }
    client.apiextensions().v1().customResourceDefinitions().resource(builder.endSpec().build())
        .create();
  }

  static void deploy(String name, String image, String... args) {
    Deployment d = new DeploymentBuilder().withNewMetadata().withName(name)
        .withNamespace("spark-operator").endMetadata().withNewSpec().withNewTemplate()
        .withNewSpec().addNewContainer().withName(name).withImage(image).withArgs(args)
        .endContainer().endSpec().endTemplate().endSpec().build();
    client.apps().deployments().inNamespace("spark-operator").resource(d).create();
  }

  @Test
  void anEmptyClusterLacksTheCrdAndTheOperator() {
    SparkOperatorCheck.Report report = check();

    assertThat(report.ok()).isFalse();
    assertThat(report.found()).isEmpty();
    assertThat(report.missing()).containsExactly(
        "the SparkApplication CRD (sparkapplications.sparkoperator.k8s.io) is not installed:"
            + " install spark-operator (its Helm chart installs its CRDs)",
        "no spark-operator Deployment found (a container whose image or name contains"
            + " 'spark-operator'): install spark-operator with namespace edx-dev in its Helm"
            + " value spark.jobNamespaces");
  }

  @Test
  void theChartsDefaultJobNamespacesDoNotWatchEdxsNamespace() {
    installCrd("v1beta2");
    deploy("spark-operator-controller", "docker.io/kubeflow/spark-operator:2.5.2",
        "controller", "start", "--namespaces=default", "--controller-threads=10");
    deploy("spark-operator-webhook", "docker.io/kubeflow/spark-operator:2.5.2",
        "webhook", "start", "--namespaces=default", "--webhook-port=9443");

    SparkOperatorCheck.Report report = check();

    assertThat(report.found()).containsExactly("SparkApplication CRD installed (v1beta2 served)");
    assertThat(report.missing()).hasSize(2);
    assertThat(report.missing().get(0)).startsWith("no spark-operator controller watches"
        + " namespace edx-dev (spark-operator/spark-operator-controller watches namespaces"
        + " default): add edx-dev to the Helm value spark.jobNamespaces");
    assertThat(report.missing().get(1)).startsWith("no spark-operator webhook watches")
        .contains("tolerations edx sets on drivers and executors are silently not applied");
  }

  @Test
  void operatorsWatchingTheNamespaceAreFoundByListAllOrSelector() {
    installCrd("v1beta1", "v1beta2");
    deploy("spark-operator-controller", "ghcr.io/kubeflow/spark-operator/controller:2.4.0",
        "controller", "start", "--namespaces=default,edx-dev");
    deploy("spark-operator-webhook", "ghcr.io/kubeflow/spark-operator/controller:2.4.0",
        "webhook", "start", "--namespaces=\"\"");

    SparkOperatorCheck.Report report = check();

    assertThat(report.ok()).as(report.missing().toString()).isTrue();
    assertThat(report.found()).containsExactly(
        "SparkApplication CRD installed (v1beta2 served)",
        "spark-operator controller spark-operator/spark-operator-controller watches namespace"
            + " edx-dev (namespaces default,edx-dev)",
        "spark-operator webhook spark-operator/spark-operator-webhook watches namespace edx-dev"
            + " (every namespace)");

    client.apps().deployments().inAnyNamespace().delete();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("edx-dev")
        .withLabels(Map.of("spark", "on")).endMetadata().build()).create();
    deploy("so-controller", "registry.local/spark-operator:2.5.2", "controller", "start",
        "--namespace-selector=spark=on");
    deploy("so-webhook", "registry.local/spark-operator:2.5.2", "webhook", "start",
        "--namespace-selector=spark=off");
    report = check();
    assertThat(report.found()).contains("spark-operator controller spark-operator/so-controller"
        + " watches namespace edx-dev (namespaces labelled spark=on)");
    assertThat(report.missing()).singleElement().asString()
        .startsWith("no spark-operator webhook watches namespace edx-dev"
            + " (spark-operator/so-webhook watches namespaces labelled spark=off)");
  }

  @Test
  void version1DeploymentsAndCrdsWithoutV1beta2() {
    installCrd("v1beta1");
    deploy("sparkoperator", "ghcr.io/googlecloudplatform/spark-operator:v1beta2-1.3.8-3.1.1",
        "-v=2", "-logtostderr", "-namespace=edx-dev", "-enable-ui-service=true");

    SparkOperatorCheck.Report report = check();

    assertThat(report.found()).containsExactly("spark-operator controller"
        + " spark-operator/sparkoperator watches namespace edx-dev (namespaces edx-dev)");
    assertThat(report.missing()).containsExactly(
        "the SparkApplication CRD serves [v1beta1], not v1beta2, which edx creates: upgrade"
            + " spark-operator",
        "no spark-operator webhook found: the S3A credentials (secretKeyRef env) and"
            + " tolerations edx sets on drivers and executors are silently not applied;"
            + " enable webhook.enable");

    client.apps().deployments().inAnyNamespace().delete();
    deploy("sparkoperator", "ghcr.io/googlecloudplatform/spark-operator:v1beta2-1.3.8-3.1.1",
        "-namespace=", "-enable-webhook=true", "-webhook-port=8080");
    assertThat(check().found()).contains("spark-operator webhook spark-operator/sparkoperator"
        + " watches namespace edx-dev (every namespace)");
  }
}
