package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;

/**
 * What {@link SparkRuntimeResolver} resolves: one Spark version from one remote repository,
 * through a local repository, with the resolved class path cached in a folder.
 *
 * @param sparkVersion the Spark release, such as {@code 4.0.1}
 * @param repository the remote Maven repository (Maven Central by default)
 * @param offline use only the local repository and the cache
 * @param localRepository the local Maven repository ({@code ~/.m2/repository} by default)
 * @param cacheDirectory where resolved class paths are kept, so later runs do not resolve again
 */
public record SparkRuntimeRequest(String sparkVersion, URI repository, boolean offline,
    Path localRepository, Path cacheDirectory) {
  public SparkRuntimeRequest {
    requireNonNull(sparkVersion, "sparkVersion is null");
    requireNonNull(repository, "repository is null");
    requireNonNull(localRepository, "localRepository is null");
    requireNonNull(cacheDirectory, "cacheDirectory is null");
    if (sparkVersion.isBlank()) {
      throw new IllegalArgumentException("sparkVersion is blank");
    }
  }
}
