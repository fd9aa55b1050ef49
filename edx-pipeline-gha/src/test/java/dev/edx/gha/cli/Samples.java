package dev.edx.gha.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The folder of real GH Archive samples: {@code EDX_GHA_SAMPLES}, else {@code edx.gha.samples}. */
final class Samples {
  private Samples() {}

  static Path folder() {
    String env = System.getenv("EDX_GHA_SAMPLES");
    String value = env != null && !env.isBlank() ? env : System.getProperty("edx.gha.samples");
    if (value == null || value.isBlank() || !Files.isDirectory(Path.of(value))) {
      throw new IllegalStateException("The real GH Archive samples are needed and were not found"
          + " (EDX_GHA_SAMPLES=" + env + ", -Dedx.gha.samples=" + System.getProperty(
              "edx.gha.samples") + "): set EDX_GHA_SAMPLES to the folder holding"
          + " 2015-01-01-1.json.gz, 2012-06-14-15.json.gz and 2021-01-01-1.json.gz (in a checkout"
          + " with ../shared beside it, .ci/run and mvn set it to ../shared/gharchive)");
    }
    return Path.of(value);
  }
}
