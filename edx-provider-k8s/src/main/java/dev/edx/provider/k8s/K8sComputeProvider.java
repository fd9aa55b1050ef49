package dev.edx.provider.k8s;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Compute;
import dev.edx.api.S3Access;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * The {@code k8s} compute provider: builds a {@link K8sCompute} with its own client. Settings:
 * {@link K8sConnectionProperties}, {@link K8sComputeProperties} and {@code
 * docs/providers/k8s.md}; {@code token} is sensitive.
 */
public final class K8sComputeProvider implements ComputeProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public K8sComputeProvider() {}

  @Override
  public String name() {
    return "k8s";
  }

  @Override
  public Compute create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    K8sComputeSettings settings = K8sComputeSettings.from(spec, context.baseDirectory());
    K8sConnection connection = K8sConnection.from(spec, context);
    return new K8sCompute(connection.connect(), true, settings, context.environmentName(),
        context::renderedSpec, () -> storage(context), InstantSource.system());
  }

  /** How engines reach the environment's storage; empty without storage. */
  private static Optional<S3Access> storage(ProviderContext context) {
    try {
      return context.environment().storage().s3Access();
    } catch (ConfigurationException e) {
      return Optional.empty(); // the spec declares no storage
    }
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return K8sConnectionProperties.descriptorsWith(K8sComputeProperties.class);
  }
}
