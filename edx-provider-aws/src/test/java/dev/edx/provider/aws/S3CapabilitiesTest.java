package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectVersion;
import dev.edx.embedded.S3Endpoint;
import dev.edx.testkit.StorageCapabilitiesContract;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * The optional capabilities the {@code s3} storage shares with {@code minio} ({@link
 * StorageCapabilitiesContract}), on the memory-backed embedded endpoint (s3proxy, which implements
 * versioning). The versioned bucket is switched on with a plain S3 client: the {@code s3}
 * provider does not manage versioning.
 */
class S3CapabilitiesTest extends StorageCapabilitiesContract<S3ObjectStorage> {
  private static S3Endpoint endpoint;
  private static S3ObjectStorage storage;

  @BeforeAll
  static void start() {
    endpoint = S3Endpoint.inMemory();
    storage = S3Testing.open(endpoint);
    storage.createBucket(PLAIN_BUCKET);
    storage.createBucket(VERSIONED_BUCKET);
    try (S3Client raw = S3Client.builder().endpointOverride(endpoint.endpoint())
        .forcePathStyle(true).region(Region.of(endpoint.region()))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(endpoint.accessKey(), endpoint.secretKey())))
        .build()) {
      raw.putBucketVersioning(b -> b.bucket(VERSIONED_BUCKET)
          .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
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
  protected S3ObjectStorage openAnother() {
    return S3Testing.open(endpoint);
  }

  @Override
  protected void close(S3ObjectStorage other) {
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

  /** Beyond the contract: the {@code s3} storage lists the versions of a key newest first. */
  @Test
  void versionsOfAKeyAreListedNewestFirst() {
    ObjectRef ref = ObjectRef.of(VERSIONED_BUCKET, "ordered/metadata.json");
    String first = storage.put(ref, "{\"v\":1}".getBytes(StandardCharsets.UTF_8)).etag()
        .orElseThrow();
    String second = storage.put(ref, "{\"v\":2}".getBytes(StandardCharsets.UTF_8)).etag()
        .orElseThrow();
    storage.delete(ref);

    List<ObjectVersion> versions = versions(ref);

    assertThat(versions.get(0).deleteMarker()).as(versions.toString()).isTrue();
    assertThat(versions.get(0).latest()).isTrue();
    assertThat(versions.get(1).etag()).hasValue(second);
    assertThat(versions.get(versions.size() - 1).etag()).hasValue(first);
  }
}
