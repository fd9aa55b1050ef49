package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Secrets;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code secretsmanager} secrets provider: AWS Secrets Manager, each secret a JSON object of
 * key/value strings. The secrets it creates are also a {@link dev.edx.api.spi.Provisioner} of the
 * declared secrets. Settings: {@link AwsProperties}.
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
    List<PropertyDescriptor> all = new ArrayList<>(AwsSettings.properties());
    all.addAll(List.of(
        PropertyDescriptor.optional(AwsProperties.RECOVERY_WINDOW_DAYS,
            PropertyDescriptor.Type.INTEGER,
            String.valueOf(AwsProperties.RECOVERY_WINDOW_DAYS_DEFAULT),
            "Days a deleted secret can be restored (7 to 30)."),
        PropertyDescriptor.optional(AwsProperties.FORCE_DELETE, PropertyDescriptor.Type.BOOLEAN,
            String.valueOf(AwsProperties.FORCE_DELETE_DEFAULT),
            "Delete secrets at once, without a recovery window."),
        PropertyDescriptor.optional(AwsProperties.KMS_KEY_ID, PropertyDescriptor.Type.STRING,
            null, "The KMS key new secrets are encrypted with (aws/secretsmanager when absent)."),
        PropertyDescriptor.optional(AwsProperties.SECRETS, PropertyDescriptor.Type.RESOURCE_LIST,
            null, "Secrets apply creates empty (tagged as owned) and destroy removes.")));
    return List.copyOf(all);
  }

  @Override
  public Secrets create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    Specs.validate(spec, properties());
    SecretsManagerSettings settings = SecretsManagerSettings.parse(spec);
    LOG.info("Secrets Manager secrets on {}", settings);
    return new SecretsManagerSecrets(settings, context.environmentName());
  }
}
