package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Metastore;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.Setting;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code local} metastore provider: builds a {@link LocalMetastore} in a folder. Settings:
 * {@code directory} (required; relative to the spec's folder) and {@code databases} (the
 * databases its provisioner creates).
 */
public final class LocalMetastoreProvider implements MetastoreProvider {

  @Override
  public String name() {
    return "local";
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return Setting.descriptors(LocalMetastoreProperties.class);
  }

  @Override
  public Metastore create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    String directory = LocalMetastoreProperties.DIRECTORY.get(spec);
    Path path;
    try {
      path = context.baseDirectory().resolve(directory).normalize();
    } catch (InvalidPathException e) {
      throw spec.error(LocalMetastoreProperties.DIRECTORY.key(),
          "is not a valid path: " + e.getMessage(), e);
    }
    List<DeclaredResource> databases = LocalMetastoreProperties.DATABASES.get(spec);
    return new LocalMetastore(path, databases, context.environmentName());
  }
}
