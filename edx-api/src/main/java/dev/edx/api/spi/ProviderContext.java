package dev.edx.api.spi;

import dev.edx.api.Environment;
import java.nio.file.Path;
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
  Optional<String> environmentVariable(String name);

  /**
   * The environment being opened, for services that hand it on (local compute gives it to the
   * tasks it runs). Call it only after {@code create} returned: it throws {@link
   * IllegalStateException} while the environment is still being opened.
   */
  Environment environment();
}
