package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ContainerJob;
import dev.edx.api.Resources;
import dev.edx.api.SparkJob;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ServiceSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seven ways edx's rendering once broke on a real cluster, each refused when the spec is read
 * (naming the key and the rule) or when a job is submitted, or rendered the way a cluster accepts.
 * The client is fabric8's mock (rendering talks to no server).
 */
@EnableKubernetesMockClient(crud = true)
class K8sClusterRulesTest {
  static KubernetesClient client;

  private static K8sCompute compute(ServiceSpec.Builder spec) {
    return new K8sCompute(client, false, K8sTestSpecs.settings(spec), "test");
  }

  private static ServiceSpec.Builder spark() {
    return K8sTestSpecs.compute("edx-dev").set("sparkImage", "apache/spark:3.5.5");
  }

  private static SparkJob sparkJob(String name, Map<String, String> conf) {
    return new SparkJob(name, "a.Main", "local:///app.jar", List.of(), conf,
        Resources.of(1, "1g"), Resources.of(2, "2g"), 2);
  }

  private static void assertSpecError(ServiceSpec.Builder spec, String key, String... rule) {
    assertThatThrownBy(() -> K8sTestSpecs.settings(spec))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(key).hasMessageContainingAll(rule);
  }

  // 1. SparkApplication names are DNS-1035 labels

  @Test
  void jobIdsStartWithALetter() {
    assertThat(K8sNames.jobBase("2015-01-01 backfill")).isEqualTo("job-2015-01-01-backfill");
    assertThat(K8sNames.jobBase("FailingTask")).isEqualTo("failingtask");
    assertThat(K8sNames.jobBase("---")).isEqualTo("job");
    assertThat(K8sNames.jobBase("7" + "x".repeat(80))).hasSize(40).startsWith("job-7x");

    GenericKubernetesResource app = (GenericKubernetesResource) client.load(
        new java.io.ByteArrayInputStream(compute(spark()).render(sparkJob("2015-01-01 backfill",
            Map.of())).getBytes(java.nio.charset.StandardCharsets.UTF_8))).items().get(0);
    assertThat(app.getMetadata().getName()).matches("job-2015-01-01-backfill-[0-9a-f]{8}");
    assertThat(K8sNames.isDns1035Label(app.getMetadata().getName())).isTrue();
    assertThat(K8sNames.isDns1035Label("2015-01-01-backfill-f7e876bb")).isFalse();
  }

  // 2. the image in spec.image; no refused keys in sparkConf

  @Test
  @SuppressWarnings("unchecked")
  void theConfsImageBecomesSpecImageAndLeavesSparkConf() {
    K8sCompute compute = compute(K8sTestSpecs.compute("edx-dev"));
    GenericKubernetesResource app = (GenericKubernetesResource) compute.objects("e-1",
        sparkJob("e", Map.of("spark.kubernetes.container.image", "spark:conf",
            "spark.kubernetes.executor.container.image", "spark:exec",
            "spark.sql.shuffle.partitions", "8"))).get(0);

    Map<String, Object> spec = (Map<String, Object>) app.getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("image", "spark:conf");
    assertThat((Map<String, String>) spec.get("sparkConf"))
        .containsOnlyKeys("spark.sql.shuffle.partitions");
    assertThat((Map<String, Object>) spec.get("executor")).containsEntry("image", "spark:exec");
    assertThat((Map<String, Object>) spec.get("driver")).doesNotContainKey("image");
  }

  @Test
  void confKeysTheWebhookRefusesAreRefusedNamingTheKeyNeverTheValue() {
    K8sCompute compute = compute(spark());
    for (String key : K8sManifests.REFUSED_CONF.keySet()) {
      assertThatThrownBy(() -> compute.render(sparkJob("e", Map.of(key, "s3cr3t-value"))))
          .as(key).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("Cannot submit SparkJob 'e'").hasMessageContaining(key)
          .hasMessageContaining("spark-operator's webhook refuses")
          .hasMessageNotContaining("s3cr3t-value");
    }
    assertThat(K8sManifests.REFUSED_CONF).hasSize(10);
    assertThatThrownBy(() -> compute.render(sparkJob("e",
        Map.of("spark.kubernetes.namespace", "other"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spark.kubernetes.namespace")
        .hasMessageContaining("equal the application's namespace ('edx-dev'");
    assertThat(compute.render(sparkJob("e", Map.of("spark.kubernetes.namespace", "edx-dev"))))
        .contains("spark.kubernetes.namespace");
  }

  // 4. CPU limits consistent with requests, quota and limit range

  @Test
  void jobContainersAndSparkPodsGetACpuLimitEqualToTheirCores() {
    K8sCompute compute = compute(spark().set("resources", Map.of("cores", 2))
        .set("limits", Map.of("defaultCpu", "1")));
    Job job = (Job) compute.objects("c-1", new ContainerJob("c", "busybox", List.of("true"),
        Map.of())).get(0);
    var resources = job.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
    assertThat(resources.getRequests()).containsEntry("cpu", new Quantity("2"));
    assertThat(resources.getLimits()).containsEntry("cpu", new Quantity("2"));

    String yaml = compute.render(sparkJob("s", Map.of()));
    assertThat(yaml).contains("coreLimit: \"1\"").contains("coreLimit: \"2\"");
  }

  @Test
  void containersTheNamespaceCannotAdmitAreRefusedWhenTheSpecIsRead() {
    assertSpecError(K8sTestSpecs.compute("edx").set("resources", Map.of("cores", 2))
        .set("limits", Map.of("maxCpu", "1")), "spec.compute.resources",
        "limited to 2 cpu, more than spec.compute.limits.maxCpu (1)", "refuse every such pod");
    assertSpecError(K8sTestSpecs.compute("edx").set("resources", Map.of("memory", "512Mi"))
        .set("limits", Map.of("minMemory", "1Gi")), "spec.compute.resources",
        "requests 512Mi memory, less than spec.compute.limits.minMemory (1Gi)");
    assertSpecError(K8sTestSpecs.compute("edx").set("resources", Map.of("cores", 4))
        .set("quota", Map.of("limitsCpu", "2")), "spec.compute.resources",
        "more than the whole namespace's spec.compute.quota.limitsCpu (2)");
    assertSpecError(K8sTestSpecs.compute("edx").set("quota", Map.of("memory", "512Mi")),
        "spec.compute.resources", "spec.compute.quota.memory (512Mi)");
  }

  @Test
  void sparkPodsTheNamespaceCannotAdmitAreRefusedAtSubmit() {
    K8sCompute compute = compute(spark().set("limits", Map.of("maxCpu", "1")));
    assertThatThrownBy(() -> compute.render(sparkJob("s", Map.of())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Cannot submit SparkJob 's': its executor (2 cores, 2g")
        .hasMessageContaining("more than spec.compute.limits.maxCpu (1)");
    // Spark adds max(384Mi, 10%) to a pod's memory: a 2g executor does not fit a 2Gi maximum.
    K8sCompute small = compute(spark().set("limits", Map.of("maxMemory", "2Gi")));
    assertThatThrownBy(() -> small.render(sparkJob("s", Map.of())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("its executor").hasMessageContaining("2432Mi memory")
        .hasMessageContaining("spec.compute.limits.maxMemory (2Gi)");
    assertThat(small.render(sparkJob("s", Map.of("spark.executor.memoryOverhead", "0"))))
        .contains("SparkApplication");
  }

  // 5. LimitRange combinations the API server refuses

  @Test
  void limitRangesOutOfOrderAreRefusedNamingTheKey() {
    assertSpecError(K8sTestSpecs.compute("edx").set("limits",
            Map.of("defaultCpu", "2", "defaultRequestCpu", "3", "maxCpu", "1")),
        "spec.compute.limits.", "defaultRequestCpu 3 is greater than maxCpu 1",
        "defaultRequestCpu 3 is greater than defaultCpu 2", "defaultCpu 2 is greater than"
            + " maxCpu 1", "min <= defaultRequest <= default <= max");
    // The server fills default from max: a default request above max breaks it too.
    assertSpecError(K8sTestSpecs.compute("edx").set("limits",
            Map.of("defaultRequestMemory", "2Gi", "maxMemory", "1Gi")),
        "spec.compute.limits.defaultRequestMemory",
        "defaultMemory 1Gi (which defaults to maxMemory)");
    assertSpecError(K8sTestSpecs.compute("edx").set("limits",
            Map.of("minCpu", "2", "maxCpu", "1")),
        "spec.compute.limits.minCpu", "minCpu 2 is greater than maxCpu 1");
    assertSpecError(K8sTestSpecs.compute("edx").set("limits",
            Map.of("minCpu", "2", "defaultCpu", "1")),
        "spec.compute.limits.", "minCpu 2 is greater than");
    assertThat(K8sTestSpecs.settings(K8sTestSpecs.compute("edx").set("limits",
        Map.of("minCpu", "500m", "defaultRequestCpu", "1", "defaultCpu", "2", "maxCpu", "4"))))
        .isNotNull();
  }

  // 6. DNS subdomains: each dot-separated part a DNS label

  @Test
  void objectNamesAreDnsSubdomainsPartByPart() {
    for (String bad : List.of("edx..runner", "a.-b", "a-.b", ".edx", "edx.", "x".repeat(254))) {
      assertThat(K8sNames.isDnsSubdomain(bad)).as(bad).isFalse();
      assertSpecError(K8sTestSpecs.compute("edx").set("serviceAccount", bad),
          "spec.compute.serviceAccount", "each dot-separated part");
    }
    assertSpecError(K8sTestSpecs.compute("edx").set("s3aEndpoint", "http://m:9000")
        .set("s3aCredentialsSecret", "minio..creds"), "spec.compute.s3aCredentialsSecret",
        "DNS subdomain");
    assertThat(K8sNames.isDnsSubdomain("edx.runner-1.v2")).isTrue();
    assertThat(K8sTestSpecs.settings(K8sTestSpecs.compute("edx")
        .set("serviceAccount", "edx.runner")).serviceAccount()).isEqualTo("edx.runner");
  }

  // 7. tolerations and TTLs

  @Test
  void tolerationsFollowTheApiServersRules() {
    assertSpecError(K8sTestSpecs.compute("edx").set("tolerations", List.of(Map.of(
            "key", "dedicated", "operator", "Exists", "value", "edx"))),
        "spec.compute.tolerations[0].value", "must be empty when operator is Exists");
    assertSpecError(K8sTestSpecs.compute("edx").set("tolerations", List.of(
            Map.of("operator", "Exists"),
            Map.of("key", "dedicated", "value", "edx", "effect", "NoSchedule",
                "tolerationSeconds", 60))),
        "spec.compute.tolerations[1].tolerationSeconds", "only allowed with effect: NoExecute");
    assertSpecError(K8sTestSpecs.compute("edx").set("tolerations", List.of(Map.of(
            "value", "edx"))),
        "spec.compute.tolerations[0].operator", "must be Exists when key is empty");
    assertSpecError(K8sTestSpecs.compute("edx").set("tolerations", List.of(Map.of(
            "key", "k", "operator", "Gt"))),
        "spec.compute.tolerations[0].operator", "must be one of [Equal, Exists]");
    assertSpecError(K8sTestSpecs.compute("edx").set("tolerations", List.of(Map.of(
            "key", "k", "operator", "Exists", "effect", "NoRun"))),
        "spec.compute.tolerations[0].effect", "NoSchedule, PreferNoSchedule, NoExecute");
    assertSpecError(K8sTestSpecs.compute("edx").set("tolerations", List.of(Map.of(
            "key", "bad key", "operator", "Exists"))),
        "spec.compute.tolerations[0].key", "must be a label key");
    assertSpecError(K8sTestSpecs.compute("edx").set("nodeSelector", Map.of("pool", "a b")),
        "spec.compute.nodeSelector.pool", "must be a label value");
    assertThat(K8sTestSpecs.settings(K8sTestSpecs.compute("edx").set("tolerations", List.of(
        Map.of("key", "node.kubernetes.io/unreachable", "operator", "Exists",
            "effect", "NoExecute", "tolerationSeconds", 300)))).tolerations()).hasSize(1);
  }

  @Test
  void negativeTtlsAreRefused() {
    assertSpecError(K8sTestSpecs.compute("edx").set("ttlAfterFinished", "PT-1H"),
        "spec.compute.ttlAfterFinished", "must not be negative");
    assertThat(K8sTestSpecs.settings(K8sTestSpecs.compute("edx").set("ttlAfterFinished", "0s"))
        .ttlAfterFinished()).contains(java.time.Duration.ZERO);
  }
}
