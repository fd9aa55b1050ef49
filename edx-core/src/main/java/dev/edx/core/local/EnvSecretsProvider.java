package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Secrets;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Setting;
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
    return Setting.descriptors(EnvSecretsProperties.class);
  }

  @Override
  public Secrets create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    String prefix = EnvSecretsProperties.PREFIX.get(spec);
    EnvSecrets secrets = new EnvSecrets(context.environmentVariables(), prefix);
    LOG.info("Secrets from environment variables {}*: {}", prefix, secrets.list());
    return secrets;
  }
}
