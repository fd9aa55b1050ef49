package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Secrets;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceSpec;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code secretsmanager} secrets provider: AWS Secrets Manager, each secret a JSON object of
 * key/value strings. The secrets it creates are also a {@link dev.edx.api.spi.Provisioner} of the
 * declared secrets. Settings: {@link AwsProperties} and {@link SecretsManagerProperties}.
 *
 * <pre>{@code
 * secrets:
 *   provider: secretsmanager
 *   region: eu-west-1
 *   recoveryWindowDays: 7
 *   secrets: [pg, gha-token]
 * }</pre>
 */
public final class SecretsManagerProvider implements SecretsProvider {
  private static final Logger LOG = LoggerFactory.getLogger(SecretsManagerProvider.class);

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public SecretsManagerProvider() {}

  @Override
  public String name() {
    return "secretsmanager";
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return AwsProperties.descriptors(SecretsManagerProperties.class);
  }

  @Override
  public Secrets create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    SecretsManagerSettings settings = SecretsManagerSettings.parse(spec);
    LOG.info("Secrets Manager secrets on {}", settings);
    return new SecretsManagerSecrets(settings, context.environmentName());
  }
}
