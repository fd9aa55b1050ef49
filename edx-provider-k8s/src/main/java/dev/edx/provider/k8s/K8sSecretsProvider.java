package dev.edx.provider.k8s;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Secrets;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceSpec;
import java.util.List;

/**
 * The {@code k8s} secrets provider: builds a {@link K8sSecrets} with its own client. Settings:
 * {@link K8sConnectionProperties} ({@code namespace} required, {@code token} sensitive) and {@link
 * K8sSecretsProperties} (see {@code docs/providers/k8s.md}).
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
    K8sConnection connection = K8sConnection.from(spec, context);
    return new K8sSecrets(connection.connect(), true, connection.namespace(),
        K8sSecretsProperties.ADOPT.get(spec));
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return K8sConnectionProperties.descriptorsWith(K8sSecretsProperties.class);
  }
}
