package dev.edx.provider.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.SupportsPresignedUrls;
import dev.edx.api.SupportsVersioning;
import dev.edx.api.exceptions.NoSuchObjectException;
import dev.edx.embedded.S3Endpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Presigned URLs through a plain HTTP client, versioned reads, uri, and close. */
class MinioCapabilitiesTest {
  private static S3Endpoint endpoint;
  private static MinioObjectStorage storage;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    endpoint = S3Endpoint.inMemory();
    storage = MinioTesting.open(endpoint, b -> b.set(MinioProperties.BUCKETS.key(),
        List.of("cap-plain", Map.of("name", "cap-versioned", "versioning", true))));
    storage.apply();
  }

  @AfterAll
  static void stop() {
    storage.destroy(dev.edx.api.spi.DataPolicy.PURGE);
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

    List<dev.edx.api.ObjectVersion> versions;
    try (Stream<dev.edx.api.ObjectVersion> all = storage.listVersions("cap-versioned", "table/")) {
      versions = all.toList();
    }
    assertThat(versions).as(versions.toString()).hasSize(3);
    dev.edx.api.ObjectVersion marker = versions.stream().filter(v -> v.latest()).findFirst()
        .orElseThrow();
    assertThat(marker.deleteMarker()).as("the current version is the delete").isTrue();
    assertThat(versions).filteredOn(v -> v.deleteMarker()).containsExactly(marker);
    dev.edx.api.ObjectVersion oldest = versions.stream()
        .filter(v -> v.etag().equals(java.util.Optional.of(first))).findFirst().orElseThrow();
    assertThat(oldest.latest()).isFalse();
    assertThat(storage.stat(ref)).as("deleted").isEmpty();
    try (var in = storage.open(ref, oldest.versionId())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1}");
    }
    assertThatThrownBy(() -> storage.open(ref, marker.versionId()))
        .isInstanceOf(NoSuchObjectException.class).hasMessageContaining(ref.toString());
    assertThat(storage.isVersioned("cap-versioned")).isTrue();
    assertThat(storage.isVersioned("cap-plain")).isFalse();
  }

  @Test
  void uriIsS3a() {
    assertThat(storage.uri(ObjectRef.of("cap-plain", "events/year=2015/part-0.parquet")))
        .hasToString("s3a://cap-plain/events/year=2015/part-0.parquet");
  }

  @Test
  void closeStopsTheHttpThreadsAndIsIdempotent() throws Exception {
    MinioObjectStorage own = MinioTesting.open(endpoint);
    own.put(ObjectRef.of("cap-plain", "close-me"), new byte[] {1, 2, 3});
    assertThat(own.httpClient().connectionPool().connectionCount()).isPositive();
    own.close();
    own.close();
    assertThat(own.httpClient().dispatcher().executorService().awaitTermination(10,
        java.util.concurrent.TimeUnit.SECONDS)).as("dispatcher threads ended").isTrue();
    assertThat(own.httpClient().connectionPool().connectionCount()).isZero();
    assertThatThrownBy(() -> own.stat(ObjectRef.of("cap-plain", "close-me")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
