package dev.edx.core;

import dev.edx.api.Environment;
import dev.edx.api.spi.EnvironmentFactory;
import java.nio.file.Path;

/**
 * The {@link EnvironmentFactory} edx-core registers, so code compiled against edx-api alone can
 * open environments. Not for direct use: call {@link Environments}.
 */
public final class CoreEnvironmentFactory implements EnvironmentFactory {

  @Override
  public Environment open(Path specFile) {
    return Environments.open(specFile);
  }

  @Override
  public String render(Path specFile) {
    return EnvironmentLoader.builder().build().render(EnvironmentSpec.parse(specFile));
  }

  @Override
  public Environment openEmbedded(Path dataDirectory) {
    return Environments.embedded(dataDirectory);
  }
}
