package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ContainerJob;
import dev.edx.api.Resources;
import dev.edx.api.SparkJob;
import dev.edx.api.TaskJob;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ServiceSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests jobs become, field by field. Rendering talks to no server; the client comes from
 * fabric8's mock API server (no real cluster).
 */
@EnableKubernetesMockClient(crud = true)
class K8sManifestsTest {
  static KubernetesClient client;

  @TempDir
  Path dir;

  private K8sCompute compute(ServiceSpec.Builder spec) {
    return new K8sCompute(client, false, K8sTestSpecs.settings(spec), "test");
  }

  private ServiceSpec.Builder full() throws Exception {
    Path spec = Files.writeString(dir.resolve("env.yaml"), "kind: Environment\n");
    return K8sTestSpecs.compute("edx-dev")
        .set("image", "edx-runner:0.1")
        .set("sparkImage", "apache/spark:3.5.5")
        .set("runnerSpec", spec.toString())
        .set("activeDeadline", "2h")
        .set("backoffLimit", 2)
        .set("ttlAfterFinished", "10m")
        .set("nodeSelector", Map.of("pool", "batch"))
        .set("tolerations", List.of(Map.of("key", "dedicated", "operator", "Equal",
            "value", "edx", "effect", "NoSchedule")))
        .set("resources", Map.of("cores", 2, "memory", "4g"));
  }

  @Test
  void taskJobIsAConfigMapAndAJobRunningTheRunner() throws Exception {
    K8sCompute compute = compute(full());
    TaskJob task = new TaskJob("Json2Parquet", "dev.edx.gha.Json2Parquet",
        Map.of("hour", "2015-01-01-15"));

    List<HasMetadata> objects = compute.objects("json2parquet-0001", task);

    assertThat(objects).hasSize(2);
    ConfigMap cm = (ConfigMap) objects.get(0);
    assertThat(cm.getData()).containsEntry("environment.yaml", "kind: Environment\n");
    Job job = (Job) objects.get(1);
    for (HasMetadata o : objects) {
      assertThat(o.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "edx")
          .containsEntry("edx.dev/job-id", "json2parquet-0001");
      assertThat(o.getMetadata().getNamespace()).isEqualTo("edx-dev");
    }
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(7200L);
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "edx")
        .containsEntry("edx.dev/job-id", "json2parquet-0001");
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getServiceAccountName()).isEqualTo("edx-runner");
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("pool", "batch"));
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
      assertThat(t.getKey()).isEqualTo("dedicated");
      assertThat(t.getEffect()).isEqualTo("NoSchedule");
    });
    assertThat(pod.getVolumes()).singleElement()
        .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("json2parquet-0001"));
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("edx-runner:0.1");
    assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(c.getCommand()).isEmpty();
    assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("2"))
        .containsEntry("memory", new Quantity("4Gi"));
    assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("4Gi"))
        .containsEntry("cpu", new Quantity("2"));
    assertThat(c.getVolumeMounts()).singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/etc/edx"));
    assertThat(c.getEnv()).extracting(e -> e.getName() + "=" + e.getValue()).containsExactly(
        "EDX_JOB_ID=json2parquet-0001",
        "EDX_TASK_CLASS=dev.edx.gha.Json2Parquet",
        "EDX_TASK_PARAMS={\"hour\":\"2015-01-01-15\"}",
        "EDX_ENV_SPEC=/etc/edx/environment.yaml");
  }

  @Test
  void containerJobHasImageCommandAndEnv() throws Exception {
    Job job = (Job) compute(full()).objects("echo-1", new ContainerJob("echo", "busybox:1.36",
        List.of("sh", "-c", "echo hi"), Map.of("B", "2", "A", "1"))).get(0);

    Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("busybox:1.36");
    assertThat(c.getCommand()).containsExactly("sh", "-c", "echo hi");
    assertThat(c.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
        .containsExactly("A=1", "B=2");
    assertThat(job.getMetadata().getLabels()).containsEntry("edx.dev/job-id", "echo-1");
  }

  @Test
  @SuppressWarnings("unchecked")
  void sparkJobIsASparkApplicationWithS3aThroughSecretReferences() throws Exception {
    K8sCompute compute = compute(full().set("s3aEndpoint", "http://minio.minio:9000")
        .set("s3aCredentialsSecret", "minio-creds"));
    SparkJob job = new SparkJob("events", "dev.edx.gha.Events", "s3a://jars/gha.jar",
        List.of("--day", "2015-01-01"), Map.of("spark.sql.shuffle.partitions", "8"),
        Resources.of(1, "2Gi"), Resources.of(2, "3g"), 4);

    GenericKubernetesResource app = (GenericKubernetesResource) compute.objects("events-1", job)
        .get(0);

    assertThat(app.getApiVersion()).isEqualTo("sparkoperator.k8s.io/v1beta2");
    assertThat(app.getKind()).isEqualTo("SparkApplication");
    assertThat(app.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "edx")
        .containsEntry("edx.dev/job-id", "events-1");
    Map<String, Object> spec = (Map<String, Object>) app.getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("type", "Scala").containsEntry("mode", "cluster")
        .containsEntry("image", "apache/spark:3.5.5")
        .containsEntry("mainClass", "dev.edx.gha.Events")
        .containsEntry("mainApplicationFile", "s3a://jars/gha.jar")
        .containsEntry("arguments", List.of("--day", "2015-01-01"))
        .containsEntry("restartPolicy", Map.of("type", "Never"))
        .containsEntry("timeToLiveSeconds", 600L);
    assertThat((Map<String, String>) spec.get("sparkConf"))
        .containsEntry("spark.sql.shuffle.partitions", "8")
        .containsEntry("spark.hadoop.fs.s3a.endpoint", "http://minio.minio:9000")
        .containsEntry("spark.hadoop.fs.s3a.path.style.access", "true")
        .containsEntry("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
        .doesNotContainKeys("spark.hadoop.fs.s3a.access.key", "spark.hadoop.fs.s3a.secret.key");
    Map<String, Object> driver = (Map<String, Object>) spec.get("driver");
    Map<String, Object> executor = (Map<String, Object>) spec.get("executor");
    assertThat(driver).containsEntry("cores", 1).containsEntry("memory", "2g")
        .containsEntry("serviceAccount", "edx-spark");
    assertThat(executor).containsEntry("cores", 2).containsEntry("memory", "3g")
        .containsEntry("instances", 4);
    Map<String, Object> accessKey = Map.of("name", "AWS_ACCESS_KEY_ID", "valueFrom",
        Map.of("secretKeyRef", Map.of("name", "minio-creds", "key", "accessKey")));
    for (Map<String, Object> pod : List.of(driver, executor)) {
      assertThat((List<Object>) pod.get("env")).contains(accessKey).hasSize(2);
      assertThat((Map<String, String>) pod.get("labels")).containsEntry("edx.dev/job-id",
          "events-1");
      assertThat((List<Object>) pod.get("tolerations")).hasSize(1);
    }
    String yaml = compute.render(job);
    assertThat(yaml).contains("secretKeyRef").contains("kind: \"SparkApplication\"")
        .doesNotContain("fs.s3a.secret.key");
  }

  @Test
  @SuppressWarnings("unchecked")
  void pythonApplicationsArePythonType() throws Exception {
    GenericKubernetesResource app = (GenericKubernetesResource) compute(full()).objects("py-1",
        SparkJob.of("py", "", "local:///opt/app/main.py", List.of())).get(0);

    Map<String, Object> spec = (Map<String, Object>) app.getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("type", "Python").doesNotContainKey("mainClass");
  }

  @Test
  void missingRunnerSettingsAreConfigurationErrors() {
    K8sCompute compute = compute(K8sTestSpecs.compute("edx-dev"));

    assertThatThrownBy(() -> compute.render(new TaskJob("t", "a.B", Map.of())))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("image");
    assertThatThrownBy(() -> compute.render(SparkJob.of("s", "a.B", "local:///a.jar", List.of())))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("sparkImage");
  }

  @Test
  void memoryNotations() {
    assertThat(K8sManifests.kubernetesMemory("512m")).isEqualTo("512Mi");
    assertThat(K8sManifests.kubernetesMemory("2g")).isEqualTo("2Gi");
    assertThat(K8sManifests.kubernetesMemory("4Gi")).isEqualTo("4Gi");
    assertThat(K8sManifests.sparkMemory("4Gi")).isEqualTo("4g");
    assertThat(K8sManifests.sparkMemory("512m")).isEqualTo("512m");
  }
}
