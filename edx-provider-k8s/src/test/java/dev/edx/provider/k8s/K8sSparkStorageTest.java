package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.S3Access;
import dev.edx.api.SparkJob;
import dev.edx.api.exceptions.ConfigurationException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How a SparkApplication reaches the environment's storage: the storage's S3A conf, and its
 * credentials only as {@code secretKeyRef}s to the Secret its spec references, derived from the
 * storage ({@link S3Access}) and the environment's rendered spec.
 */
class K8sSparkStorageTest {
  private static final SparkJob JOB = SparkJob.of("gha", "dev.example.App",
      "local:///opt/app.jar", List.of());
  private static final S3Access.Credentials KEYS = new S3Access.Credentials("AKIAK8STEST",
      "k8s-secret-value", Optional.empty(), "accessKey", "secretKey", Optional.empty());
  private static final S3Access MINIO = new S3Access(
      Optional.of(URI.create("https://minio.minio:9000")), Optional.of("us-east-1"), true,
      Optional.of(KEYS));

  private static String rendered(String metadata, String accessKey, String secrets) {
    return """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: dev%s}
        spec:
          secrets: %s
          storage: {provider: minio, endpoint: "https://minio.minio:9000",
                    accessKey: "%s", secretKey: "${secret:minio/secretKey}"}
          compute: {provider: k8s, namespace: edx-dev}
        """.formatted(metadata, secrets, accessKey);
  }

  private static final String K8S_SECRETS = "{provider: k8s, namespace: edx-dev}";

  @Test
  void theCredentialsAreSecretKeyRefsToTheSecretTheStorageSpecReferences() {
    K8sSparkStorage storage = K8sSparkStorage.of(JOB, K8sTestSpecs.settings(
        K8sTestSpecs.compute("edx-dev")), Optional.of(MINIO), Optional.of(rendered("",
        "${secret:minio/accessKey}", K8S_SECRETS)));

    assertThat(storage.conf()).containsEntry("spark.hadoop.fs.s3a.endpoint",
        "https://minio.minio:9000").containsEntry("spark.hadoop.fs.s3a.connection.ssl.enabled",
        "true").containsEntry("spark.hadoop.fs.s3a.path.style.access", "true")
        .containsEntry("spark.hadoop.fs.s3a.endpoint.region", "us-east-1");
    assertThat(storage.env()).containsExactly(
        ref("AWS_ACCESS_KEY_ID", "minio", "accessKey"),
        ref("AWS_SECRET_ACCESS_KEY", "minio", "secretKey"));
    assertThat(Serialization.asYaml(Map.of("conf", storage.conf(), "env", storage.env())))
        .doesNotContain("k8s-secret-value").doesNotContain("AKIAK8STEST");
  }

  @Test
  void aNamePrefixNamesThePhysicalSecretAndNamespace() {
    K8sSparkStorage storage = K8sSparkStorage.of(JOB, K8sTestSpecs.settings(
        K8sTestSpecs.compute("pr42-edx-dev")), Optional.of(MINIO), Optional.of(rendered(
        ", namePrefix: pr42", "${secret:minio/accessKey}", K8S_SECRETS)));

    assertThat(storage.env()).containsExactly(
        ref("AWS_ACCESS_KEY_ID", "pr42-minio", "accessKey"),
        ref("AWS_SECRET_ACCESS_KEY", "pr42-minio", "secretKey"));
  }

  @Test
  void credentialsThatNoSecretHoldsAreRefusedNamingTheKeyAndTheFix() {
    K8sComputeSettings settings = K8sTestSpecs.settings(K8sTestSpecs.compute("edx-dev"));

    assertThatThrownBy(() -> K8sSparkStorage.of(JOB, settings, Optional.of(MINIO),
        Optional.of(rendered("", "${env:MINIO_ACCESS_KEY}", K8S_SECRETS))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Cannot submit SparkJob 'gha': Spark needs the storage's"
            + " credentials, which reach pods only as secretKeyRefs, never as values, and"
            + " spec.storage.accessKey is not a ${secret:NAME/KEY} reference")
        .hasMessageContaining("or name it in spec.compute.s3aCredentialsSecret");
    assertThatThrownBy(() -> K8sSparkStorage.of(JOB, settings, Optional.of(MINIO),
        Optional.of(rendered("", "${secret:minio/accessKey}",
            "{provider: local, directory: secrets}"))))
        .hasMessageContaining("references the local secrets provider, not Kubernetes Secrets");
    assertThatThrownBy(() -> K8sSparkStorage.of(JOB, settings, Optional.of(MINIO),
        Optional.of(rendered("", "${secret:minio/accessKey}",
            "{provider: k8s, namespace: vault}"))))
        .hasMessageContaining("is in namespace vault (spec.secrets.namespace), not the pods'"
            + " edx-dev");
    assertThatThrownBy(() -> K8sSparkStorage.of(JOB, settings, Optional.of(MINIO),
        Optional.empty())).hasMessageContaining("set spec.compute.s3aCredentialsSecret");
  }

  @Test
  void aNamedSecretOrARoleOrTheComputesOwnEndpointNeedNoReference() {
    K8sSparkStorage named = K8sSparkStorage.of(JOB, K8sTestSpecs.settings(K8sTestSpecs
        .compute("edx-dev").set("s3aCredentialsSecret", "spark-s3")), Optional.of(MINIO),
        Optional.empty());
    assertThat(named.env()).containsExactly(ref("AWS_ACCESS_KEY_ID", "spark-s3", "accessKey"),
        ref("AWS_SECRET_ACCESS_KEY", "spark-s3", "secretKey"));

    S3Access role = new S3Access(Optional.empty(), Optional.of("eu-west-1"), false,
        Optional.empty());
    K8sSparkStorage irsa = K8sSparkStorage.of(JOB, K8sTestSpecs.settings(
        K8sTestSpecs.compute("edx-dev")), Optional.of(role), Optional.empty());
    assertThat(irsa.env()).isEmpty();
    assertThat(irsa.conf()).containsEntry("spark.hadoop.fs.s3a.endpoint.region", "eu-west-1")
        .doesNotContainKey("spark.hadoop.fs.s3a.endpoint");

    K8sSparkStorage explicit = K8sSparkStorage.of(JOB, K8sTestSpecs.settings(K8sTestSpecs
        .compute("edx-dev").set("s3aEndpoint", "http://other:9000")
        .set("s3aCredentialsSecret", "other")), Optional.of(MINIO), Optional.empty());
    assertThat(explicit.conf()).isEmpty();
    assertThat(explicit.env()).isEmpty();
  }

  private static Map<String, Object> ref(String name, String secret, String key) {
    return Map.of("name", name, "valueFrom", Map.of("secretKeyRef", Map.of("name", secret,
        "key", key)));
  }
}
