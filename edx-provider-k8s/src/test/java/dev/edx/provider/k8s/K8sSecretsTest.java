package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Secret;
import dev.edx.api.exceptions.ProviderException;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes specifics of {@link K8sSecrets}, on fabric8's mock API server in CRUD mode (no real
 * cluster). The mock does not merge {@code stringData} into {@code data} as a real server does,
 * which lets the tests check that edx reads both.
 */
@EnableKubernetesMockClient(crud = true)
class K8sSecretsTest {
  static KubernetesClient client;
  private static final String NS = "edx-secrets-test";

  @Test
  void readsDataAndStringDataWithStringDataWinning() {
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
        .withName("helm-made").endMetadata()
        .withData(Map.of("user", b64("edx"), "password", b64("old-password")))
        .withStringData(Map.of("password", "new-password", "host", "db")).build()).create();
    K8sSecrets secrets = new K8sSecrets(client, false, NS, false);

    Secret read = secrets.get("helm-made").orElseThrow();

    assertThat(read.reveal()).isEqualTo(Map.of("user", "edx", "password", "new-password",
        "host", "db"));
  }

  @Test
  void writesBase64DataWithTheManagedByLabel() {
    K8sSecrets secrets = new K8sSecrets(client, false, NS, false);

    secrets.put(Secret.of("pg", Map.of("password", "p\u00e4ss")));

    var stored = client.secrets().inNamespace(NS).withName("pg").get();
    assertThat(stored.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "edx");
    assertThat(stored.getType()).isEqualTo("Opaque");
    assertThat(stored.getData()).containsExactly(Map.entry("password", b64("p\u00e4ss")));
  }

  @Test
  void listsOnlyEdxSecretsAndLeavesOthersAloneUnlessAdopting() {
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
        .withName("foreign").endMetadata().withData(Map.of("k", b64("value1"))).build()).create();
    K8sSecrets secrets = new K8sSecrets(client, false, NS, false);
    secrets.put(Secret.of("mine", Map.of("k", "v")));

    assertThat(secrets.list()).contains("mine").doesNotContain("foreign");
    assertThat(secrets.get("foreign")).isPresent();
    assertThatThrownBy(() -> secrets.put(Secret.of("foreign", Map.of("k", "other"))))
        .isInstanceOf(ProviderException.class).hasMessageContaining("not managed by edx")
        .hasMessageNotContaining("other");
    assertThatThrownBy(() -> secrets.delete("foreign")).isInstanceOf(ProviderException.class);
    assertThat(secrets.get("foreign").orElseThrow().reveal()).isEqualTo(Map.of("k", "value1"));

    K8sSecrets adopting = new K8sSecrets(client, false, NS, true);
    adopting.put(Secret.of("foreign", Map.of("k", "other")));
    assertThat(adopting.list()).contains("foreign");
    assertThat(adopting.delete("foreign")).isTrue();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
