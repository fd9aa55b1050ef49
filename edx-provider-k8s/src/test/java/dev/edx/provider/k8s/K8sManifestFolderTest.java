package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.ServiceSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provisioning rendered to a GitOps folder ({@code manifestsDir}, {@link
 * K8sCompute#renderManifests}) instead of the cluster; the client is fabric8's mock API server in
 * CRUD mode (no real cluster), used here only to show nothing is created in it.
 */
@EnableKubernetesMockClient(crud = true)
class K8sManifestFolderTest {
  KubernetesClient client;

  @TempDir
  Path dir;

  private K8sCompute compute(Path folder, Map<String, String> quota) {
    ServiceSpec.Builder spec = K8sTestSpecs.compute("edx-gitops")
        .set("quota", quota).set("limits", Map.of("defaultMemory", "1Gi"));
    if (folder != null) {
      spec.set("manifestsDir", folder.toString());
    }
    return new K8sCompute(client, false, K8sTestSpecs.settings(spec), "dev");
  }

  private static List<String> names(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void renderManifestsWritesOneDeterministicFilePerObjectAndCreatesNothing() throws Exception {
    Path folder = dir.resolve("gitops");

    List<Path> written = compute(null, Map.of("pods", "20", "cpu", "8")).renderManifests(folder);

    assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly(
        "00-namespace-edx-gitops.yaml",
        "10-resourcequota-edx-quota.yaml",
        "11-limitrange-edx-limits.yaml",
        "20-serviceaccount-edx-runner.yaml",
        "20-serviceaccount-edx-spark.yaml",
        "30-role-edx-runner.yaml",
        "30-role-edx-spark-driver.yaml",
        "40-rolebinding-edx-runner.yaml",
        "40-rolebinding-edx-spark-driver.yaml");
    assertThat(names(folder)).hasSize(9);
    assertThat(Files.readString(folder.resolve("00-namespace-edx-gitops.yaml"))).isEqualTo("""
        ---
        apiVersion: "v1"
        kind: "Namespace"
        metadata:
          labels:
            app.kubernetes.io/managed-by: "edx"
            edx.dev/environment: "dev"
          name: "edx-gitops"
        """);
    assertThat(Files.readString(folder.resolve("10-resourcequota-edx-quota.yaml"))).isEqualTo("""
        ---
        apiVersion: "v1"
        kind: "ResourceQuota"
        metadata:
          labels:
            app.kubernetes.io/managed-by: "edx"
            edx.dev/environment: "dev"
          name: "edx-quota"
          namespace: "edx-gitops"
        spec:
          hard:
            requests.cpu: "8"
            pods: "20"
        """);
    assertThat(Files.readString(folder.resolve("40-rolebinding-edx-runner.yaml"))).isEqualTo("""
        ---
        apiVersion: "rbac.authorization.k8s.io/v1"
        kind: "RoleBinding"
        metadata:
          labels:
            app.kubernetes.io/managed-by: "edx"
            edx.dev/environment: "dev"
          name: "edx-runner"
          namespace: "edx-gitops"
        roleRef:
          kind: "Role"
          apiGroup: "rbac.authorization.k8s.io"
          name: "edx-runner"
        subjects:
        - kind: "ServiceAccount"
          name: "edx-runner"
          namespace: "edx-gitops"
        """);
    assertThat(client.namespaces().list().getItems()).isEmpty();
    assertThat(client.rbac().roles().inAnyNamespace().list().getItems()).isEmpty();

    // The same settings give the same bytes.
    Path again = dir.resolve("again");
    compute(null, Map.of("cpu", "8", "pods", "20")).renderManifests(again);
    for (String name : names(folder)) {
      assertThat(Files.readString(again.resolve(name))).as(name)
          .isEqualTo(Files.readString(folder.resolve(name)));
    }
  }

  @Test
  void withManifestsDirPlanApplyAndDestroyWorkOnTheFolder() throws Exception {
    Path folder = dir.resolve("argocd/edx-gitops");
    K8sCompute compute = compute(folder, Map.of("pods", "20"));

    assertThat(compute.plan()).extracting(Change::action).containsOnly(Action.CREATE);
    assertThat(compute.apply()).extracting(Change::resource).startsWith(
        "manifest 00-namespace-edx-gitops.yaml", "manifest 10-resourcequota-edx-quota.yaml");
    assertThat(compute.apply()).extracting(Change::action).containsOnly(Action.NONE);
    assertThat(client.namespaces().list().getItems()).as("nothing in the cluster").isEmpty();

    Path role = folder.resolve("30-role-edx-runner.yaml");
    Files.writeString(role, Files.readString(role).replace("\"list\"", "\"delete\""));
    assertThat(compute.plan()).filteredOn(c -> c.action() != Action.NONE)
        .extracting(Change::resource, Change::action, Change::detail)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("manifest 30-role-edx-runner.yaml",
            Action.UPDATE, "content differs"));
    compute.apply();
    assertThat(Files.readString(role)).contains("\"list\"").doesNotContain("\"delete\"");

    // Dropping quota from the spec deletes its file; other files of the folder stay.
    Files.writeString(folder.resolve("kustomization.yaml"), "resources: []\n");
    K8sCompute withoutQuota = compute(folder, Map.of());
    assertThat(withoutQuota.plan()).filteredOn(c -> c.action() != Action.NONE)
        .singleElement().satisfies(c -> {
          assertThat(c.resource()).isEqualTo("manifest 10-resourcequota-edx-quota.yaml");
          assertThat(c.action()).isEqualTo(Action.DELETE);
        });
    withoutQuota.apply();
    assertThat(folder.resolve("10-resourcequota-edx-quota.yaml")).doesNotExist();

    assertThat(withoutQuota.destroy(DataPolicy.RETAIN)).extracting(Change::action)
        .containsOnly(Action.DELETE);
    assertThat(names(folder)).containsExactly("kustomization.yaml");
  }

  @Test
  void anotherEnvironmentsManifestIsLeftAlone() throws Exception {
    Path folder = dir.resolve("shared");
    new K8sCompute(client, false, K8sTestSpecs.settings(K8sTestSpecs.compute("edx-gitops")),
        "prod").renderManifests(folder);
    String prodNamespace = Files.readString(folder.resolve("00-namespace-edx-gitops.yaml"));

    K8sCompute dev = compute(folder, Map.of());
    assertThat(dev.plan()).filteredOn(c -> c.resource().contains("namespace")).singleElement()
        .satisfies(c -> {
          assertThat(c.action()).isEqualTo(Action.NONE);
          assertThat(c.detail()).contains("owned by environment 'prod'");
        });
    dev.apply();
    dev.destroy(DataPolicy.PURGE);
    assertThat(Files.readString(folder.resolve("00-namespace-edx-gitops.yaml")))
        .isEqualTo(prodNamespace);
  }
}
