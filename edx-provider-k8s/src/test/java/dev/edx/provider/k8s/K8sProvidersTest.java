package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Compute;
import dev.edx.api.Environment;
import dev.edx.api.Secrets;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec parsing and discovery of the {@code k8s} providers; the server is fabric8's mock (plain
 * HTTP here: the providers verify TLS and have no setting to turn that off).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class K8sProvidersTest {
  static KubernetesClient client;

  @TempDir
  Path dir;

  private ProviderContext context() {
    Path base = dir;
    return new ProviderContext() {
      @Override
      public String environmentName() {
        return "test";
      }

      @Override
      public Path baseDirectory() {
        return base;
      }

      @Override
      public ClassLoader classLoader() {
        return getClass().getClassLoader();
      }

      @Override
      public Optional<String> environmentVariable(String name) {
        return Optional.empty();
      }

      @Override
      public Environment environment() {
        throw new IllegalStateException("no environment");
      }
    };
  }

  @Test
  void computeProviderParsesTheSpecAndReachesTheServer() {
    ComputeProvider provider = ServiceLoader.load(ComputeProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("k8s")).findFirst()
        .orElseThrow();
    ServiceSpec spec = ServiceSpec.builder("compute", "k8s")
        .set("namespace", "edx-dev").set("masterUrl", client.getMasterUrl().toString())
        .set("image", "edx-runner:0.1").set("startDeadline", "2m").set("backoffLimit", 1)
        .set("nodeSelector", Map.of("pool", "batch"))
        .set("tolerations", List.of(Map.of("key", "dedicated", "operator", "Exists",
            "effect", "NoSchedule")))
        .set("resources", Map.of("cores", 2, "memory", "2g"))
        .build();

    Compute compute = provider.create(spec, context());
    try {
      K8sComputeSettings s = ((K8sCompute) compute).settings();
      assertThat(s.startDeadline()).isEqualTo(Duration.ofMinutes(2));
      assertThat(s.backoffLimit()).isEqualTo(1);
      assertThat(s.tolerations()).singleElement()
          .satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
      assertThat(s.resources().memory()).isEqualTo("2g");
      assertThat(s.serviceAccount()).isEqualTo("edx-runner");
      assertThat(((K8sCompute) compute).plan()).isNotEmpty();
    } finally {
      ((K8sCompute) compute).close();
    }
  }

  @Test
  void unknownAndBadKeysFailNamingTheKey() {
    K8sComputeProvider provider = new K8sComputeProvider();

    assertThatThrownBy(() -> Specs.create(provider, ServiceSpec.builder("compute", "k8s")
        .set("namespace", "edx").set("imagePulPolicy", "Always").build(), context()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("imagePulPolicy")
        .hasMessageContaining("imagePullPolicy");
    assertThatThrownBy(() -> Specs.create(provider, ServiceSpec.builder("compute", "k8s")
        .build(), context())).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> Specs.create(provider, ServiceSpec.builder("compute", "k8s")
        .set("namespace", "Not_Valid").build(), context()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("DNS label");
    assertThatThrownBy(() -> Specs.create(provider, ServiceSpec.builder("compute", "k8s")
        .set("namespace", "edx").set("s3aEndpoint", "http://minio:9000").build(), context()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("s3aCredentialsSecret");
    assertThatThrownBy(() -> Specs.create(provider, ServiceSpec.builder("compute", "k8s")
        .set("namespace", "edx").set("tolerations", List.of(Map.of("colour", "red"))).build(),
        context())).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tolerations[0].colour");
  }

  @Test
  void quotaLimitsAndManifestsDirAreParsedAndCheckedNamingTheKey() {
    K8sComputeProvider provider = new K8sComputeProvider();
    K8sCompute compute = (K8sCompute) provider.create(ServiceSpec.builder("compute", "k8s")
        .set("namespace", "edx").set("masterUrl", client.getMasterUrl().toString())
        .set("quota", Map.of("cpu", 8, "memory", "32Gi", "pods", 20))
        .set("limits", Map.of("defaultMemory", "1Gi", "maxCpu", "4"))
        .set("manifestsDir", "gitops/edx").build(), context());
    try {
      assertThat(compute.settings().manifestsDir()).contains(dir.resolve("gitops/edx"));
      assertThat(compute.settings().quota()).containsOnly(Map.entry("cpu", "8"),
          Map.entry("memory", "32Gi"), Map.entry("pods", "20"));
      assertThat(compute.settings().limits()).containsOnly(Map.entry("defaultMemory", "1Gi"),
          Map.entry("maxCpu", "4"));
    } finally {
      compute.close();
    }

    assertThatThrownBy(() -> Specs.create(provider, ServiceSpec.builder("compute", "k8s")
        .set("namespace", "edx").set("quota", Map.of("cpus", "8")).build(), context()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("quota.cpus")
        .hasMessageContaining("is not a quota setting");
    assertThatThrownBy(() -> Specs.create(provider, ServiceSpec.builder("compute", "k8s")
        .set("namespace", "edx").set("quota", Map.of("memory", "2g")).build(), context()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("quota.memory")
        .hasMessageContaining("Kubernetes quantity");
    assertThatThrownBy(() -> Specs.create(provider, ServiceSpec.builder("compute", "k8s")
        .set("namespace", "edx").set("quota", Map.of("pods", "1.5")).build(), context()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("quota.pods")
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> Specs.create(provider, ServiceSpec.builder("compute", "k8s")
        .set("namespace", "edx").set("limits", Map.of("maxCpu", "-1")).build(), context()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("limits.maxCpu")
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> Specs.create(provider, ServiceSpec.builder("compute", "k8s")
        .set("namespace", "edx").set("limits", Map.of("cpu", List.of("1"))).build(), context()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("limits.cpu");
  }

  @Test
  void secretsProviderIsFoundAndMasksTheToken() {
    SecretsProvider provider = ServiceLoader.load(SecretsProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("k8s")).findFirst()
        .orElseThrow();
    assertThat(provider.sensitivePropertyNames()).contains("token");
    ServiceSpec spec = ServiceSpec.builder("secrets", "k8s").set("namespace", "edx-dev")
        .set("masterUrl", client.getMasterUrl().toString()).set("token", "t0ken-value").build()
        .withSensitive(provider.sensitivePropertyNames());
    assertThat(spec.toString()).doesNotContain("t0ken-value");

    Secrets secrets = provider.create(spec, context());
    try {
      assertThat(secrets.list()).isEmpty();
      assertThat(secrets.toString()).doesNotContain("t0ken-value");
    } finally {
      ((K8sSecrets) secrets).close();
    }
    assertThatThrownBy(() -> Specs.create(provider, ServiceSpec.builder("secrets", "k8s")
        .set("namespace", "edx").set("image", "x").build(), context()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("image");
  }

  @Test
  void aTaskJobShipsTheRenderedSpecWithoutSecretValues() throws Exception {
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName("edx-run").endMetadata().build()).create();
    client.secrets().inNamespace("edx-run").resource(new io.fabric8.kubernetes.api.model
        .SecretBuilder().withNewMetadata().withName("cluster").endMetadata()
        .withStringData(Map.of("token", "token-from-secret-456")).build()).create();
    Path specFile = dir.resolve("env.yaml");
    java.nio.file.Files.writeString(specFile, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata:
          name: runner-spec
        spec:
          secrets:
            provider: k8s
            namespace: edx-run
            masterUrl: %1$s
            token: literal-token-123
          compute:
            provider: k8s
            namespace: edx-run
            masterUrl: %1$s
            token: ${secret:cluster/token}
            image: edx-runner:0.1
        """.formatted(client.getMasterUrl()));

    try (Environment environment = dev.edx.core.EnvironmentLoader.builder()
        .setEnvironmentVariables(Map.of()).build().open(specFile)) {
      assertThat(environment.secrets().get("cluster").orElseThrow().require("token"))
          .as("the reference resolves for the compute").isEqualTo("token-from-secret-456");
      String id = environment.compute().submit(new dev.edx.api.TaskJob("ship", "a.Task",
          Map.of())).id();

      String shipped = client.configMaps().inNamespace("edx-run").withName(id).get().getData()
          .get(K8sManifests.SPEC_KEY);
      assertThat(shipped).contains("name: runner-spec").contains("image: edx-runner:0.1")
          .contains("token: \"${secret:cluster/token}\"")
          .doesNotContain("token-from-secret-456").doesNotContain("literal-token-123");
      assertThat(shipped).contains("token: '****'");
    }
  }
}
