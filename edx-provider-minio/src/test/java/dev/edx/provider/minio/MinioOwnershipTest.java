package dev.edx.provider.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.api.ObjectRef;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.MotoServer;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import dev.edx.toolkit.s3.BucketOwnership;
import io.minio.GetBucketTagsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.SetBucketTagsArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code minio} storage marks the buckets it owns as the {@code s3} storage does ({@link
 * BucketOwnership}): with tags where the store implements bucket tagging (moto here, MinIO in
 * production), and the {@code .edx/owner} object only where it does not (s3proxy: see {@link
 * MinioProvisionerTest}). Buckets marked with the object by older versions stay owned.
 */
class MinioOwnershipTest {
  private static MotoServer moto;

  @BeforeAll
  static void start() throws Exception {
    moto = MotoServer.start().orElse(null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (moto != null) {
      moto.close();
    }
  }

  private static List<String> summary(List<Change> changes) {
    return changes.stream().map(c -> c.action() + " " + c.resource()).toList();
  }

  private static MinioObjectStorage open(String environment, List<Object> buckets) {
    assumeTrue(moto != null, "moto is not installed (python3 -m moto.server)");
    ServiceSpec spec = ServiceSpec.builder("storage", "minio")
        .set(MinioProperties.ENDPOINT.key(), moto.endpoint().toString())
        .setSensitive(MinioProperties.ACCESS_KEY.key(), MotoServer.ACCESS_KEY)
        .setSensitive(MinioProperties.SECRET_KEY.key(), MotoServer.SECRET_KEY)
        .set(MinioProperties.BUCKETS.key(), buckets).build();
    return (MinioObjectStorage) Specs.create(MinioTesting.provider(), spec,
        new TestProviderContext(environment));
  }

  private static MinioClient raw() {
    return MinioClient.builder().endpoint(moto.endpoint().toString()).region("us-east-1")
        .credentials(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY).build();
  }

  @Test
  void whereTheStoreHasBucketTaggingOwnershipIsTagsAndNoMarker() throws Exception {
    try (MinioObjectStorage storage = open("test", List.of("mown-tagged"));
        MinioObjectStorage other = open("other", List.of("mown-tagged"))) {
      assertThat(summary(storage.apply())).containsExactly("CREATE bucket mown-tagged");
      assertThat(raw().getBucketTags(GetBucketTagsArgs.builder().bucket("mown-tagged").build())
          .get()).containsEntry("managed-by", "edx").containsEntry("edx.dev/environment", "test");
      assertThat(storage.stat(ObjectRef.of("mown-tagged", BucketOwnership.MARKER_KEY)))
          .as("no marker object where tags work").isEmpty();
      assertThat(summary(storage.apply())).containsExactly("NONE bucket mown-tagged");
      assertThat(other.plan()).singleElement().satisfies(c ->
          assertThat(c.detail()).contains("owned by environment 'test'"));
      assertThat(summary(storage.destroy(DataPolicy.RETAIN)))
          .containsExactly("DELETE bucket mown-tagged");
    }
  }

  @Test
  void adoptionAddsTheOwnershipTagsAndKeepsTheBucketsOthers() throws Exception {
    MinioClient raw = raw();
    raw.makeBucket(MakeBucketArgs.builder().bucket("mown-adopted").build());
    raw.setBucketTags(SetBucketTagsArgs.builder().bucket("mown-adopted")
        .tags(Map.of("team", "analytics")).build());
    try (MinioObjectStorage storage = open("test", List.of(Map.of("name", "mown-adopted",
        "adopt", true)))) {
      assertThat(summary(storage.apply())).containsExactly("UPDATE bucket mown-adopted");
      assertThat(raw.getBucketTags(GetBucketTagsArgs.builder().bucket("mown-adopted").build())
          .get()).containsEntry("team", "analytics").containsEntry("managed-by", "edx")
          .containsEntry("edx.dev/environment", "test");
      storage.destroy(DataPolicy.PURGE);
    }
  }

  @Test
  void aBucketAnOlderEdxMarkedWithTheObjectStaysOwned() throws Exception {
    MinioClient raw = raw();
    raw.makeBucket(MakeBucketArgs.builder().bucket("mown-legacy").build());
    byte[] mark = "test\n".getBytes(StandardCharsets.UTF_8);
    raw.putObject(PutObjectArgs.builder().bucket("mown-legacy").object(BucketOwnership.MARKER_KEY)
        .stream(new ByteArrayInputStream(mark), mark.length, -1).build());
    try (MinioObjectStorage storage = open("test", List.of("mown-legacy"))) {
      assertThat(storage.plan()).singleElement().satisfies(c -> {
        assertThat(c.action()).isEqualTo(Change.Action.NONE);
        assertThat(c.detail()).isEqualTo("exists");
      });
      try (Stream<?> objects = storage.list("mown-legacy", "")) {
        assertThat(objects).as("the marker is hidden").isEmpty();
      }
      assertThat(summary(storage.destroy(DataPolicy.RETAIN)))
          .containsExactly("DELETE bucket mown-legacy");
      assertThat(storage.bucketExists("mown-legacy")).isFalse();
    }
  }
}
