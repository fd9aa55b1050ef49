package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.edx.api.Secret;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Provisioning of the namespace, its ResourceQuota and LimitRange, service accounts and
 * least-privilege Roles, against fabric8's mock API server in CRUD mode (no real cluster).
 */
@EnableKubernetesMockClient(crud = true)
class K8sProvisioningTest {
  KubernetesClient client;

  private K8sCompute compute(String ns, boolean adopt) {
    return compute(ns, adopt, "test");
  }

  private K8sCompute compute(String ns, boolean adopt, String environment) {
    return new K8sCompute(client, false,
        K8sTestSpecs.settings(K8sTestSpecs.compute(ns).set("adopt", adopt)),
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

  /** Compute whose environment's rendered spec is {@code spec} (as edx-core renders it). */
  private K8sCompute compute(String ns, String spec) {
    return new K8sCompute(client, false, K8sTestSpecs.settings(K8sTestSpecs.compute(ns)), "test",
        () -> Optional.of(spec));
  }

  private static String spec(String prefix, String secretsProvider, String secretsNamespace) {
    return """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: test%s}
        spec:
          secrets: {provider: %s, namespace: %s}
          storage:
            provider: minio
            endpoint: "http://minio.minio:9000"
            accessKey: "${secret:minio/accessKey}"
            secretKey: "${secret:minio/secretKey}"
          metastore:
            provider: postgres
            jdbcUrl: "jdbc:postgresql://pg:5432/edx"
            user: edx
            password: "${secret:pg/password}"
          compute: {provider: k8s, namespace: %s}
          datastores:
            events: {provider: kafka, bootstrapServers: "kafka:9092",
                     sasl: {password: "pre-${secret:kafka/password}-post"}}
        """.formatted(prefix.isEmpty() ? "" : ", namePrefix: " + prefix, secretsProvider,
        secretsNamespace, secretsNamespace);
  }

  private Role driverRole(String ns) {
    return client.rbac().roles().inNamespace(ns).withName("edx-spark-driver").get();
  }

  @Test
  void theDriverMayGetTheSecretsTheSpecReferencesAndNoOther() {
    K8sCompute compute = compute("edx-sec", spec("", "k8s", "edx-sec"));
    compute.apply();

    List<PolicyRule> secrets = driverRole("edx-sec").getRules().stream()
        .filter(r -> r.getResources().contains("secrets")).toList();
    assertThat(secrets).singleElement().satisfies(r -> {
      assertThat(r.getResources()).containsExactly("secrets");
      assertThat(r.getVerbs()).containsExactly("get");
      assertThat(r.getApiGroups()).containsExactly("");
      assertThat(r.getResourceNames()).containsExactly("kafka", "minio", "pg");
    });
    assertThat(compute.renderProvisioning()).contains("resourceNames:")
        .contains("- \"minio\"");
    assertThat(compute.plan()).extracting(Change::action).containsOnly(Action.NONE);
  }

  @Test
  void withANamePrefixTheDriverMayGetThePrefixedSecrets() {
    compute("pr42-edx-sec", spec("pr42", "k8s", "edx-sec")).apply();

    assertThat(driverRole("pr42-edx-sec").getRules())
        .filteredOn(r -> r.getResources().contains("secrets")).singleElement()
        .satisfies(r -> assertThat(r.getResourceNames())
            .containsExactly("pr42-kafka", "pr42-minio", "pr42-pg"));
  }

  @Test
  void withoutKubernetesSecretsInItsNamespaceTheDriverGetsNoSecretsRule() {
    compute("edx-aws-sec", spec("", "secretsmanager", "edx-aws-sec")).apply();
    compute("edx-other-ns", spec("", "k8s", "edx-elsewhere")).apply();

    // A Secrets rule without resourceNames would allow every Secret of the namespace.
    assertThat(driverRole("edx-aws-sec").getRules()).flatExtracting(PolicyRule::getResources)
        .doesNotContain("secrets");
    assertThat(driverRole("edx-other-ns").getRules()).flatExtracting(PolicyRule::getResources)
        .doesNotContain("secrets");
  }

  @Test
  void aNewReferenceInTheSpecShowsAsRulesDifferAndApplyWidensTheRole() {
    compute("edx-sec-drift", spec("", "secretsmanager", "edx-sec-drift")).apply();
    K8sCompute widened = compute("edx-sec-drift", spec("", "k8s", "edx-sec-drift"));

    assertThat(widened.plan()).filteredOn(c -> c.action() == Action.UPDATE).singleElement()
        .satisfies(c -> {
          assertThat(c.resource()).isEqualTo("role edx-spark-driver");
          assertThat(c.detail()).contains("rules differ");
        });
    widened.apply();
    assertThat(driverRole("edx-sec-drift").getRules()).flatExtracting(PolicyRule::getResourceNames)
        .containsExactly("kafka", "minio", "pg");
    assertThat(widened.plan()).extracting(Change::action).containsOnly(Action.NONE);
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

  private K8sCompute governed(String ns, Map<String, String> quota, Map<String, String> limits) {
    return new K8sCompute(client, false, K8sTestSpecs.settings(K8sTestSpecs.compute(ns)
        .set("quota", quota).set("limits", limits)), "test");
  }

  private static final Map<String, String> QUOTA = Map.of("cpu", "8", "memory", "32Gi",
      "pods", "20", "limitsMemory", "64Gi");
  private static final Map<String, String> LIMITS = Map.of("defaultCpu", "1",
      "defaultMemory", "1Gi", "defaultRequestCpu", "500m", "maxMemory", "8Gi");

  @Test
  void quotaAndLimitRangeAreProvisionedWithTheNamespaceOnceAndLabelled() {
    K8sCompute compute = governed("edx-quota", QUOTA, LIMITS);

    List<Change> first = compute.apply();

    assertThat(first).extracting(Change::resource).startsWith("namespace edx-quota",
        "resourcequota edx-quota", "limitrange edx-limits");
    assertThat(first).extracting(Change::action).containsOnly(Action.CREATE);
    assertThat(compute.apply()).extracting(Change::action).containsOnly(Action.NONE);
    ResourceQuota quota = client.resourceQuotas().inNamespace("edx-quota").withName("edx-quota")
        .get();
    assertThat(quota.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "edx")
        .containsEntry("edx.dev/environment", "test");
    assertThat(quota.getSpec().getHard()).containsOnly(
        Map.entry("requests.cpu", new Quantity("8")),
        Map.entry("requests.memory", new Quantity("32Gi")),
        Map.entry("limits.memory", new Quantity("64Gi")),
        Map.entry("pods", new Quantity("20")));
    LimitRange limits = client.limitRanges().inNamespace("edx-quota").withName("edx-limits")
        .get();
    assertThat(limits.getMetadata().getLabels()).containsEntry("edx.dev/environment", "test");
    assertThat(limits.getSpec().getLimits()).singleElement().satisfies(item -> {
      assertThat(item.getType()).isEqualTo("Container");
      assertThat(item.getDefault()).containsOnly(Map.entry("cpu", new Quantity("1")),
          Map.entry("memory", new Quantity("1Gi")));
      assertThat(item.getDefaultRequest()).containsOnly(Map.entry("cpu", new Quantity("500m")));
      assertThat(item.getMax()).containsOnly(Map.entry("memory", new Quantity("8Gi")));
      assertThat(item.getMin()).isNullOrEmpty();
    });
  }

  @Test
  void quotaAndLimitDriftShowsAsUpdateAndApplyRepairsIt() {
    K8sCompute compute = governed("edx-qdrift", QUOTA, LIMITS);
    compute.apply();
    client.resourceQuotas().inNamespace("edx-qdrift").withName("edx-quota").edit(q -> {
      q.getSpec().getHard().put("pods", new Quantity("500"));
      return q;
    });
    client.limitRanges().inNamespace("edx-qdrift").withName("edx-limits").edit(l -> {
      l.getSpec().getLimits().get(0).getMax().put("memory", new Quantity("64Gi"));
      return l;
    });

    assertThat(compute.plan()).filteredOn(c -> c.action() != Action.NONE)
        .extracting(Change::resource, Change::action, Change::detail).containsExactly(
            tuple("resourcequota edx-quota", Action.UPDATE, "hard limits differ"),
            tuple("limitrange edx-limits", Action.UPDATE, "limits differ"));
    compute.apply();
    assertThat(compute.plan()).extracting(Change::action).containsOnly(Action.NONE);
    assertThat(client.resourceQuotas().inNamespace("edx-qdrift").withName("edx-quota").get()
        .getSpec().getHard()).containsEntry("pods", new Quantity("20"));
    // 1 core written as 1000m is the same quantity: no drift.
    client.resourceQuotas().inNamespace("edx-qdrift").withName("edx-quota").edit(q -> {
      q.getSpec().getHard().put("requests.cpu", new Quantity("8000m"));
      return q;
    });
    assertThat(compute.plan()).extracting(Change::action).containsOnly(Action.NONE);
  }

  @Test
  void quotaAndLimitsDroppedFromTheSpecAreDeletedAndDestroyRemovesThem() {
    governed("edx-qdrop", QUOTA, LIMITS).apply();
    K8sCompute without = governed("edx-qdrop", Map.of(), LIMITS);

    assertThat(without.plan()).filteredOn(c -> c.action() != Action.NONE)
        .singleElement().satisfies(c -> {
          assertThat(c.resource()).isEqualTo("resourcequota edx-quota");
          assertThat(c.action()).isEqualTo(Action.DELETE);
          assertThat(c.detail()).isEqualTo("no longer in the spec");
        });
    without.apply();
    assertThat(client.resourceQuotas().inNamespace("edx-qdrop").withName("edx-quota").get())
        .isNull();
    assertThat(without.plan()).extracting(Change::action).containsOnly(Action.NONE);

    assertThat(without.destroy(DataPolicy.RETAIN))
        .filteredOn(c -> c.resource().equals("limitrange edx-limits")).singleElement()
        .satisfies(c -> assertThat(c.action()).isEqualTo(Action.DELETE));
    assertThat(client.limitRanges().inNamespace("edx-qdrop").withName("edx-limits").get())
        .isNull();
  }

  @Test
  void aQuotaEdxDidNotCreateIsLeftAloneEvenWhenTheSpecHasNone() {
    governed("edx-qforeign", Map.of(), Map.of()).apply();
    client.resourceQuotas().inNamespace("edx-qforeign").resource(new ResourceQuotaBuilder()
        .withNewMetadata().withName("edx-quota").endMetadata().withNewSpec()
        .withHard(Map.of("pods", new Quantity("3"))).endSpec().build()).create();

    K8sCompute compute = governed("edx-qforeign", Map.of(), Map.of());
    assertThat(compute.plan()).extracting(Change::action).containsOnly(Action.NONE);
    assertThat(compute.destroy(DataPolicy.PURGE)).extracting(Change::resource)
        .doesNotContain("resourcequota edx-quota");
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
