package dev.edx.provider.minio;

import dev.edx.embedded.S3Endpoint;
import dev.edx.testkit.EdxCapability;
import dev.edx.testkit.ObjectStorageContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract against the {@code minio} provider on the testkit's S3 endpoint (or the
 * external MinIO of {@code EDX_TEST_S3_ENDPOINT}). The endpoint keeps its objects in a folder, not
 * in this JVM's heap, so the contract's memory probe measures the client alone.
 *
 * <p>Etags are on. An object {@code a} beside an object {@code a/b} is off: S3 itself allows it,
 * but s3proxy's blob stores keep objects as files (so does MinIO, which answers
 * {@code XMinioParentIsObject}); the contract asserts the documented failure instead, a {@code
 * ProviderException} naming the key.
 */
class MinioObjectStorageContractTest extends ObjectStorageContract<MinioObjectStorage> {
  @TempDir
  static Path folder;

  private static S3Endpoint endpoint;
  private static MinioObjectStorage storage;

  @BeforeAll
  static void start() {
    endpoint = S3Endpoint.fromEnvironment(System.getenv())
        .orElseGet(() -> S3Endpoint.inFolder(folder.resolve("s3")));
    storage = MinioTesting.open(endpoint);
  }

  @AfterAll
  static void stop() {
    storage.close();
    endpoint.close();
  }

  @Override
  protected MinioObjectStorage storage() {
    return storage;
  }

  @Override
  protected boolean supports(EdxCapability capability) {
    return switch (capability) {
      case STORAGE_ETAGS, STORAGE_CREATE_BUCKETS -> true;
      case STORAGE_KEY_AND_PREFIX_SAME_NAME -> false;
      default -> super.supports(capability);
    };
  }
}
