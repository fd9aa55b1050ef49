package dev.edx.core.local;

import dev.edx.toolkit.Specs;
import static java.util.Objects.requireNonNull;

import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
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
    return List.of(
        PropertyDescriptor.required(LocalMetastoreProperties.DIRECTORY,
            PropertyDescriptor.Type.STRING,
            "Folder holding one sub-folder per database; relative to the spec's folder."),
        PropertyDescriptor.optional(LocalMetastoreProperties.DATABASES,
            PropertyDescriptor.Type.RESOURCE_LIST, null,
            "Databases apply creates and destroy removes."));
  }

  @Override
  public Metastore create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    Specs.requireOnlyKeys(spec, LocalMetastoreProperties.KEYS);
    String directory = Specs.requireString(spec, LocalMetastoreProperties.DIRECTORY);
    Path path;
    try {
      path = context.baseDirectory().resolve(directory).normalize();
    } catch (InvalidPathException e) {
      throw spec.error(LocalMetastoreProperties.DIRECTORY, "is not a valid path: " + e.getMessage(),
          e);
    }
    List<DeclaredResource> databases = DeclaredResource.parseList(spec,
        LocalMetastoreProperties.DATABASES, "database", Database::of);
    return new LocalMetastore(path, databases, context.environmentName());
  }
}
