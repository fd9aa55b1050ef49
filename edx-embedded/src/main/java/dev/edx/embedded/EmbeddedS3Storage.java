package dev.edx.embedded;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import java.util.ServiceLoader;

/**
 * Puts an embedded environment's storage on S3: when the {@code minio} storage provider is on the
 * class path, the environment's storage is that provider against an {@link S3Endpoint}, so tests
 * speak the real S3 protocol. This module does not depend on the provider: a provider's tests or
 * an application bring it. Without it, storage stays local.
 */
final class EmbeddedS3Storage {
  static final String MINIO = "minio";

  private EmbeddedS3Storage() {}

  /** Whether a {@code minio} storage provider is on the class path. */
  static boolean available() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return ServiceLoader.load(StorageProvider.class, loader).stream()
        .anyMatch(p -> MINIO.equals(p.get().name()));
  }

  /** The {@code minio} storage section for an endpoint. */
  static ServiceSpec storageSpec(S3Endpoint endpoint, String source) {
    return storageSpec(endpoint, endpoint.endpoint(), source);
  }

  /** The {@code minio} storage section for an endpoint reached at {@code address}. */
  static ServiceSpec storageSpec(S3Endpoint endpoint, java.net.URI address, String source) {
    return ServiceSpec.builder("storage", MINIO)
        .setSource(source)
        .set("endpoint", address.toString())
        .set("region", endpoint.region())
        .setSensitive("accessKey", endpoint.accessKey())
        .setSensitive("secretKey", endpoint.secretKey())
        .build();
  }
}
