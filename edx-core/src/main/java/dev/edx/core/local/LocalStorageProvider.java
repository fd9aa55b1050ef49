package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectStorage;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Setting;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code local} storage provider: buckets are folders under {@code root} and objects are files,
 * so Spark and DuckDB read them through {@code file:} URIs. The service it creates is also a
 * {@link dev.edx.api.spi.Provisioner} of the declared buckets.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code root}</td><td>required</td><td>the folder of the buckets; a relative path
 *       resolves against the spec file's folder</td></tr>
 *   <tr><td>{@code buckets}</td><td>none</td><td>the buckets {@code apply} creates and
 *       {@code destroy} removes</td></tr>
 * </table>
 */
public final class LocalStorageProvider implements StorageProvider {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStorageProvider.class);

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public LocalStorageProvider() {}

  @Override
  public String name() {
    return "local";
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return Setting.descriptors(LocalStorageProperties.class);
  }

  @Override
  public ObjectStorage create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    Settings settings = Settings.parse(spec, context);
    LOG.info("Local storage in {} with declared buckets {}", settings.root(), settings.buckets());
    return new LocalObjectStorage(settings.root(), settings.buckets(), context.environmentName());
  }

  /** The parsed spec. */
  record Settings(Path root, List<DeclaredResource> buckets) {
    Settings {
      requireNonNull(root, "root is null");
      buckets = List.copyOf(requireNonNull(buckets, "buckets is null"));
    }

    static Settings parse(ServiceSpec spec, ProviderContext context) {
      return new Settings(LocalPaths.requireFolder(spec, LocalStorageProperties.ROOT, context),
          LocalStorageProperties.BUCKETS.get(spec));
    }
  }
}
