package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ServiceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The settings of the {@code k8s} providers, declared once: what edx checks and publishes ({@code
 * properties()}), and the values and errors read from them. No server is contacted.
 */
class K8sPropertiesTest {

  private static Map<String, PropertyDescriptor> byName(List<PropertyDescriptor> properties) {
    Map<String, PropertyDescriptor> map = new LinkedHashMap<>();
    properties.forEach(p -> assertThat(map.put(p.name(), p)).as(p.name()).isNull());
    return map;
  }

  @Test
  void bothProvidersDeclareTheConnectionThenTheirOwnSettings() {
    Map<String, PropertyDescriptor> compute = byName(new K8sComputeProvider().properties());
    Map<String, PropertyDescriptor> secrets = byName(new K8sSecretsProvider().properties());
    List<String> connection = List.of("namespace", "masterUrl", "kubeconfig", "context", "token",
        "caCertFile", "eks");

    assertThat(compute.keySet()).startsWith(connection.toArray(String[]::new))
        .contains("adopt", "image", "quota", "limits", "manifestsDir").hasSize(31);
    assertThat(secrets.keySet()).containsExactly("namespace", "masterUrl", "kubeconfig",
        "context", "token", "caCertFile", "eks", "adopt");
    assertThat(compute.get("namespace").required()).isTrue();
    assertThat(new K8sComputeProvider().sensitivePropertyNames()).containsExactly("token");
    assertThat(new K8sSecretsProvider().sensitivePropertyNames()).containsExactly("token");
    assertThat(compute.get("ttlAfterFinished").defaultValue()).contains("1d");
    assertThat(compute.get("startDeadline").defaultValue()).contains("5m");
    assertThat(compute.get("imagePullPolicy").defaultValue()).contains("IfNotPresent");
    assertThat(compute.get("backoffLimit").defaultValue()).contains("0");
    assertThat(compute.get("tolerations").type()).isEqualTo(PropertyDescriptor.Type.ANY);
    assertThat(compute.get("adopt").description()).isNotEqualTo(
        secrets.get("adopt").description());
  }

  @Test
  void defaultsAreTheDeclaredOnes() {
    K8sComputeSettings s = K8sTestSpecs.settings(K8sTestSpecs.compute("edx-dev"));

    assertThat(s.namespace()).isEqualTo("edx-dev");
    assertThat(s.serviceAccount()).isEqualTo("edx-runner");
    assertThat(s.sparkServiceAccount()).isEqualTo("edx-spark");
    assertThat(s.sparkVersion()).isEqualTo("3.5.5");
    assertThat(s.imagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(s.backoffLimit()).isZero();
    assertThat(s.ttlAfterFinished()).contains(Duration.ofDays(1));
    assertThat(s.startDeadline()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.activeDeadline()).isEmpty();
    assertThat(s.resources().cores()).isEqualTo(1);
    assertThat(s.resources().memory()).isEqualTo("1Gi");
    assertThat(s.s3aPathStyle()).isTrue();
    assertThat(s.s3aAccessKeyKey()).isEqualTo("accessKey");
    assertThat(s.s3aSecretKeyKey()).isEqualTo("secretKey");
    assertThat(s.tolerations()).isEmpty();
    assertThat(s.quota()).isEmpty();
    assertThat(s.adopt()).isFalse();
    assertThat(s.dryRun()).isFalse();
    assertThat(s.image()).isEqualTo(Optional.empty());
    assertThat(s.manifestsDir()).isEmpty();
  }

  @Test
  void relativePathsResolveAgainstTheSpecsFolder() {
    Path base = Path.of("/srv/envs");
    ServiceSpec spec = K8sTestSpecs.compute("edx").set("manifestsDir", "gitops/../gitops/edx")
        .build();

    assertThat(K8sComputeSettings.from(spec, base).manifestsDir())
        .contains(Path.of("/srv/envs/gitops/edx"));
  }

  @Test
  void badValuesFailNamingTheKeyAndTheRule() {
    assertError(K8sTestSpecs.compute("edx").set("imagePullPolicy", "Sometimes"),
        "spec.compute.imagePullPolicy", "must be one of [Always, IfNotPresent, Never]");
    assertError(K8sTestSpecs.compute("edx").set("backoffLimit", -1),
        "spec.compute.backoffLimit", "must be at least 0");
    assertError(K8sTestSpecs.compute("edx").set("startDeadline", "500ms"),
        "spec.compute.startDeadline", "must be at least one second");
    assertError(K8sTestSpecs.compute("edx").set("activeDeadline", "0s"),
        "spec.compute.activeDeadline", "must be at least one second");
    assertError(K8sTestSpecs.compute("edx").set("serviceAccount", "Runner_1"),
        "spec.compute.serviceAccount", "Kubernetes object name");
    assertError(K8sTestSpecs.compute("edx").set("s3aEndpoint", "http://minio:9000")
        .set("s3aCredentialsSecret", "Minio Creds"),
        "spec.compute.s3aCredentialsSecret", "Kubernetes object name");
    assertError(K8sTestSpecs.compute("edx").set("resources", Map.of("gpus", 1)),
        "spec.compute.resources.gpus", "is not a resource setting; use cores and memory");
    assertError(K8sTestSpecs.compute("edx").set("resources", Map.of("cores", "two")),
        "spec.compute.resources.cores", "must be a whole number");
    assertError(K8sTestSpecs.compute("edx").set("tolerations", "dedicated"),
        "spec.compute.tolerations", "must be a list of tolerations");
    assertError(K8sTestSpecs.compute("edx").set("tolerations",
            List.of(Map.of("key", "k", "tolerationSeconds", "soon"))),
        "spec.compute.tolerations[0].tolerationSeconds", "whole number of seconds");
    assertError(K8sTestSpecs.compute("edx").set("runnerSpec", "no-such-runner.yaml"),
        "spec.compute.runnerSpec", "no such file");
    assertError(K8sTestSpecs.compute("edx").set("ttlAfterFinished", "soon"),
        "spec.compute.ttlAfterFinished", "must be a duration");
  }

  private static void assertError(ServiceSpec.Builder spec, String key, String problem) {
    assertThatThrownBy(() -> K8sTestSpecs.settings(spec))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(key).hasMessageContaining(problem);
  }
}
