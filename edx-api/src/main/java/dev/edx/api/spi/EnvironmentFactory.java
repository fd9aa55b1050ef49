package dev.edx.api.spi;

import dev.edx.api.Environment;
import java.nio.file.Path;

/**
 * Opens environments. Implemented by {@code edx-core} and found with {@link
 * java.util.ServiceLoader}, so code compiled against {@code edx-api} alone (the GH Archive
 * pipeline's main) can open an environment with whatever implementation is on the class path.
 */
public interface EnvironmentFactory {

  /** Opens the environment a spec file (YAML or JSON) declares. */
  Environment open(Path specFile);

  /**
   * Opens the embedded environment: everything in-process, its data kept under {@code
   * dataDirectory} so a second run sees the first run's data.
   */
  Environment openEmbedded(Path dataDirectory);

  /**
   * When several factories are on the class path, the one with the highest priority is used. The
   * core's is 0; one that embeds real servers (the testkit's) ranks higher.
   */
  default int priority() {
    return 0;
  }
}
