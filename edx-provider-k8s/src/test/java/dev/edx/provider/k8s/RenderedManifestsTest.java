package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.ContainerJob;
import dev.edx.api.JobSpec;
import dev.edx.api.Resources;
import dev.edx.api.SparkJob;
import dev.edx.api.TaskJob;
import dev.edx.api.spi.ServiceSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole rendered manifests (the YAML {@code render} and {@code renderProvisioning} return, read
 * back as objects) walked through {@link ClusterRules}: what a real API server and spark-operator's
 * webhook would refuse. No API server runs here, and fabric8's mock accepts anything, so the rules
 * are the test double; the second half shows they refuse what edx rendered before.
 */
@EnableKubernetesMockClient(crud = true)
class RenderedManifestsTest {
  static KubernetesClient client;

  @TempDir
  Path dir;

  /** Job names that once made invalid names: leading digits, symbols only, too long. */
  private static final List<String> NAMES = List.of("2015-01-01 backfill", "Json2Parquet",
      "★ ünïcode ★", "---", "9", "a".repeat(120), "Ends with dash -");

  private List<ServiceSpec.Builder> specs() throws Exception {
    Path runner = Files.writeString(dir.resolve("runner.yaml"), "kind: Environment\n");
    List<ServiceSpec.Builder> specs = new ArrayList<>();
    specs.add(K8sTestSpecs.compute("edx-dev").set("image", "edx-runner:0.1")
        .set("sparkImage", "apache/spark:3.5.5").set("runnerSpec", runner.toString()));
    // The docs' example: a default CPU limit of 1 under 2-core containers, a limits.cpu quota.
    specs.add(K8sTestSpecs.compute("edx-dev").set("image", "edx-runner:0.1")
        .set("runnerSpec", runner.toString())
        .set("resources", Map.of("cores", 2, "memory", "2Gi"))
        .set("quota", Map.of("cpu", "8", "memory", "32Gi", "limitsCpu", "16",
            "limitsMemory", "64Gi", "pods", "20"))
        .set("limits", Map.of("defaultCpu", "1", "defaultMemory", "1Gi",
            "defaultRequestCpu", "500m", "maxCpu", "4", "maxMemory", "8Gi")));
    specs.add(K8sTestSpecs.compute("edx-dev").set("image", "edx-runner:0.1")
        .set("runnerSpec", runner.toString()).set("ttlAfterFinished", "0s")
        .set("serviceAccount", "edx.runner").set("sparkServiceAccount", "spark-driver.v2")
        .set("nodeSelector", Map.of("kubernetes.io/arch", "amd64", "pool", "batch"))
        .set("tolerations", List.of(
            Map.of("key", "dedicated", "operator", "Equal", "value", "edx",
                "effect", "NoSchedule"),
            Map.of("key", "node.kubernetes.io/unreachable", "operator", "Exists",
                "effect", "NoExecute", "tolerationSeconds", 300),
            Map.of("operator", "Exists")))
        .set("s3aEndpoint", "http://minio.minio:9000").set("s3aCredentialsSecret", "minio.creds")
        .set("limits", Map.of("minCpu", "1", "maxCpu", "8", "minMemory", "256Mi"))
        .set("quota", Map.of("limitsCpu", "32")));
    return specs;
  }

  private static List<JobSpec> jobs(String name) {
    return List.of(
        new TaskJob(name, "dev.edx.gha.Json2Parquet", Map.of("hour", "2015-01-01-15")),
        new ContainerJob(name, "busybox:1.36", List.of("true"), Map.of("A_B", "1")),
        new SparkJob(name, "dev.edx.gha.Events", "s3a://jars/gha.jar", List.of(),
            Map.of("spark.kubernetes.container.image", "apache/spark:3.5.5",
                "spark.sql.shuffle.partitions", "8",
                "spark.kubernetes.namespace", "edx-dev"),
            Resources.of(1, "1g"), Resources.of(2, "3g"), 3),
        new SparkJob(name, "", "local:///opt/app/main.py", List.of("--day", "1"),
            Map.of("spark.kubernetes.driver.container.image", "py:1",
                "spark.kubernetes.executor.container.image", "py:1"),
            Resources.of(1, "1g"), Resources.of(1, "1g"), 1));
  }

  /** What {@code text} holds, read back as the API server would receive it. */
  private static List<HasMetadata> read(String yaml) {
    return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  @Test
  void everyRenderedManifestIsAcceptedByTheClusterRules() throws Exception {
    int checked = 0;
    for (ServiceSpec.Builder spec : specs()) {
      K8sCompute compute = new K8sCompute(client, false, K8sTestSpecs.settings(spec), "test");
      List<HasMetadata> provisioned = read(compute.renderProvisioning());
      assertThat(ClusterRules.violations(provisioned)).as(compute.renderProvisioning())
          .isEmpty();
      for (String name : NAMES) {
        for (JobSpec job : jobs(name)) {
          String yaml = compute.render(job);
          List<HasMetadata> objects = new ArrayList<>(provisioned);
          List<HasMetadata> rendered = read(yaml);
          objects.addAll(rendered);
          assertThat(ClusterRules.violations(objects)).as(yaml).isEmpty();
          assertThat(rendered).allSatisfy(o -> assertThat(o.getMetadata().getName())
              .matches("[a-z]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(49));
          checked += rendered.size();
        }
      }
    }
    assertThat(checked).isEqualTo(3 * NAMES.size() * (2 + 1 + 1 + 1));
  }

  @Test
  @SuppressWarnings("unchecked")
  void sparkApplicationsCarryTheirImagesAsFieldsAndCpuLimits() throws Exception {
    K8sCompute compute = new K8sCompute(client, false, K8sTestSpecs.settings(specs().get(1)),
        "test");
    List<HasMetadata> app = read(compute.render(jobs("2015-01-01 backfill").get(3)));

    Map<String, Object> spec = (Map<String, Object>) ((GenericKubernetesResource) app.get(0))
        .getAdditionalProperties().get("spec");
    assertThat(app.get(0).getMetadata().getName()).startsWith("job-2015-01-01-backfill-");
    assertThat(spec).doesNotContainKey("image");
    assertThat((Map<String, Object>) spec.get("sparkConf")).isEmpty();
    assertThat((Map<String, Object>) spec.get("driver")).containsEntry("image", "py:1")
        .containsEntry("coreLimit", "1");
    assertThat((Map<String, Object>) spec.get("executor")).containsEntry("image", "py:1");
  }

  // --- the rules refuse what edx rendered before ---

  private List<HasMetadata> namespaceWith(LimitRange limits, ResourceQuota quota) {
    List<HasMetadata> objects = new ArrayList<>();
    if (limits != null) {
      objects.add(limits);
    }
    if (quota != null) {
      objects.add(quota);
    }
    return objects;
  }

  private static LimitRange limitRange(Map<String, Map<String, String>> fields) {
    Map<String, Map<String, Quantity>> q = new LinkedHashMap<>();
    fields.forEach((f, m) -> {
      Map<String, Quantity> values = new LinkedHashMap<>();
      m.forEach((k, v) -> values.put(k, new Quantity(v)));
      q.put(f, values);
    });
    return new LimitRangeBuilder().withNewMetadata().withName("edx-limits").endMetadata()
        .withNewSpec().addNewLimit().withType("Container").withDefault(q.get("default"))
        .withDefaultRequest(q.get("defaultRequest")).withMax(q.get("max"))
        .withMin(q.get("min")).endLimit().endSpec().build();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theRulesRefuseWhatEdxRenderedBefore() throws Exception {
    K8sCompute compute = new K8sCompute(client, false, K8sTestSpecs.settings(specs().get(0)),
        "test");
    // 1. a SparkApplication named after a job with leading digits
    GenericKubernetesResource app = (GenericKubernetesResource) read(compute.render(
        jobs("x").get(2))).get(0);
    app.getMetadata().setName("2015-01-01-backfill-f7e876bb");
    assertThat(ClusterRules.violations(List.of(app)))
        .anySatisfy(v -> assertThat(v).contains("DNS-1035"));
    // 2. the image key in sparkConf
    app.getMetadata().setName("events-1");
    ((Map<String, Object>) ((Map<String, Object>) app.getAdditionalProperties().get("spec"))
        .get("sparkConf")).put("spark.kubernetes.container.image", "apache/spark:3.5.5");
    assertThat(ClusterRules.violations(List.of(app))).singleElement().asString()
        .contains("refuses sparkConf key spark.kubernetes.container.image");
    // 4. a 2-core Job without a CPU limit under a default CPU limit of 1
    Job job = (Job) read(compute.render(jobs("x").get(1))).get(0);
    var resources = job.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
    resources.getRequests().put("cpu", new Quantity("2"));
    resources.getLimits().remove("cpu");
    LimitRange defaultCpu1 = limitRange(Map.of("default", Map.of("cpu", "1")));
    List<HasMetadata> objects = namespaceWith(defaultCpu1, null);
    objects.add(job);
    assertThat(ClusterRules.violations(objects)).singleElement().asString()
        .contains("cpu request 2 must be less than or equal to cpu limit 1");
    //    and under a limits.cpu quota without a default limit
    ResourceQuota limitsCpu = new ResourceQuotaBuilder().withNewMetadata().withName("edx-quota")
        .endMetadata().withNewSpec().addToHard("limits.cpu", new Quantity("8")).endSpec()
        .build();
    objects = namespaceWith(null, limitsCpu);
    objects.add(job);
    assertThat(ClusterRules.violations(objects)).singleElement().asString()
        .contains("must specify limits.cpu");
    // 5. a LimitRange out of order
    assertThat(ClusterRules.violations(List.of(limitRange(Map.of("default", Map.of("cpu", "2"),
        "defaultRequest", Map.of("cpu", "3"), "max", Map.of("cpu", "1"))))))
        .hasSize(3).anySatisfy(v -> assertThat(v).contains("default request value 3 is greater"
            + " than default limit value 2"));
    //    also when the order breaks only once the server has filled the defaults
    assertThat(ClusterRules.violations(List.of(limitRange(Map.of(
        "defaultRequest", Map.of("cpu", "3"), "max", Map.of("cpu", "2"))))))
        .anySatisfy(v -> assertThat(v).contains("greater than default limit value 2"));
    // 6. service account names with empty or dash-edged parts
    for (String name : List.of("edx..runner", "a.-b", "edx.")) {
      assertThat(ClusterRules.violations(List.of(new ServiceAccountBuilder().withNewMetadata()
          .withName(name).endMetadata().build()))).singleElement().asString()
          .contains("DNS-1123 subdomain");
    }
    // 7. tolerations and a negative TTL
    Job tolerating = (Job) read(compute.render(jobs("x").get(1))).get(0);
    List<Toleration> bad = List.of(
        new TolerationBuilder().withKey("k").withOperator("Exists").withValue("edx").build(),
        new TolerationBuilder().withKey("k").withValue("v").withEffect("NoSchedule")
            .withTolerationSeconds(60L).build());
    tolerating.getSpec().getTemplate().getSpec().setTolerations(bad);
    tolerating.getSpec().setTtlSecondsAfterFinished(-3600);
    assertThat(ClusterRules.violations(List.of(tolerating))).containsExactlyInAnyOrder(
        "Job " + tolerating.getMetadata().getName()
            + ": value must be empty when operator is Exists",
        "Job " + tolerating.getMetadata().getName()
            + ": tolerationSeconds needs effect NoExecute, not 'NoSchedule'",
        "Job " + tolerating.getMetadata().getName()
            + ": ttlSecondsAfterFinished must be non-negative");
  }

  @Test
  void sparkPodsAreAdmittedWithTheirMemoryOverheadOrNot() {
    // A 3g executor asks for 3g + max(384Mi, 10%) = 3456Mi: under a 3Gi max it is refused.
    GenericKubernetesResource app = Serialization.unmarshal("""
        apiVersion: sparkoperator.k8s.io/v1beta2
        kind: SparkApplication
        metadata: {name: events-1, namespace: edx-dev}
        spec:
          type: Scala
          mode: cluster
          image: apache/spark:3.5.5
          sparkConf: {}
          driver: {cores: 1, coreLimit: "1", memory: 1g}
          executor: {cores: 1, coreLimit: "1", memory: 3g, instances: 1}
        """, GenericKubernetesResource.class);
    List<HasMetadata> objects = namespaceWith(limitRange(Map.of("max",
        Map.of("memory", "3Gi"))), null);
    objects.add(app);

    assertThat(ClusterRules.violations(objects)).singleElement().asString()
        .contains("SparkApplication events-1 executor pod: maximum memory usage per Container"
            + " is 3Gi");
  }
}
