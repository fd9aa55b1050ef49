package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.ObjectVersion;
import dev.edx.api.SupportsPresignedUrls;
import dev.edx.api.SupportsVersioning;
import dev.edx.api.exceptions.NoSuchObjectException;
import dev.edx.embedded.S3Endpoint;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
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
 * The optional capabilities the {@code s3} storage shares with {@code minio}, on the memory-backed
 * embedded endpoint (s3proxy, which implements versioning): presigned URLs through a plain HTTP
 * client, versioned reads, the server's write times, uri, and close.
 */
class S3CapabilitiesTest {
  private static S3Endpoint endpoint;
  private static S3ObjectStorage storage;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    endpoint = S3Endpoint.inMemory();
    storage = S3Testing.open(endpoint);
    storage.createBucket("cap-plain");
    storage.createBucket("cap-versioned");
    try (S3Client raw = S3Client.builder().endpointOverride(endpoint.endpoint())
        .forcePathStyle(true).region(Region.of(endpoint.region()))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(endpoint.accessKey(), endpoint.secretKey())))
        .build()) {
      raw.putBucketVersioning(b -> b.bucket("cap-versioned")
          .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
  }

  @AfterAll
  static void stop() {
    storage.close();
    endpoint.close();
  }

  @Test
  void capabilitiesAreTypes() {
    ObjectStorage api = storage;
    assertThat(api).isInstanceOf(SupportsPresignedUrls.class)
        .isInstanceOf(SupportsVersioning.class);
  }

  @Test
  void presignedPutThenGetWithAPlainHttpClient() throws Exception {
    ObjectRef ref = ObjectRef.of("cap-plain", "shared/report.csv");
    URI put = storage.presignedPut(ref, Duration.ofMinutes(5));
    assertThat(put.toString()).startsWith(endpoint.endpoint().toString())
        .contains("X-Amz-Signature=").doesNotContain(endpoint.secretKey());

    HttpResponse<String> stored = http.send(HttpRequest.newBuilder(put)
        .PUT(HttpRequest.BodyPublishers.ofString("a,b\n1,2\n")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    assertThat(storage.readAllBytes(ref)).isEqualTo("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));

    URI get = storage.presignedGet(ref, Duration.ofMinutes(5));
    HttpResponse<String> read = http.send(HttpRequest.newBuilder(get).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo("a,b\n1,2\n");

    URI tampered = URI.create(get.toString().replace("shared/report.csv", "shared/other.csv"));
    assertThat(http.send(HttpRequest.newBuilder(tampered).GET().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
  }

  @Test
  void presignedExpiryIsChecked() {
    ObjectRef ref = ObjectRef.of("cap-plain", "x");
    assertThatThrownBy(() -> storage.presignedGet(ref, Duration.ofDays(8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 days");
    assertThatThrownBy(() -> storage.presignedPut(ref, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void versionsAreListedNewestFirstAndReadable() throws Exception {
    ObjectRef ref = ObjectRef.of("cap-versioned", "table/metadata.json");
    String first = storage.put(ref, "{\"v\":1}".getBytes(StandardCharsets.UTF_8)).etag()
        .orElseThrow();
    storage.put(ref, "{\"v\":2}".getBytes(StandardCharsets.UTF_8));
    storage.delete(ref);

    List<ObjectVersion> versions;
    try (Stream<ObjectVersion> all = storage.listVersions("cap-versioned", "table/")) {
      versions = all.toList();
    }
    // Three writes; under heavy load the SDK may send a PUT again after a transient failure
    // that the store had in fact stored, which is one more version of the same content.
    assertThat(versions).as(versions.toString()).hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(v -> assertThat(v.ref()).isEqualTo(ref));
    ObjectVersion marker = versions.stream().filter(ObjectVersion::latest).findFirst()
        .orElseThrow();
    assertThat(marker.deleteMarker()).as("the current version is the delete").isTrue();
    assertThat(versions.get(0)).as("newest first").isEqualTo(marker);
    assertThat(versions).filteredOn(ObjectVersion::deleteMarker).containsExactly(marker);
    ObjectVersion oldest = versions.get(versions.size() - 1);
    assertThat(oldest.etag()).hasValue(first);
    assertThat(oldest.latest()).isFalse();
    assertThat(versions.get(1).etag()).as("the second write, before the delete")
        .isNotEqualTo(Optional.of(first));
    assertThat(storage.stat(ref)).as("deleted").isEmpty();
    try (InputStream in = storage.open(ref, oldest.versionId())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1}");
    }
    assertThatThrownBy(() -> storage.open(ref, marker.versionId()))
        .isInstanceOf(NoSuchObjectException.class).hasMessageContaining(ref.toString());
    assertThat(storage.isVersioned("cap-versioned")).isTrue();
    assertThat(storage.isVersioned("cap-plain")).isFalse();
  }

  @Test
  void writeTimesAreTheServersAsStatReportsThem() {
    ObjectRef ref = ObjectRef.of("cap-plain", "timed");
    ObjectInfo put = storage.put(ref, new byte[] {1, 2, 3});
    assertThat(Duration.between(put.lastModified(), storage.stat(ref).orElseThrow()
        .lastModified()).abs()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    ObjectRef target = ObjectRef.of("cap-plain", "timed-copy");
    ObjectInfo copy = storage.copy(ref, target);
    assertThat(Duration.between(copy.lastModified(), storage.stat(target).orElseThrow()
        .lastModified()).abs()).isLessThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void uriIsS3a() {
    assertThat(storage.uri(ObjectRef.of("cap-plain", "events/year=2015/part-0.parquet")))
        .hasToString("s3a://cap-plain/events/year=2015/part-0.parquet");
  }

  @Test
  void closeIsIdempotentAndRefusesLaterCalls() {
    S3ObjectStorage own = S3Testing.open(endpoint);
    own.put(ObjectRef.of("cap-plain", "close-me"), new byte[] {1, 2, 3});
    own.close();
    own.close();
    assertThatThrownBy(() -> own.stat(ObjectRef.of("cap-plain", "close-me")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> own.presignedGet(ObjectRef.of("cap-plain", "close-me"),
        Duration.ofMinutes(1))).isInstanceOf(IllegalStateException.class);
  }
}
