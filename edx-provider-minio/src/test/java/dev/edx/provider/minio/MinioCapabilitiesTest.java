package dev.edx.provider.minio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.ObjectRef;
import dev.edx.api.spi.DataPolicy;
import dev.edx.embedded.S3Endpoint;
import dev.edx.testkit.StorageCapabilitiesContract;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The optional capabilities the {@code minio} storage shares with {@code s3} ({@link
 * StorageCapabilitiesContract}), on the memory-backed embedded endpoint (s3proxy, which implements
 * versioning; the versioned bucket is declared with {@code versioning: true}), and that close
 * ends the HTTP client's threads.
 */
class MinioCapabilitiesTest extends StorageCapabilitiesContract<MinioObjectStorage> {
  private static S3Endpoint endpoint;
  private static MinioObjectStorage storage;

  @BeforeAll
  static void start() {
    endpoint = S3Endpoint.inMemory();
    storage = MinioTesting.open(endpoint, b -> b.set(MinioProperties.BUCKETS.key(),
        List.of(PLAIN_BUCKET, Map.of("name", VERSIONED_BUCKET, "versioning", true))));
    storage.apply();
  }

  @AfterAll
  static void stop() {
    storage.destroy(DataPolicy.PURGE);
    storage.close();
    endpoint.close();
  }

  @Override
  protected MinioObjectStorage storage() {
    return storage;
  }

  @Override
  protected MinioObjectStorage openAnother() {
    return MinioTesting.open(endpoint);
  }

  @Override
  protected void close(MinioObjectStorage other) {
    other.close();
  }

  @Override
  protected URI endpoint() {
    return endpoint.endpoint();
  }

  @Override
  protected String secretKey() {
    return endpoint.secretKey();
  }

  @Test
  void closeStopsTheHttpThreads() throws Exception {
    MinioObjectStorage own = MinioTesting.open(endpoint);
    own.put(ObjectRef.of(PLAIN_BUCKET, "close-threads"), new byte[] {1, 2, 3});
    assertThat(own.httpClient().connectionPool().connectionCount()).isPositive();
    own.close();
    assertThat(own.httpClient().dispatcher().executorService().awaitTermination(10,
        TimeUnit.SECONDS)).as("dispatcher threads ended").isTrue();
    assertThat(own.httpClient().connectionPool().connectionCount()).isZero();
  }
}
