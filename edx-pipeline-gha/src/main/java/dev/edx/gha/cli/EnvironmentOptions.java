package dev.edx.gha.cli;

import dev.edx.api.Environment;
import dev.edx.api.spi.EnvironmentFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.ServiceLoader;
import picocli.CommandLine.Option;

/**
 * Options every pipeline command that opens an environment shares. The environment comes from the
 * {@link EnvironmentFactory} of highest priority on the class path (edx-embedded's under the
 * {@code edx} command line, else edx-core's), so this module compiles against edx-api alone.
 */
final class EnvironmentOptions {
  @Option(names = "--env", paramLabel = "SPEC",
      description = "Environment spec file (YAML or JSON). Default: the embedded environment.")
  Path spec;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".edx/embedded",
      description = "Where the embedded environment keeps its data (default: ${DEFAULT-VALUE}).")
  Path dataDirectory;

  /** The spec file a running platform writes in its data directory (edx-embedded's Platform). */
  static final String PLATFORM_SPEC = "environment.yaml";

  Environment open() {
    EnvironmentFactory factory = factory();
    return spec != null ? factory.open(spec) : factory.openEmbedded(dataDirectory);
  }

  /**
   * The spec file of the environment {@link #open} opens: {@code --env}, or the spec of a platform
   * ({@code edx up}) running on {@code --data-dir}; empty for the in-process embedded environment.
   */
  Optional<Path> specFile() {
    if (spec != null) {
      return Optional.of(spec);
    }
    Path platform = dataDirectory.resolve(PLATFORM_SPEC);
    return Files.isRegularFile(platform) ? Optional.of(platform) : Optional.empty();
  }

  String describe() {
    return spec != null ? "spec " + spec : "embedded environment in " + dataDirectory;
  }

  /** The factory of highest priority on the class path. */
  static EnvironmentFactory factory() {
    return ServiceLoader.load(EnvironmentFactory.class).stream()
        .map(ServiceLoader.Provider::get)
        .max(Comparator.comparingInt(EnvironmentFactory::priority))
        .orElseThrow(() -> new IllegalStateException("Cannot open an environment: no "
            + EnvironmentFactory.class.getName() + " on the class path; add edx-core"));
  }
}
