package dev.edx.testkit;

import dev.edx.api.Environment;
import dev.edx.core.Environments;
import java.nio.file.Path;

/**
 * The environment {@link EdxTest} injects, for tests that need one outside JUnit's lifecycle: every
 * service embedded and in-process, its data under a folder the caller owns.
 */
public final class EmbeddedEnvironments {
  private EmbeddedEnvironments() {}

  /** Opens an embedded environment whose data lives under {@code directory}. Close it. */
  public static Environment open(Path directory) {
    return Environments.embedded(directory);
  }
}
