package dev.edx.gha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edx.api.Environment;
import dev.edx.gha.Results;
import dev.edx.gha.convert.Json2ParquetTask;
import dev.edx.gha.ingest.IngestTask;
import dev.edx.gha.tables.CreateTablesTask;
import dev.edx.provider.k8s.ClusterSimulator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edx gha run} with {@code compute: k8s}, against fabric8's mock API server in CRUD mode
 * (no real cluster can run here). Each step becomes a ConfigMap and a {@code batch/v1} Job; the
 * k8s module's {@link ClusterSimulator} plays kubelet and Job controller, running each Job's task
 * through {@code EdxRunner} in-process with the spec from the Job's ConfigMap, as the runner image
 * would. Storage and metastore are local providers in a temp folder given by absolute paths, so
 * the "pods" open the same data as the pipeline. Input: the 2021-01-01T01 real sample (1,000
 * events; {@code EDX_GHA_SAMPLES}).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class GhaOnK8sTest {
  private static final String NAMESPACE = "edx-gha";
  private static final String HOUR = "2021-01-01T01";

  KubernetesMockServer server;
  KubernetesClient client;

  @BeforeEach
  void needsTheSamples() {
    Samples.assumeAvailable();
  }

  @Test
  void thePipelineRunsItsStepsAsKubernetesJobsAndEndsWithTheTables(@TempDir Path dir)
      throws Exception {
    Path spec = dir.resolve("gha-k8s.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: gha-k8s}
        spec:
          storage: {provider: local, root: "%s"}
          metastore: {provider: local, directory: "%s"}
          compute:
            provider: k8s
            namespace: %s
            masterUrl: "%s"
            image: "%s"
            startDeadline: 2m
        """.formatted(dir.resolve("data"), dir.resolve("metastore"), NAMESPACE,
        client.getMasterUrl(), ClusterSimulator.RUNNER_IMAGE));
    StringWriter out = new StringWriter();
    Path report = dir.resolve("report.json");

    int code;
    try (ClusterSimulator cluster = new ClusterSimulator(client, server, NAMESPACE,
        dir.resolve("pods"))) {
      code = GhaCli.run(new String[] {"gha", "run", "--env", spec.toString(), "--source",
          Samples.folder().toString(), "--from", HOUR, "--report", report.toString()},
          new PrintWriter(out, true), new PrintWriter(out, true));
    }

    assertThat(code).as(out.toString()).isZero();
    JsonNode result = Results.JSON.readTree(report.toFile());
    assertThat(result.get("hours")).singleElement().satisfies(h -> {
      assertThat(h.get("hour").asText()).isEqualTo(HOUR);
      assertThat(h.get("events").asLong()).isEqualTo(1000L);
      assertThat(h.get("quarantined").asLong()).isZero();
    });
    Map<String, Long> tables = new TreeMap<>();
    result.get("tables").forEach(t -> tables.put(t.get("name").asText(),
        t.get("rows").asLong()));
    assertThat(tables).containsEntry("gha.events", 1000L).containsEntry("gha_dm.t1", 1000L);

    // The three steps were three Jobs running the runner image with the task's contract.
    List<Job> jobs = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()
        .stream().sorted(Comparator.comparing(j -> j.getMetadata().getCreationTimestamp()
            + j.getMetadata().getName())).toList();
    Map<String, Job> byTask = new LinkedHashMap<>();
    for (Job job : jobs) {
      byTask.put(env(container(job)).get("EDX_TASK_CLASS"), job);
    }
    assertThat(byTask).containsOnlyKeys(IngestTask.class.getName(),
        Json2ParquetTask.class.getName(), CreateTablesTask.class.getName());
    for (Job job : jobs) {
      String id = job.getMetadata().getName();
      Container container = container(job);
      PodSpec pod = job.getSpec().getTemplate().getSpec();
      assertThat(job.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "edx")
          .containsEntry("edx.dev/job-id", id);
      assertThat(container.getImage()).isEqualTo(ClusterSimulator.RUNNER_IMAGE);
      assertThat(env(container)).containsEntry("EDX_JOB_ID", id)
          .containsEntry("EDX_ENV_SPEC", "/etc/edx/environment.yaml");
      assertThat(container.getVolumeMounts()).singleElement().satisfies(m -> {
        assertThat(m.getMountPath()).isEqualTo("/etc/edx");
        assertThat(m.getReadOnly()).isTrue();
        assertThat(pod.getVolumes()).singleElement().satisfies(v -> {
          assertThat(v.getName()).isEqualTo(m.getName());
          assertThat(v.getConfigMap().getName()).isEqualTo(id);
        });
      });
      assertThat(pod.getServiceAccountName()).isEqualTo("edx-runner");
      assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
      ConfigMap configMap = client.configMaps().inNamespace(NAMESPACE).withName(id).get();
      assertThat(configMap.getData().get("environment.yaml"))
          .contains("name: gha-k8s").contains("provider: k8s")
          .contains(dir.resolve("data").toString());
    }
    JsonNode ingest = Results.JSON.readTree(env(container(byTask.get(
        IngestTask.class.getName()))).get("EDX_TASK_PARAMS"));
    assertThat(ingest.get("hours").asText()).isEqualTo(HOUR);
    assertThat(ingest.get("source").asText()).isEqualTo(Samples.folder().toString());
    assertThat(ingest.get("rawBucket").asText()).isEqualTo("gha-raw");
    JsonNode convert = Results.JSON.readTree(env(container(byTask.get(
        Json2ParquetTask.class.getName()))).get("EDX_TASK_PARAMS"));
    assertThat(convert.get("hour").asText()).isEqualTo(HOUR);
    assertThat(convert.get("lakeBucket").asText()).isEqualTo("gha-lake");
    assertThat(byTask.get(Json2ParquetTask.class.getName()).getMetadata().getAnnotations())
        .containsEntry("edx.dev/job-name", "json2parquet-" + HOUR);

    // The tables are in the shared metastore and storage: query them as the pipeline would.
    try (Environment env = GhaCli.factory().open(spec)) {
      SqlEngine.Rows rows = SqlEngine.query(env, "SELECT count(*) FROM gha_dm.t1");
      assertThat(rows.rows().get(0).get(0)).isEqualTo("1000");
    }
  }

  private static Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, String> env(Container container) {
    Map<String, String> env = new TreeMap<>();
    for (EnvVar e : container.getEnv()) {
      env.put(e.getName(), e.getValue());
    }
    return env;
  }
}
