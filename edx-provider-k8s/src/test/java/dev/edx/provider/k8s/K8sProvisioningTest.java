package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Secret;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Provisioning of the namespace, service accounts and least-privilege Roles, against fabric8's
 * mock API server in CRUD mode (no real cluster).
 */
@EnableKubernetesMockClient(crud = true)
class K8sProvisioningTest {
  KubernetesClient client;

  private K8sCompute compute(String ns, boolean adopt) {
    return compute(ns, adopt, "test");
  }

  private K8sCompute compute(String ns, boolean adopt, String environment) {
    return new K8sCompute(client, false, K8sComputeSettings.builder(ns).setAdopt(adopt).build(),
        environment);
  }

  @Test
  void everythingCreatedIsLabelledWithTheEnvironment() {
    compute("edx-labels", false, "dev").apply();

    assertThat(client.namespaces().withName("edx-labels").get().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "edx")
        .containsEntry("edx.dev/environment", "dev");
    assertThat(client.rbac().roleBindings().inNamespace("edx-labels").list().getItems())
        .hasSize(2).allSatisfy(b -> assertThat(b.getMetadata().getLabels())
            .containsEntry("edx.dev/environment", "dev"));
  }

  @Test
  void anotherEnvironmentsObjectsAreNeverTouchedEvenWhenAdopting() {
    K8sCompute prod = compute("edx-shared", false, "prod");
    prod.apply();
    client.rbac().roles().inNamespace("edx-shared").withName("edx-runner").edit(r -> {
      r.getRules().get(0).getVerbs().add("watch");
      return r;
    });

    K8sCompute dev = compute("edx-shared", true, "dev");
    List<Change> planned = dev.plan();
    assertThat(planned).extracting(Change::action).containsOnly(Action.NONE);
    assertThat(planned).allSatisfy(c ->
        assertThat(c.detail()).contains("owned by environment 'prod'"));
    dev.apply();
    assertThat(client.rbac().roles().inNamespace("edx-shared").withName("edx-runner").get()
        .getRules().get(0).getVerbs()).as("dev did not repair prod's Role").contains("watch");
    assertThat(client.namespaces().withName("edx-shared").get().getMetadata().getLabels())
        .containsEntry("edx.dev/environment", "prod");

    assertThat(dev.destroy(DataPolicy.PURGE)).extracting(Change::action)
        .containsOnly(Action.NONE);
    assertThat(client.namespaces().withName("edx-shared").get()).isNotNull();
    assertThat(prod.destroy(DataPolicy.PURGE))
        .filteredOn(c -> c.resource().equals("namespace edx-shared")).singleElement()
        .satisfies(c -> assertThat(c.action()).isEqualTo(Action.DELETE));
  }

  @Test
  void objectsLabelledByAnEdxWithoutEnvironmentsNeedAdopt() {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("edx-legacy")
        .withLabels(Map.of("app.kubernetes.io/managed-by", "edx")).endMetadata().build())
        .create();

    assertThat(compute("edx-legacy", false).plan())
        .filteredOn(c -> c.resource().equals("namespace edx-legacy")).singleElement()
        .satisfies(c -> {
          assertThat(c.action()).isEqualTo(Action.NONE);
          assertThat(c.detail()).contains("adopt: true");
        });
    assertThat(compute("edx-legacy", true).apply())
        .filteredOn(c -> c.resource().equals("namespace edx-legacy")).singleElement()
        .satisfies(c -> {
          assertThat(c.action()).isEqualTo(Action.UPDATE);
          assertThat(c.detail()).contains("label edx.dev/environment missing");
        });
    assertThat(client.namespaces().withName("edx-legacy").get().getMetadata().getLabels())
        .containsEntry("edx.dev/environment", "test");
    assertThat(compute("edx-legacy", false).plan()).extracting(Change::action)
        .containsOnly(Action.NONE);
  }

  @Test
  void applyCreatesEverythingOnceAndTheSecondApplyChangesNothing() {
    K8sCompute compute = compute("edx-dev", false);

    assertThat(compute.plan()).extracting(Change::action).containsOnly(Action.CREATE);
    List<Change> first = compute.apply();
    List<Change> second = compute.apply();

    assertThat(first).extracting(Change::resource).containsExactly("namespace edx-dev",
        "serviceaccount edx-runner", "serviceaccount edx-spark", "role edx-runner",
        "role edx-spark-driver", "rolebinding edx-runner", "rolebinding edx-spark-driver");
    assertThat(first).extracting(Change::action).containsOnly(Action.CREATE);
    assertThat(second).extracting(Change::action).containsOnly(Action.NONE);
    assertThat(compute.plan()).extracting(Change::action).containsOnly(Action.NONE);
    RoleBinding binding = client.rbac().roleBindings().inNamespace("edx-dev")
        .withName("edx-spark-driver").get();
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo("edx-spark");
    });
    assertThat(client.rbac().clusterRoleBindings().list().getItems()).isEmpty();
  }

  @Test
  void rolesAreLeastPrivilegeAndNamespaced() {
    compute("edx-rbac", false).apply();
    List<Role> roles = client.rbac().roles().inNamespace("edx-rbac").list().getItems();

    assertThat(roles).hasSize(2);
    for (Role role : roles) {
      for (PolicyRule rule : role.getRules()) {
        assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
        assertThat(rule.getResources()).doesNotContain("*", "roles", "rolebindings");
        assertThat(rule.getApiGroups()).containsOnly("");
      }
    }
    Role runner = roles.stream().filter(r -> r.getMetadata().getName().equals("edx-runner"))
        .findFirst().orElseThrow();
    assertThat(runner.getRules()).flatExtracting(PolicyRule::getVerbs)
        .containsOnly("get", "list");
    Role driver = roles.stream().filter(r -> r.getMetadata().getName().equals("edx-spark-driver"))
        .findFirst().orElseThrow();
    assertThat(driver.getRules()).flatExtracting(PolicyRule::getResources)
        .containsExactlyInAnyOrder("pods", "services", "configmaps", "persistentvolumeclaims",
            "pods/log")
        .doesNotContain("secrets");
  }

  @Test
  void driftShowsInThePlanAndApplyRepairsIt() {
    K8sCompute compute = compute("edx-drift", false);
    compute.apply();
    client.rbac().roles().inNamespace("edx-drift").withName("edx-runner")
        .edit(r -> {
          r.getRules().get(0).getVerbs().add("delete");
          return r;
        });

    assertThat(compute.plan()).filteredOn(c -> c.action() == Action.UPDATE)
        .singleElement().satisfies(c -> {
          assertThat(c.resource()).isEqualTo("role edx-runner");
          assertThat(c.detail()).contains("rules differ");
        });
    compute.apply();
    assertThat(compute.plan()).extracting(Change::action).containsOnly(Action.NONE);
  }

  @Test
  void objectsEdxDidNotCreateAreLeftAloneUnlessAdopting() {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-ns")
        .endMetadata().build()).create();
    client.serviceAccounts().inNamespace("team-ns").resource(new ServiceAccountBuilder()
        .withNewMetadata().withName("edx-runner").endMetadata().build()).create();

    List<Change> applied = compute("team-ns", false).apply();

    assertThat(applied).filteredOn(c -> c.resource().equals("serviceaccount edx-runner"))
        .singleElement().satisfies(c -> {
          assertThat(c.action()).isEqualTo(Action.NONE);
          assertThat(c.detail()).contains("not managed by edx");
        });
    assertThat(client.serviceAccounts().inNamespace("team-ns").withName("edx-runner").get()
        .getMetadata().getLabels()).isNullOrEmpty();
    assertThat(compute("team-ns", false).destroy(DataPolicy.PURGE))
        .filteredOn(c -> c.resource().startsWith("namespace")).singleElement()
        .satisfies(c -> assertThat(c.action()).isEqualTo(Action.NONE));
    assertThat(client.namespaces().withName("team-ns").get()).isNotNull();

    List<Change> adopted = compute("team-ns", true).apply();
    assertThat(adopted).filteredOn(c -> c.resource().equals("serviceaccount edx-runner"))
        .singleElement().satisfies(c -> assertThat(c.action()).isEqualTo(Action.UPDATE));
    assertThat(client.serviceAccounts().inNamespace("team-ns").withName("edx-runner").get()
        .getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "edx")
        .containsEntry("edx.dev/environment", "test");
  }

  @Test
  void destroyRetainsANamespaceHoldingDataAndPurgeDeletesIt() {
    K8sCompute compute = compute("edx-data", false);
    compute.apply();
    new K8sSecrets(client, false, "edx-data", false).put(Secret.of("pg", Map.of("p", "w")));

    List<Change> retained = compute.destroy(DataPolicy.RETAIN);

    assertThat(retained).filteredOn(c -> c.resource().equals("namespace edx-data"))
        .singleElement().satisfies(c -> {
          assertThat(c.action()).isEqualTo(Action.RETAIN);
          assertThat(c.detail()).contains("1 secrets");
        });
    assertThat(retained).filteredOn(c -> c.resource().startsWith("role"))
        .extracting(Change::action).containsOnly(Action.DELETE);
    assertThat(client.namespaces().withName("edx-data").get()).isNotNull();

    assertThat(compute.destroy(DataPolicy.PURGE))
        .filteredOn(c -> c.resource().equals("namespace edx-data")).singleElement()
        .satisfies(c -> assertThat(c.action()).isEqualTo(Action.DELETE));
    assertThat(client.namespaces().withName("edx-data").get()).isNull();
  }

  @Test
  void anEmptyNamespaceIsDeletedUnderRetain() {
    K8sCompute compute = compute("edx-empty", false);
    compute.apply();

    assertThat(compute.destroy(DataPolicy.RETAIN)).extracting(Change::action)
        .containsOnly(Action.DELETE);
    assertThat(compute.renderProvisioning()).contains("kind: \"Role\"")
        .contains("kind: \"RoleBinding\"").doesNotContain("ClusterRole");
  }
}
