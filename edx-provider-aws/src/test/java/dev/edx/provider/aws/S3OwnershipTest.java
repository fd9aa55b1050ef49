package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.api.ObjectRef;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.embedded.S3Endpoint;
import dev.edx.testkit.MotoServer;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import dev.edx.toolkit.s3.BucketOwnership;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * How the {@code s3} storage marks the buckets it owns ({@link BucketOwnership}): with tags on a
 * store that implements bucket tagging (moto), with the {@code .edx/owner} marker object only
 * where tagging answers NotImplemented (s3proxy); and a bucket an older edx marked with the object
 * stays owned.
 */
class S3OwnershipTest {
  private static S3Endpoint s3proxy;
  private static MotoServer moto;

  @BeforeAll
  static void start() throws Exception {
    s3proxy = S3Endpoint.inMemory();
    moto = MotoServer.start().orElse(null);
  }

  @AfterAll
  static void stop() throws Exception {
    s3proxy.close();
    if (moto != null) {
      moto.close();
    }
  }

  private static List<String> summary(List<Change> changes) {
    return changes.stream().map(c -> c.action() + " " + c.resource()).toList();
  }

  private static S3ObjectStorage onMoto(String environment, List<Object> buckets) {
    assumeTrue(moto != null, "moto is not installed (python3 -m moto.server)");
    ServiceSpec spec = ServiceSpec.builder("storage", "s3")
        .set(AwsProperties.ENDPOINT.key(), moto.endpoint().toString())
        .set(AwsProperties.REGION.key(), "us-east-1")
        .set(S3Properties.PATH_STYLE.key(), true)
        .setSensitive(AwsProperties.ACCESS_KEY_ID.key(), MotoServer.ACCESS_KEY)
        .setSensitive(AwsProperties.SECRET_ACCESS_KEY.key(), MotoServer.SECRET_KEY)
        .set(S3Properties.BUCKETS.key(), buckets).build();
    return (S3ObjectStorage) Specs.create(S3Testing.provider(), spec,
        new TestProviderContext(environment));
  }

  private static S3Client rawMoto() {
    return S3Client.builder().endpointOverride(moto.endpoint()).forcePathStyle(true)
        .region(Region.US_EAST_1).httpClientBuilder(UrlConnectionHttpClient.builder())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY))).build();
  }

  private static Map<String, String> tags(S3Client raw, String bucket) {
    return raw.getBucketTagging(b -> b.bucket(bucket)).tagSet().stream()
        .collect(Collectors.toMap(Tag::key, Tag::value));
  }

  @Test
  void whereTheStoreHasBucketTaggingOwnershipIsTagsAndNoMarker() {
    try (S3ObjectStorage storage = onMoto("test", List.of("own-tagged"));
        S3ObjectStorage other = onMoto("other", List.of("own-tagged"));
        S3Client raw = rawMoto()) {
      assertThat(summary(storage.apply())).containsExactly("CREATE bucket own-tagged");
      assertThat(tags(raw, "own-tagged")).containsEntry("managed-by", "edx")
          .containsEntry("edx.dev/environment", "test");
      assertThat(storage.stat(ObjectRef.of("own-tagged", BucketOwnership.MARKER_KEY)))
          .as("no marker object where tags work").isEmpty();
      assertThat(summary(storage.apply())).containsExactly("NONE bucket own-tagged");
      assertThat(other.plan()).singleElement().satisfies(c ->
          assertThat(c.detail()).contains("owned by environment 'test'"));

      storage.put(ObjectRef.of("own-tagged", "data"), "x".getBytes(StandardCharsets.UTF_8));
      assertThat(storage.destroy(DataPolicy.RETAIN)).singleElement().satisfies(c ->
          assertThat(c.detail()).contains("holds 1 object versions"));
      assertThat(summary(storage.destroy(DataPolicy.PURGE)))
          .containsExactly("DELETE bucket own-tagged");
      assertThat(storage.bucketExists("own-tagged")).isFalse();
    }
  }

  @Test
  void adoptionAddsTheOwnershipTagsAndKeepsTheBucketsOthers() {
    try (S3ObjectStorage storage = onMoto("test", List.of(Map.of("name", "own-adopted",
        "adopt", true)));
        S3Client raw = rawMoto()) {
      raw.createBucket(b -> b.bucket("own-adopted"));
      raw.putBucketTagging(b -> b.bucket("own-adopted").tagging(t -> t.tagSet(
          Tag.builder().key("team").value("analytics").build())));
      assertThat(summary(storage.apply())).containsExactly("UPDATE bucket own-adopted");
      assertThat(tags(raw, "own-adopted")).containsEntry("team", "analytics")
          .containsEntry("managed-by", "edx").containsEntry("edx.dev/environment", "test");
      storage.destroy(DataPolicy.PURGE);
    }
  }

  @Test
  void aBucketAnOlderEdxMarkedWithTheObjectStaysOwned() {
    try (S3ObjectStorage storage = onMoto("test", List.of("own-legacy"));
        S3Client raw = rawMoto()) {
      raw.createBucket(b -> b.bucket("own-legacy"));
      raw.putObject(b -> b.bucket("own-legacy").key(BucketOwnership.MARKER_KEY),
          software.amazon.awssdk.core.sync.RequestBody.fromString("test\n"));
      // owned: the settings pass compares it with the spec (which blocks public access)
      assertThat(storage.plan()).singleElement().satisfies(c -> {
        assertThat(c.action()).isEqualTo(Change.Action.UPDATE);
        assertThat(c.detail()).isEqualTo("public access block off -> on");
      });
      try (Stream<?> objects = storage.list("own-legacy", "")) {
        assertThat(objects).as("the marker is hidden").isEmpty();
      }
      assertThat(summary(storage.destroy(DataPolicy.RETAIN)))
          .containsExactly("DELETE bucket own-legacy");
      assertThat(storage.bucketExists("own-legacy")).isFalse();
    }
  }

  @Test
  void whereBucketTaggingIsNotImplementedOwnershipIsTheMarkerObject() {
    try (S3ObjectStorage storage = S3Testing.open(s3proxy, b -> b
        .set(S3Properties.BUCKETS.key(), List.of("own-marked"))
        .set(S3Properties.BLOCK_PUBLIC_ACCESS.key(), false))) {
      assertThat(summary(storage.apply())).containsExactly("CREATE bucket own-marked");
      ObjectRef marker = ObjectRef.of("own-marked", BucketOwnership.MARKER_KEY);
      assertThat(new String(storage.readAllBytes(marker), StandardCharsets.UTF_8).strip())
          .isEqualTo("test");
      try (Stream<?> objects = storage.list("own-marked", "");
          Stream<?> versions = storage.listVersions("own-marked", "")) {
        assertThat(objects).isEmpty();
        assertThat(versions).isEmpty();
      }
      assertThat(summary(storage.apply())).containsExactly("NONE bucket own-marked");
      assertThat(storage.bucketTags("own-marked")).isEqualTo(Optional.empty());
      assertThat(summary(storage.destroy(DataPolicy.RETAIN)))
          .containsExactly("DELETE bucket own-marked");
      assertThat(storage.bucketExists("own-marked")).isFalse();
    }
  }
}
