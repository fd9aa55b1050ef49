package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Secrets;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Setting;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code local} secrets provider: one UTF-8 properties file per secret in a folder, readable
 * by its owner only where the file system has POSIX permissions.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code directory}</td><td>required</td><td>the folder of the secret files; a relative
 *       path resolves against the spec file's folder</td></tr>
 * </table>
 */
public final class LocalSecretsProvider implements SecretsProvider {
  private static final Logger LOG = LoggerFactory.getLogger(LocalSecretsProvider.class);

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public LocalSecretsProvider() {}

  @Override
  public String name() {
    return "local";
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return Setting.descriptors(LocalSecretsProperties.class);
  }

  @Override
  public Secrets create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    Path directory = LocalPaths.requireFolder(spec, LocalSecretsProperties.DIRECTORY, context);
    LOG.info("Local secrets in {}", directory);
    return new FolderSecrets(directory);
  }
}
