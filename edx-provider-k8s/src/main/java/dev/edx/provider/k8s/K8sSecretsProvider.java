package dev.edx.provider.k8s;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Secrets;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.util.List;

/**
 * The {@code k8s} secrets provider: builds a {@link K8sSecrets} with its own client. Settings:
 * {@code namespace} (required), the connection keys and {@code adopt} (see {@code
 * docs/providers/k8s.md}).
 */
public final class K8sSecretsProvider implements SecretsProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public K8sSecretsProvider() {}

  @Override
  public String name() {
    return "k8s";
  }

  @Override
  public Secrets create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    Specs.requireOnlyKeys(spec, K8sProperties.SECRETS_KEYS);
    K8sConnection connection = K8sConnection.from(spec, context);
    boolean adopt = Specs.getBoolean(spec, K8sProperties.ADOPT, K8sProperties.ADOPT_DEFAULT);
    return new K8sSecrets(connection.connect(), true, connection.namespace(), adopt);
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return K8sProperties.secretsProperties();
  }
}
