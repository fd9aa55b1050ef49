package dev.edx.provider.minio;

import dev.edx.testkit.EdxCapability;
import dev.edx.testkit.ObjectStorageContract;
import dev.edx.testkit.TestProviderContext;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The storage contract against a real MinIO server in a container, where Docker exists; skipped
 * without it. {@link MinioObjectStorageContractTest} runs the same contract on the embedded
 * endpoint in every build, so this is never the only test of the provider.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioContainerContractTest extends ObjectStorageContract<MinioObjectStorage> {
  @Container
  private static final MinIOContainer MINIO =
      new MinIOContainer("minio/minio:RELEASE.2024-08-17T01-24-54Z");

  private static MinioObjectStorage storage;

  @BeforeAll
  static void open() {
    storage = (MinioObjectStorage) MinioTesting.provider().create(
        dev.edx.api.spi.ServiceSpec.builder("storage", "minio")
            .set(MinioProperties.ENDPOINT.key(), MINIO.getS3URL())
            .setSensitive(MinioProperties.ACCESS_KEY.key(), MINIO.getUserName())
            .setSensitive(MinioProperties.SECRET_KEY.key(), MINIO.getPassword())
            .set(MinioProperties.BUCKETS.key(), List.of())
            .build(),
        new TestProviderContext());
  }

  @AfterAll
  static void close() {
    if (storage != null) {
      storage.close();
    }
  }

  @Override
  protected MinioObjectStorage storage() {
    return storage;
  }

  /** MinIO keeps objects as files: {@code a} and {@code a/b} cannot both exist. */
  @Override
  protected boolean supports(EdxCapability capability) {
    return switch (capability) {
      case STORAGE_ETAGS, STORAGE_CREATE_BUCKETS -> true;
      case STORAGE_KEY_AND_PREFIX_SAME_NAME -> false;
      default -> super.supports(capability);
    };
  }
}
