package dev.edx.embedded;

import dev.edx.api.Environment;
import dev.edx.api.spi.EnvironmentFactory;
import dev.edx.core.CoreEnvironmentFactory;
import dev.edx.core.Environments;
import java.nio.file.Path;

/**
 * The {@link EnvironmentFactory} of edx-embedded, ranked above edx-core's, so that code compiled
 * against edx-api alone (the GH Archive pipeline's commands) gets {@link
 * EmbeddedEnvironments#openPersistent}: the metastore in a real, embedded PostgreSQL whose data
 * lives in {@code <dataDirectory>/postgres}, storage on the embedded S3 endpoint when the {@code
 * minio} provider is on the class path. The servers stop when the environment closes. Spec files
 * open as with edx-core.
 */
public final class EmbeddedEnvironmentFactory implements EnvironmentFactory {

  @Override
  public Environment open(Path specFile) {
    return Environments.open(specFile);
  }

  @Override
  public String render(Path specFile) {
    return new CoreEnvironmentFactory().render(specFile);
  }

  @Override
  public Environment openEmbedded(Path dataDirectory) {
    return EmbeddedEnvironments.openPersistent(dataDirectory);
  }

  @Override
  public int priority() {
    return 100;
  }
}
