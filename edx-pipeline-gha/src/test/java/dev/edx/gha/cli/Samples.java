package dev.edx.gha.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The folder of real GH Archive samples: {@code EDX_GHA_SAMPLES}, else the {@code
 * edx.gha.samples} property (Maven sets it to {@code ../shared/gharchive} beside the checkout).
 * Without either, the tests that need them are skipped, saying how to run them; {@code .ci/run}
 * requires them and fails if they did not run.
 */
public final class Samples {
  public static final String VARIABLE = "EDX_GHA_SAMPLES";
  public static final String PROPERTY = "edx.gha.samples";

  private Samples() {}

  /** The samples folder, if one is named and exists. */
  public static Optional<Path> find() {
    String env = System.getenv(VARIABLE);
    String value = env != null && !env.isBlank() ? env : System.getProperty(PROPERTY);
    if (value == null || value.isBlank() || !Files.isDirectory(Path.of(value))) {
      return Optional.empty();
    }
    return Optional.of(Path.of(value));
  }

  /** Skips the calling test (call it from {@code @BeforeEach}) when the samples are missing. */
  public static void assumeAvailable() {
    Assumptions.assumeTrue(find().isPresent(), () -> "The real GH Archive samples were"
        + " not found (" + VARIABLE + "=" + System.getenv(VARIABLE) + ", -D" + PROPERTY + "="
        + System.getProperty(PROPERTY) + "). To run this test, set " + VARIABLE + " to a folder"
        + " holding 2015-01-01-1.json.gz, 2012-06-14-15.json.gz and 2021-01-01-1.json.gz (hours"
        + " from https://data.gharchive.org/), or put them in ../shared/gharchive beside the"
        + " checkout");
  }

  /** The samples folder; call {@link #assumeAvailable()} first. */
  public static Path folder() {
    return find().orElseThrow(() -> new IllegalStateException("The real GH Archive samples are"
        + " missing: call Samples.assumeAvailable() first"));
  }
}
