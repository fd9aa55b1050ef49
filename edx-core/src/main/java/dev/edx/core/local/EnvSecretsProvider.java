package dev.edx.core.local;

import dev.edx.toolkit.Specs;
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
 * The {@code env} secrets provider: read-only secrets from environment variables, named as {@link
 * EnvSecrets} describes.
 *
 * <p>It reads the variables through {@link ProviderContext#environmentVariables()}, so an
 * environment opened with substituted variables sees those.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code prefix}</td><td>{@code EDX_SECRET_}</td><td>the prefix of the variables that
 *       hold secrets</td></tr>
 * </table>
 */
public final class EnvSecretsProvider implements SecretsProvider {
  private static final Logger LOG = LoggerFactory.getLogger(EnvSecretsProvider.class);

  /** Called by {@link java.util.ServiceLoader}. */
  public EnvSecretsProvider() {}

  @Override
  public String name() {
    return "env";
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return List.of(
        PropertyDescriptor.optional(LocalProperties.ENV_PREFIX, PropertyDescriptor.Type.STRING,
            LocalProperties.ENV_PREFIX_DEFAULT,
            "Prefix of the environment variables that hold secrets."));
  }

  @Override
  public Secrets create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    Specs.requireOnlyKeys(spec, List.of(LocalProperties.ENV_PREFIX));
    String prefix = Specs.getString(spec, LocalProperties.ENV_PREFIX, LocalProperties.ENV_PREFIX_DEFAULT);
    if (prefix.isBlank()) {
      throw spec.error(LocalProperties.ENV_PREFIX,
          "must not be empty: every environment variable would be read as a secret");
    }
    EnvSecrets secrets = new EnvSecrets(context.environmentVariables(), prefix);
    LOG.info("Secrets from environment variables {}*: {}", prefix, secrets.list());
    return secrets;
  }
}
