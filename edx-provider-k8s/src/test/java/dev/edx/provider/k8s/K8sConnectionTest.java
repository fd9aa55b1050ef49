package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Environment;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection keys: kubeconfig and context, token, CA file, and TLS verification. Parsing only:
 * no API server is contacted (the in-cluster path is fabric8's auto-configuration, which needs a
 * pod's environment and is not exercised here).
 */
class K8sConnectionTest {
  private static final String KUBECONFIG = """
      apiVersion: v1
      kind: Config
      current-context: dev
      clusters:
      - name: dev
        cluster: {server: "https://dev.example.org:6443"}
      - name: staging
        cluster: {server: "https://staging.example.org:6443"}
      - name: lab
        cluster: {server: "https://lab.example.org:6443", insecure-skip-tls-verify: true}
      users:
      - name: dev-user
        user: {token: dev-token}
      - name: staging-user
        user: {token: staging-token}
      contexts:
      - name: dev
        context: {cluster: dev, user: dev-user}
      - name: staging
        context: {cluster: staging, user: staging-user}
      - name: lab
        context: {cluster: lab, user: dev-user}
      """;

  @TempDir
  Path dir;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(dir.resolve("kubeconfig"), KUBECONFIG);
    Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
  }

  private ServiceSpec.Builder spec() {
    return ServiceSpec.builder("compute", "k8s").set("namespace", "edx-dev");
  }

  private K8sConnection connection(ServiceSpec spec) {
    return K8sConnection.from(spec, context());
  }

  @Test
  void theSpecsContextPicksTheClusterAndUserOfTheKubeconfig() {
    Config current = connection(spec().set("kubeconfig", "kubeconfig").build()).config();
    Config staging = connection(spec().set("kubeconfig", "kubeconfig").set("context", "staging")
        .build()).config();

    assertThat(current.getMasterUrl()).startsWith("https://dev.example.org:6443");
    assertThat(current.getAutoOAuthToken()).isEqualTo("dev-token");
    assertThat(staging.getMasterUrl()).startsWith("https://staging.example.org:6443");
    assertThat(staging.getAutoOAuthToken()).isEqualTo("staging-token");
    assertThat(staging.getNamespace()).isEqualTo("edx-dev");
    assertThat(staging.isTrustCerts()).as("TLS verified").isFalse();
  }

  @Test
  void aTokenAndCaFileOverrideTheKubeconfigAndTheTokenIsMasked() {
    K8sConnection connection = connection(spec().set("kubeconfig", "kubeconfig")
        .set("masterUrl", "https://api.example.org:443").set("token", "s3cret-token")
        .set("caCertFile", "ca.pem").build());

    assertThat(connection.config().getMasterUrl()).startsWith("https://api.example.org");
    assertThat(connection.config().getOauthToken()).isEqualTo("s3cret-token");
    assertThat(connection.config().getAutoOAuthToken()).isEqualTo("s3cret-token");
    assertThat(connection.config().getCaCertFile()).isEqualTo(dir.resolve("ca.pem").toString());
    assertThat(connection.config().isTrustCerts()).isFalse();
    assertThat(connection.toString()).contains("token=****").doesNotContain("s3cret-token");
  }

  @Test
  void anUnknownContextFailsNamingTheKeyAndListingTheContexts() {
    assertThatThrownBy(() -> connection(spec().set("kubeconfig", "kubeconfig")
        .set("context", "prod").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.compute.context")
        .hasMessageContaining("no context 'prod'")
        .hasMessageContaining("its contexts: dev, lab, staging");
  }

  @Test
  void aKubeconfigThatSkipsTlsVerificationIsRefused() {
    assertThatThrownBy(() -> connection(spec().set("kubeconfig", "kubeconfig")
        .set("context", "lab").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.compute.kubeconfig")
        .hasMessageContaining("turns TLS verification off")
        .hasMessageContaining("caCertFile");
  }

  @Test
  void missingFilesFailNamingTheKey() {
    assertThatThrownBy(() -> connection(spec().set("kubeconfig", "nope.yaml").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.compute.kubeconfig").hasMessageContaining("no such file");
    assertThatThrownBy(() -> connection(spec().set("kubeconfig", "kubeconfig")
        .set("caCertFile", "missing.pem").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.compute.caCertFile").hasMessageContaining("no such file");
  }

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
}
