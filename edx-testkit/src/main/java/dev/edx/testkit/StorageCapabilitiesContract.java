package dev.edx.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.ObjectVersion;
import dev.edx.api.SupportsPresignedUrls;
import dev.edx.api.SupportsVersioning;
import dev.edx.api.exceptions.NoSuchObjectException;
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
import org.junit.jupiter.api.Test;

/**
 * The contract of the optional capabilities an S3-style storage offers beside {@link
 * ObjectStorage}: {@link SupportsPresignedUrls} (URLs a plain HTTP client uses, expiry limits)
 * and {@link SupportsVersioning} (versions newest first, delete markers, reads of a version), the
 * server's write times, {@code s3a://} URIs and an idempotent close. A provider's test extends it
 * and supplies the storage, whose fixture holds two buckets: {@link #PLAIN_BUCKET}, unversioned,
 * and {@link #VERSIONED_BUCKET}, with versioning on.
 *
 * @param <S> the storage under test
 */
public abstract class StorageCapabilitiesContract<S extends SupportsPresignedUrls
    & SupportsVersioning> {
  /** A bucket without versioning the fixture holds. */
  protected static final String PLAIN_BUCKET = "cap-plain";
  /** A bucket with versioning on the fixture holds. */
  protected static final String VERSIONED_BUCKET = "cap-versioned";

  private final HttpClient http = HttpClient.newHttpClient();

  /** The storage under test; the subclass owns and closes it. */
  protected abstract S storage();

  /** A new storage of the same fixture, which the contract closes with {@link #close}. */
  protected abstract S openAnother();

  /** Closes a storage {@link #openAnother()} made (the API has no close of its own). */
  protected abstract void close(S storage);

  /** The endpoint presigned URLs point to. */
  protected abstract URI endpoint();

  /** The secret key the storage signs with, which no presigned URL may show. */
  protected abstract String secretKey();

  @Test
  void capabilitiesAreTypes() {
    ObjectStorage api = storage();
    assertThat(api).isInstanceOf(SupportsPresignedUrls.class)
        .isInstanceOf(SupportsVersioning.class);
  }

  @Test
  void presignedPutThenGetWithAPlainHttpClient() throws Exception {
    ObjectRef ref = ObjectRef.of(PLAIN_BUCKET, "shared/report.csv");
    URI put = storage().presignedPut(ref, Duration.ofMinutes(5));
    assertThat(put.toString()).startsWith(endpoint().toString())
        .contains("X-Amz-Signature=").doesNotContain(secretKey());

    HttpResponse<String> stored = http.send(HttpRequest.newBuilder(put)
        .PUT(HttpRequest.BodyPublishers.ofString("a,b\n1,2\n")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    assertThat(storage().readAllBytes(ref))
        .isEqualTo("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));

    URI get = storage().presignedGet(ref, Duration.ofMinutes(5));
    HttpResponse<String> read = http.send(HttpRequest.newBuilder(get).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo("a,b\n1,2\n");
  }

  @Test
  public void aPresignedUrlForAnotherKeyIsRefused() throws Exception {
    ObjectRef ref = ObjectRef.of(PLAIN_BUCKET, "shared/signed.csv");
    storage().put(ref, new byte[] {1});
    storage().put(ObjectRef.of(PLAIN_BUCKET, "shared/other.csv"), new byte[] {2});
    URI get = storage().presignedGet(ref, Duration.ofMinutes(5));

    URI tampered = URI.create(get.toString().replace("shared/signed.csv", "shared/other.csv"));

    assertThat(http.send(HttpRequest.newBuilder(tampered).GET().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
  }

  @Test
  void presignedExpiryIsChecked() {
    ObjectRef ref = ObjectRef.of(PLAIN_BUCKET, "x");
    assertThatThrownBy(() -> storage().presignedGet(ref, Duration.ofDays(8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 days");
    assertThatThrownBy(() -> storage().presignedPut(ref, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void versionsAreListedWithTheirDeleteMarkerAndReadable() throws Exception {
    ObjectRef ref = ObjectRef.of(VERSIONED_BUCKET, "table/metadata.json");
    String first = storage().put(ref, "{\"v\":1}".getBytes(StandardCharsets.UTF_8)).etag()
        .orElseThrow();
    String second = storage().put(ref, "{\"v\":2}".getBytes(StandardCharsets.UTF_8)).etag()
        .orElseThrow();
    storage().delete(ref);

    List<ObjectVersion> versions = versions(ref);
    // Three writes; under heavy load a client may send a PUT again after a transient failure
    // that the store had in fact stored, which is one more version of the same content. The
    // versions of one key come in no promised order (SupportsVersioning#listVersions).
    assertThat(versions).as(versions.toString()).hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(v -> assertThat(v.ref()).isEqualTo(ref));
    ObjectVersion marker = versions.stream().filter(ObjectVersion::latest).findFirst()
        .orElseThrow();
    assertThat(marker.deleteMarker()).as("the current version is the delete").isTrue();
    assertThat(versions).filteredOn(ObjectVersion::deleteMarker).containsExactly(marker);
    assertThat(versions).filteredOn(ObjectVersion::latest).containsExactly(marker);
    ObjectVersion oldest = versions.stream().filter(v -> v.etag().equals(Optional.of(first)))
        .findFirst().orElseThrow();
    assertThat(versions).anySatisfy(v -> assertThat(v.etag()).hasValue(second));
    assertThat(storage().stat(ref)).as("deleted").isEmpty();
    try (InputStream in = storage().open(ref, oldest.versionId())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1}");
    }
    assertThatThrownBy(() -> storage().open(ref, marker.versionId()))
        .isInstanceOf(NoSuchObjectException.class).hasMessageContaining(ref.toString());
    assertThat(storage().isVersioned(VERSIONED_BUCKET)).isTrue();
    assertThat(storage().isVersioned(PLAIN_BUCKET)).isFalse();
  }

  /** The versions of one object, as {@code listVersions} gives them. */
  protected List<ObjectVersion> versions(ObjectRef ref) {
    try (Stream<ObjectVersion> all = storage().listVersions(ref.bucket(), ref.key())) {
      return all.filter(v -> v.ref().equals(ref)).toList();
    }
  }

  @Test
  void writeTimesAreTheServersAsStatReportsThem() {
    ObjectRef ref = ObjectRef.of(PLAIN_BUCKET, "timed");
    ObjectInfo put = storage().put(ref, new byte[] {1, 2, 3});
    assertThat(Duration.between(put.lastModified(), storage().stat(ref).orElseThrow()
        .lastModified()).abs()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    ObjectRef target = ObjectRef.of(PLAIN_BUCKET, "timed-copy");
    ObjectInfo copy = storage().copy(ref, target);
    assertThat(Duration.between(copy.lastModified(), storage().stat(target).orElseThrow()
        .lastModified()).abs()).isLessThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void uriIsS3a() {
    assertThat(storage().uri(ObjectRef.of(PLAIN_BUCKET, "events/year=2015/part-0.parquet")))
        .hasToString("s3a://" + PLAIN_BUCKET + "/events/year=2015/part-0.parquet");
  }

  @Test
  void closeIsIdempotentAndRefusesLaterCalls() {
    S own = openAnother();
    own.put(ObjectRef.of(PLAIN_BUCKET, "close-me"), new byte[] {1, 2, 3});
    close(own);
    close(own);
    assertThatThrownBy(() -> own.stat(ObjectRef.of(PLAIN_BUCKET, "close-me")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> own.presignedGet(ObjectRef.of(PLAIN_BUCKET, "close-me"),
        Duration.ofMinutes(1))).isInstanceOf(IllegalStateException.class);
  }
}
