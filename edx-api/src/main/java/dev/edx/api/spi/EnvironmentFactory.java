package dev.edx.api.spi;

import dev.edx.api.Environment;
import java.nio.file.Path;

/**
 * Opens environments for code compiled against {@code edx-api} alone: the GH Archive pipeline's
 * commands and the Kubernetes runner ({@code EdxRunner}) find an implementation with {@link
 * java.util.ServiceLoader} (edx-core's, or edx-embedded's with embedded servers). Planning,
 * applying and destroying environments is edx-core's API ({@code dev.edx.core.Environments}), which
 * tools call directly.
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
   * The effective spec of a spec file as YAML, for a process that opens the environment elsewhere
   * (a Spark driver in a cluster): {@code extends} resolved, {@code ${...}} references kept as
   * written (never a resolved value), the literal value of a sensitive key shown as {@code ****}.
   *
   * @throws UnsupportedOperationException if this factory cannot render specs
   */
  default String render(Path specFile) {
    throw new UnsupportedOperationException("Cannot render " + specFile + ": "
        + getClass().getName() + " does not render specs");
  }

  /**
   * When several factories are on the class path, the one with the highest priority is used. The
   * core's is 0; one that embeds real servers (edx-embedded's) ranks higher.
   */
  default int priority() {
    return 0;
  }
}
