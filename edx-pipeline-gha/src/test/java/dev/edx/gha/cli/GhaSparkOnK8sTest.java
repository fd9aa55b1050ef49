package dev.edx.gha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.embedded.S3Endpoint;
import dev.edx.gha.SparkEngine;
import dev.edx.provider.k8s.ClusterSimulator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edx gha convert|tables --engine spark} with {@code compute: k8s} against fabric8's mock
 * API server in CRUD mode, the k8s module's {@link ClusterSimulator} playing spark-operator.
 * Storage is {@code minio} on an embedded S3 endpoint whose keys are {@code ${secret:}}
 * references to a Kubernetes Secret (secrets: {@code k8s}). Each step becomes one
 * SparkApplication of the pipeline's Spark application: the S3A endpoint comes from the storage,
 * the credentials reach the driver and executors only as {@code secretKeyRef}s to that Secret,
 * and no secret value appears in the manifest, in the spec handed to the driver or in the output.
 * The simulator does not run the application (no Spark runs here), so its applications complete
 * without writing results, which the pipeline reports as such.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class GhaSparkOnK8sTest {
  private static final String NAMESPACE = "edx-gha";
  private static final String HOUR = "2021-01-01T01";
  private static final String JAR = "local:///opt/edx/edx-pipeline-gha-spark.jar";
  private static final ResourceDefinitionContext SPARK_APPLICATION =
      new ResourceDefinitionContext.Builder().withGroup("sparkoperator.k8s.io")
          .withVersion("v1beta2").withKind("SparkApplication").withPlural("sparkapplications")
          .withNamespaced(true).build();

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  @SuppressWarnings("unchecked")
  void convertAndTablesAreSparkApplicationsWithTheStorageCredentialsAsSecretKeyRefs(
      @TempDir Path dir) throws Exception {
    try (S3Endpoint s3 = S3Endpoint.inFolder(dir.resolve("s3"))) {
      client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata()
          .withName("minio").endMetadata().withData(Map.of(
              "accessKey", base64(s3.accessKey()), "secretKey", base64(s3.secretKey())))
          .build()).create();
      Path spec = dir.resolve("gha-spark-k8s.yaml");
      Files.writeString(spec, """
          apiVersion: edx.dev/v1
          kind: Environment
          metadata: {name: gha-spark-k8s}
          spec:
            secrets: {provider: k8s, namespace: %1$s, masterUrl: "%2$s"}
            storage:
              provider: minio
              endpoint: "%3$s"
              region: %4$s
              accessKey: "${secret:minio/accessKey}"
              secretKey: "${secret:minio/secretKey}"
            metastore: {provider: local, directory: "%5$s"}
            compute:
              provider: k8s
              namespace: %1$s
              masterUrl: "%2$s"
              sparkImage: "edx-gha-spark:test"
              startDeadline: 2m
          """.formatted(NAMESPACE, client.getMasterUrl(), s3.endpoint(), s3.region(),
          dir.resolve("metastore")));
      StringWriter out = new StringWriter();

      int convert;
      int tables;
      try (ClusterSimulator cluster = new ClusterSimulator(client, server, NAMESPACE,
          dir.resolve("pods"))) {
        convert = GhaCli.run(new String[] {"gha", "convert", "--env", spec.toString(),
            "--from", HOUR, "--engine", "spark", "--spark-app-jar", JAR, "--spark-executors",
            "2", "--spark-memory", "2g"}, new PrintWriter(out, true), new PrintWriter(out, true));
        tables = GhaCli.run(new String[] {"gha", "tables", "--env", spec.toString(),
            "--engine", "spark", "--spark-app-jar", JAR}, new PrintWriter(out, true),
            new PrintWriter(out, true));
      }

      // The simulator completes the applications without running them: no results.
      assertThat(convert).as(out.toString()).isEqualTo(1);
      assertThat(out.toString()).contains("convert " + HOUR + " failed")
          .contains("without a result for this hour");
      assertThat(tables).as(out.toString()).isEqualTo(1);
      assertThat(out.toString()).contains("Cannot build the tables: job ")
          .contains("but wrote no result");

      List<GenericKubernetesResource> apps = client.genericKubernetesResources(
          SPARK_APPLICATION).inNamespace(NAMESPACE).list().getItems().stream()
          .sorted(Comparator.comparing(a -> a.getMetadata().getCreationTimestamp()
              + a.getMetadata().getName())).toList();
      assertThat(apps).hasSize(2);
      Map<String, Object> convertSpec = spec(apps.get(0));
      Map<String, Object> tablesSpec = spec(apps.get(1));
      List<String> convertArgs = (List<String>) convertSpec.get("arguments");
      String run = convertArgs.get(4);
      String envSpec = "s3a://gha-lake/_edx/runs/" + run + "/environment.yaml";
      assertThat(convertArgs).containsExactly("convert", "--env", envSpec, "--run", run,
          "--raw-bucket", "gha-raw", "--lake-bucket", "gha-lake", "--hours", HOUR);
      List<String> tablesArgs = (List<String>) tablesSpec.get("arguments");
      assertThat(tablesArgs).containsExactly("tables", "--env", "s3a://gha-lake/_edx/runs/"
          + tablesArgs.get(4) + "/environment.yaml", "--run", tablesArgs.get(4),
          "--lake-bucket", "gha-lake", "--datamart-bucket", "gha-datamart");

      Map<String, Object> secretRefs = Map.of();
      for (Map<String, Object> app : List.of(convertSpec, tablesSpec)) {
        assertThat(app).containsEntry("type", "Scala").containsEntry("mode", "cluster")
            .containsEntry("mainClass", SparkEngine.MAIN_CLASS)
            .containsEntry("mainApplicationFile", JAR)
            .containsEntry("image", "edx-gha-spark:test");
        assertThat((Map<String, String>) app.get("sparkConf"))
            .containsEntry("spark.hadoop.fs.s3a.endpoint", s3.endpoint().toString())
            .containsEntry("spark.hadoop.fs.s3a.endpoint.region", s3.region())
            .containsEntry("spark.hadoop.fs.s3a.path.style.access", "true")
            .containsEntry("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
            .doesNotContainKeys("spark.hadoop.fs.s3a.access.key",
                "spark.hadoop.fs.s3a.secret.key");
        Map<String, Object> driver = (Map<String, Object>) app.get("driver");
        Map<String, Object> executor = (Map<String, Object>) app.get("executor");
        assertThat(driver).containsEntry("serviceAccount", "edx-spark");
        for (Map<String, Object> pod : List.of(driver, executor)) {
          assertThat((List<Map<String, Object>>) pod.get("env")).containsExactly(
              secretRef("AWS_ACCESS_KEY_ID", "minio", "accessKey"),
              secretRef("AWS_SECRET_ACCESS_KEY", "minio", "secretKey"));
        }
      }
      assertThat((Map<String, Object>) convertSpec.get("executor"))
          .containsEntry("instances", 2).containsEntry("memory", "2g");
      for (GenericKubernetesResource app : apps) {
        assertThat(Serialization.asYaml(app)).doesNotContain(s3.secretKey())
            .doesNotContain(s3.accessKey());
      }
      assertThat(out.toString()).doesNotContain(s3.secretKey());

      // The driver's spec keeps the references: the driver resolves them itself.
      try (Environment env = GhaCli.factory().open(spec)) {
        String handed = new String(env.storage().readAllBytes(ObjectRef.of("gha-lake",
            "_edx/runs/" + run + "/environment.yaml")), StandardCharsets.UTF_8);
        assertThat(handed).contains("${secret:minio/secretKey}").contains("gha-spark-k8s")
            .doesNotContain(s3.secretKey()).doesNotContain(s3.accessKey());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource app) {
    return (Map<String, Object>) app.getAdditionalProperties().get("spec");
  }

  private static Map<String, Object> secretRef(String name, String secret, String key) {
    return Map.of("name", name, "valueFrom", Map.of("secretKeyRef", Map.of("name", secret,
        "key", key)));
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
