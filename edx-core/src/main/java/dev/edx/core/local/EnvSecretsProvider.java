package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Secrets;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceSpec;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code env} secrets provider: read-only secrets from environment variables, named as {@link
 * EnvSecrets} describes.
 *
 * <p>It reads {@link System#getenv()} directly rather than through {@link
 * ProviderContext#environmentVariable}, because that seam looks variables up by name and this
 * provider has to enumerate them.
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

  private final Supplier<Map<String, String>> environment;

  /** Creates the provider over the process environment; {@link java.util.ServiceLoader} calls this. */
  public EnvSecretsProvider() {
    this(System::getenv);
  }

  /** A provider over another environment, for tests. */
  EnvSecretsProvider(Supplier<Map<String, String>> environment) {
    this.environment = requireNonNull(environment, "environment is null");
  }

  @Override
  public String name() {
    return "env";
  }

  @Override
  public Secrets create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    spec.requireOnlyKeys(List.of(LocalProperties.ENV_PREFIX));
    String prefix = spec.getString(LocalProperties.ENV_PREFIX, LocalProperties.ENV_PREFIX_DEFAULT);
    if (prefix.isBlank()) {
      throw spec.error(LocalProperties.ENV_PREFIX,
          "must not be empty: every environment variable would be read as a secret");
    }
    EnvSecrets secrets = new EnvSecrets(environment.get(), prefix);
    LOG.info("Secrets from environment variables {}*: {}", prefix, secrets.list());
    return secrets;
  }
}
