package dev.edx.provider.aws;

import dev.edx.embedded.S3Endpoint;
import dev.edx.testkit.EdxCapability;
import dev.edx.testkit.ObjectStorageContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract against the {@code s3} provider (AWS SDK {@code S3Client}, path-style,
 * endpoint override) on the testkit's embedded S3 endpoint (s3proxy), or the external endpoint of
 * {@code EDX_TEST_S3_ENDPOINT}. The endpoint keeps its objects in a folder, so the contract's
 * memory probe measures the client alone.
 *
 * <p>An object {@code a} beside an object {@code a/b} is off: S3 allows it, but s3proxy keeps
 * objects as files; the contract asserts the documented failure, a {@code ProviderException}
 * naming the key.
 */
class S3ObjectStorageContractTest extends ObjectStorageContract<S3ObjectStorage> {
  @TempDir
  static Path folder;

  private static S3Endpoint endpoint;
  private static S3ObjectStorage storage;

  @BeforeAll
  static void start() {
    endpoint = S3Endpoint.fromEnvironment(System.getenv())
        .orElseGet(() -> S3Endpoint.inFolder(folder.resolve("s3")));
    // s3proxy answers a key under an object's name with a 5xx, which the SDK rightly retries:
    // fewer (4, not 8), quicker attempts keep that documented failure fast. Not fewer than 4:
    // the server closes idle kept-alive connections, and a put that meets two dead pooled
    // connections in a row ("Unexpected end of file", "Error writing request body") is retried
    // in production too.
    storage = S3Testing.open(endpoint, b -> b.set(AwsProperties.MAX_ATTEMPTS.key(), 4)
        .set(AwsProperties.RETRY_BASE_DELAY.key(), "10ms"));
  }

  @AfterAll
  static void stop() {
    storage.close();
    endpoint.close();
  }

  @Override
  protected S3ObjectStorage storage() {
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
