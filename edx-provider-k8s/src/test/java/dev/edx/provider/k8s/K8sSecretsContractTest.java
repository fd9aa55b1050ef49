package dev.edx.provider.k8s;

import dev.edx.testkit.SecretsContract;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The secrets contract against the {@code k8s} provider on fabric8's mock API server in CRUD mode
 * ({@code @EnableKubernetesMockClient(crud = true)}): no real cluster runs here.
 */
@EnableKubernetesMockClient(crud = true)
class K8sSecretsContractTest extends SecretsContract<K8sSecrets> {
  static KubernetesClient client;

  private K8sSecrets secrets;

  @BeforeEach
  void open() {
    secrets = new K8sSecrets(client, false, "edx-secrets", false);
  }

  @AfterEach
  void close() {
    secrets.close();
  }

  @Override
  protected K8sSecrets secrets() {
    return secrets;
  }
}
