package dev.edx.api.spi;

import dev.edx.api.Environment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** What a provider may use while creating its service. */
public interface ProviderContext {

  /** The environment's {@code metadata.name}. */
  String environmentName();

  /** Relative paths in the spec resolve against this folder (the spec file's folder). */
  Path baseDirectory();

  /** The class loader providers and tasks are loaded from. */
  ClassLoader classLoader();

  /** An environment variable, through the seam the environment was opened with. */
  default Optional<String> environmentVariable(String name) {
    return Optional.ofNullable(environmentVariables().get(name));
  }

  /**
   * All environment variables, through the seam the environment was opened with (a test can
   * substitute them). The default is the process environment.
   */
  default Map<String, String> environmentVariables() {
    return System.getenv();
  }

  /**
   * The environment being opened, for services that hand it on (local compute gives it to the
   * tasks it runs). Call it only after {@code create} returned: it throws {@link
   * IllegalStateException} while the environment is still being opened.
   */
  Environment environment();
}
