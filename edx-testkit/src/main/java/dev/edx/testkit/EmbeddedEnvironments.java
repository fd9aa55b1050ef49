package dev.edx.testkit;

import dev.edx.api.Environment;
import dev.edx.core.EnvironmentSpec;
import dev.edx.core.Environments;
import java.nio.file.Path;

/**
 * The environment {@link EdxTest} injects, for tests that need one outside JUnit's lifecycle: every
 * service embedded and in-process, its data under a folder the caller owns. When the {@code minio}
 * storage provider is on the class path, storage is that provider on an {@link S3Endpoint}
 * ({@code <directory>/s3}, or {@code EDX_TEST_S3_ENDPOINT}); otherwise it is local.
 */
public final class EmbeddedEnvironments {
  private EmbeddedEnvironments() {}

  /** Opens an embedded environment whose data lives under {@code directory}. Close it. */
  public static Environment open(Path directory) {
    EnvironmentSpec spec = Environments.embeddedSpec(directory);
    return EmbeddedS3Storage.available() ? EmbeddedS3Storage.open(spec, directory)
        : Environments.open(spec);
  }
}
