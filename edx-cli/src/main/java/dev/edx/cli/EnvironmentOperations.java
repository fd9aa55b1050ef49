package dev.edx.cli;

import dev.edx.api.Environment;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.core.EnvironmentLoader;
import dev.edx.core.EnvironmentSpec;
import dev.edx.core.Environments;
import dev.edx.core.EphemeralEnvironments;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What {@code edx env} does to spec files, on edx-core's API. */
final class EnvironmentOperations {

  Environment open(Path specFile) {
    return Environments.open(specFile);
  }

  List<Change> plan(Path specFile) {
    return Environments.plan(EnvironmentSpec.parse(specFile));
  }

  List<Change> apply(Path specFile) {
    return Environments.apply(EnvironmentSpec.parse(specFile));
  }

  List<Change> destroy(Path specFile, DataPolicy policy) {
    return Environments.destroy(EnvironmentSpec.parse(specFile), policy);
  }

  /** The changes {@link #destroy} would make, without making them. */
  List<Change> planDestroy(Path specFile, DataPolicy policy) {
    return Environments.planDestroy(EnvironmentSpec.parse(specFile), policy);
  }

  /** The effective spec as YAML, {@code ${...}} references kept as written. */
  String render(Path specFile) {
    return EnvironmentLoader.builder().build().render(EnvironmentSpec.parse(specFile));
  }

  Path derive(Path base, String name, Optional<Duration> ttl, Path directory) {
    return EphemeralEnvironments.derive(base, name, ttl, directory, Instant.now());
  }

  List<Path> expired(Path directory) {
    return EphemeralEnvironments.expired(directory, Instant.now());
  }

  /** The JSON Schema of specs, from the settings the providers on the class path declare. */
  String schema() {
    return EnvironmentLoader.builder().build().providers().schema();
  }
}
