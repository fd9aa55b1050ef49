package dev.edx.core;

import dev.edx.api.Environment;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.EnvironmentFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
  public Environment openEmbedded(Path dataDirectory) {
    return Environments.embedded(dataDirectory);
  }

  @Override
  public List<Change> plan(Path specFile) {
    return Environments.plan(EnvironmentSpec.parse(specFile));
  }

  @Override
  public List<Change> apply(Path specFile) {
    return Environments.apply(EnvironmentSpec.parse(specFile));
  }

  @Override
  public List<Change> destroy(Path specFile, DataPolicy policy) {
    return Environments.destroy(EnvironmentSpec.parse(specFile), policy);
  }

  @Override
  public Path derive(Path base, String name, Optional<Duration> ttl, Path directory) {
    return EphemeralEnvironments.derive(base, name, ttl, directory, Instant.now());
  }

  @Override
  public List<Path> expired(Path directory) {
    return EphemeralEnvironments.expired(directory, Instant.now());
  }

  @Override
  public String schema() {
    return EnvironmentLoader.builder().build().providers().schema();
  }

  @Override
  public String render(Path specFile) {
    return EnvironmentLoader.builder().build().render(EnvironmentSpec.parse(specFile));
  }
}
