package dev.edx.provider.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectVersion;
import dev.edx.api.exceptions.BucketNotEmptyException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.embedded.S3Endpoint;
import dev.edx.toolkit.s3.BucketOwnership;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.SetBucketTagsArgs;
import io.minio.errors.ErrorResponseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioning lifecycle of the declared buckets and their settings, on the memory-backed
 * embedded endpoint (s3proxy's memory store implements versioning): ownership by the {@code
 * .edx/owner} marker, adoption, removal, drift, destroy. s3proxy implements neither bucket
 * policies nor lifecycle rules (nor bucket tags): for those, the tests show the plan and a clear
 * failure to apply, naming the bucket and the endpoint; their effect on a real MinIO is not tested
 * here.
 */
class MinioProvisionerTest {
  private static final String POLICY = """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]},
       "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::prov-public/*"]}]}""";

  private static S3Endpoint endpoint;

  @BeforeAll
  static void start() {
    endpoint = S3Endpoint.inMemory();
  }

  @AfterAll
  static void stop() {
    endpoint.close();
  }

  private static MinioObjectStorage open(List<Object> buckets) {
    return open("test", buckets);
  }

  private static MinioObjectStorage open(String environment, List<Object> buckets) {
    return MinioTesting.open(endpoint, environment,
        b -> b.set(MinioProperties.BUCKETS.key(), buckets));
  }

  private static MinioClient bareClient() {
    return MinioClient.builder().endpoint(endpoint.endpoint().toString())
        .region(endpoint.region()).credentials(endpoint.accessKey(), endpoint.secretKey())
        .build();
  }

  private static String marker(MinioObjectStorage storage, String bucket) {
    return new String(storage.readAllBytes(ObjectRef.of(bucket, BucketOwnership.MARKER_KEY)),
        StandardCharsets.UTF_8).strip();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> summary(List<Change> changes) {
    return changes.stream().map(c -> c.action() + " " + c.resource()).toList();
  }

  @Test
  void theMarkerIsHiddenFromListingsAndIsNotData() {
    try (MinioObjectStorage storage = open(List.of(Map.of("name", "prov-hidden", "versioning",
        true)))) {
      storage.apply();
      try (Stream<?> objects = storage.list("prov-hidden", "");
          Stream<?> versions = storage.listVersions("prov-hidden", "")) {
        assertThat(objects).isEmpty();
        assertThat(versions).isEmpty();
      }
      assertThat(storage.stat(ObjectRef.of("prov-hidden", BucketOwnership.MARKER_KEY)))
          .as("the marker is there, only hidden").isPresent();
      storage.put(ObjectRef.of("prov-hidden", "data"), bytes("x"));
      try (Stream<?> objects = storage.list("prov-hidden", "")) {
        assertThat(objects).hasSize(1);
      }
      assertThatThrownBy(() -> storage.deleteBucket("prov-hidden"))
          .isInstanceOf(BucketNotEmptyException.class);
      storage.delete(ObjectRef.of("prov-hidden", "data"));
      assertThat(storage.destroy(DataPolicy.RETAIN)).singleElement().satisfies(c -> {
        assertThat(c.action()).as("a delete marker and an old version are data")
            .isEqualTo(Change.Action.RETAIN);
        assertThat(c.detail()).contains("holds 2 object versions");
      });
      storage.destroy(DataPolicy.PURGE);
      assertThat(storage.bucketExists("prov-hidden")).isFalse();
    }
  }

  @Test
  void aBucketHoldingOnlyTheMarkerCanBeDeletedThroughTheApi() {
    try (MinioObjectStorage storage = open(List.of("prov-plain-delete"))) {
      storage.apply();
      storage.deleteBucket("prov-plain-delete");
      assertThat(storage.bucketExists("prov-plain-delete")).isFalse();
    }
  }

  @Test
  void aBucketNoLongerDeclaredIsDeletedWhenEmptyAndKeptWithData() {
    try (MinioObjectStorage before = open(List.of("prov-keep", "prov-empty", "prov-full"))) {
      before.apply();
      before.put(ObjectRef.of("prov-full", "x/1"), bytes("one"));
      before.put(ObjectRef.of("prov-full", "x/2"), bytes("two"));
    }
    try (MinioObjectStorage after = open(List.of("prov-keep"))) {
      List<Change> planned = after.plan();
      assertThat(summary(planned)).containsExactly("NONE bucket prov-keep",
          "DELETE bucket prov-empty", "RETAIN bucket prov-full");
      assertThat(after.bucketExists("prov-empty")).as("plan changes nothing").isTrue();
      assertThat(planned.get(2).detail()).contains("holds 2 object versions");

      assertThat(summary(after.apply())).containsExactly("NONE bucket prov-keep",
          "DELETE bucket prov-empty", "RETAIN bucket prov-full");
      assertThat(after.bucketExists("prov-empty")).isFalse();
      assertThat(after.readAllBytes(ObjectRef.of("prov-full", "x/1"))).isEqualTo(bytes("one"));
      assertThat(summary(after.apply()))
          .as("RETAIN is not a change: the next apply reports the same")
          .containsExactly("NONE bucket prov-keep", "RETAIN bucket prov-full");

      assertThat(summary(after.destroy(DataPolicy.RETAIN)))
          .containsExactly("DELETE bucket prov-keep", "RETAIN bucket prov-full");
      assertThat(after.readAllBytes(ObjectRef.of("prov-full", "x/2"))).isEqualTo(bytes("two"));
      List<Change> purged = after.destroy(DataPolicy.PURGE);
      assertThat(summary(purged)).containsExactly("NONE bucket prov-keep",
          "DELETE bucket prov-full");
      assertThat(purged.get(1).detail()).contains("purged with its 2 object versions");
      assertThat(after.bucketExists("prov-full")).isFalse();
      assertThat(summary(after.destroy(DataPolicy.PURGE)))
          .containsExactly("NONE bucket prov-keep");
    }
  }

  @Test
  void anUnownedBucketIsLeftAloneUnlessAdopted() {
    try (MinioObjectStorage storage = open(List.of(Map.of("name", "prov-foreign", "versioning",
        true)))) {
      storage.createBucket("prov-foreign");
      storage.put(ObjectRef.of("prov-foreign", "theirs"), bytes("data"));

      assertThat(storage.plan()).singleElement().satisfies(c -> {
        assertThat(c.action()).isEqualTo(Change.Action.NONE);
        assertThat(c.detail()).contains("not managed by edx").contains("adopt: true");
      });
      assertThat(summary(storage.apply())).containsExactly("NONE bucket prov-foreign");
      assertThat(storage.isVersioned("prov-foreign")).as("settings left alone").isFalse();
      assertThat(storage.stat(ObjectRef.of("prov-foreign", BucketOwnership.MARKER_KEY)))
          .as("not marked").isEmpty();
      assertThat(summary(storage.destroy(DataPolicy.PURGE)))
          .containsExactly("NONE bucket prov-foreign");
      assertThat(storage.readAllBytes(ObjectRef.of("prov-foreign", "theirs")))
          .isEqualTo(bytes("data"));
    }
    try (MinioObjectStorage adopting = open(List.of(Map.of("name", "prov-foreign", "adopt", true,
        "versioning", true)))) {
      assertThat(adopting.plan()).singleElement().satisfies(c -> {
        assertThat(c.action()).isEqualTo(Change.Action.UPDATE);
        assertThat(c.detail()).startsWith("adopt:").contains("versioning off -> enabled");
      });
      assertThat(adopting.stat(ObjectRef.of("prov-foreign", BucketOwnership.MARKER_KEY)))
          .as("plan changes nothing").isEmpty();
      assertThat(summary(adopting.apply())).containsExactly("UPDATE bucket prov-foreign");
      assertThat(marker(adopting, "prov-foreign")).isEqualTo("test");
      assertThat(adopting.isVersioned("prov-foreign")).isTrue();
      assertThat(summary(adopting.apply())).containsExactly("NONE bucket prov-foreign");
      assertThat(adopting.readAllBytes(ObjectRef.of("prov-foreign", "theirs")))
          .isEqualTo(bytes("data"));

      assertThat(summary(adopting.destroy(DataPolicy.PURGE)))
          .containsExactly("DELETE bucket prov-foreign");
      assertThat(adopting.bucketExists("prov-foreign")).isFalse();
    }
  }

  @Test
  void onAStoreWithoutVersionListingDataIsCountedByObjects(@TempDir Path folder) {
    try (S3Endpoint onDisk = S3Endpoint.inFolder(folder)) {
      try (MinioObjectStorage before = MinioTesting.open(onDisk, "test",
          b -> b.set(MinioProperties.BUCKETS.key(), List.of("disk-a", "disk-b")))) {
        assertThat(summary(before.apply()))
            .containsExactly("CREATE bucket disk-a", "CREATE bucket disk-b");
        before.put(ObjectRef.of("disk-b", "x"), bytes("one"));
      }
      try (MinioObjectStorage after = MinioTesting.open(onDisk, "test",
          b -> b.set(MinioProperties.BUCKETS.key(), List.of()))) {
        List<Change> applied = after.apply();
        assertThat(summary(applied)).containsExactly("DELETE bucket disk-a",
            "RETAIN bucket disk-b");
        assertThat(applied.get(1).detail()).contains("holds 1 object versions");
        assertThat(summary(after.destroy(DataPolicy.PURGE)))
            .containsExactly("DELETE bucket disk-b");
        assertThat(after.listBuckets()).doesNotContain("disk-a", "disk-b");
      }
    }
  }

  @Test
  void s3proxyHasNoBucketTagsWhichIsWhyOwnershipIsAMarkerObject() throws Exception {
    MinioClient bare = bareClient();
    bare.makeBucket(MakeBucketArgs.builder().bucket("prov-tags").build());
    try {
      assertThatThrownBy(() -> bare.setBucketTags(SetBucketTagsArgs.builder().bucket("prov-tags")
          .tags(Map.of("managed-by", "edx")).build()))
          .isInstanceOfSatisfying(ErrorResponseException.class, e ->
              assertThat(e.errorResponse().code()).isEqualTo("NotImplemented"));
    } finally {
      bare.removeBucket(io.minio.RemoveBucketArgs.builder().bucket("prov-tags").build());
    }
  }

  @Test
  void versioningIsAppliedAndPurgeRemovesEveryVersion() {
    List<Object> buckets = List.of(Map.of("name", "prov-versioned", "versioning", true));
    try (MinioObjectStorage storage = open(buckets)) {
      assertThat(storage.plan()).singleElement().satisfies(c -> {
        assertThat(c.action()).isEqualTo(Change.Action.CREATE);
        assertThat(c.detail()).contains("versioning enabled");
      });
      storage.apply();
      assertThat(storage.isVersioned("prov-versioned")).isTrue();
      assertThat(summary(storage.apply())).containsExactly("NONE bucket prov-versioned");

      ObjectRef ref = ObjectRef.of("prov-versioned", "doc");
      storage.put(ref, "v1".getBytes(StandardCharsets.UTF_8));
      storage.put(ref, "v2".getBytes(StandardCharsets.UTF_8));
      List<ObjectVersion> versions;
      try (Stream<ObjectVersion> all = storage.listVersions("prov-versioned", "")) {
        versions = all.toList();
      }
      assertThat(versions).hasSize(2).allSatisfy(v -> assertThat(v.ref()).isEqualTo(ref));
      ObjectVersion older = versions.stream().filter(v -> !v.latest()).findFirst().orElseThrow();
      assertThat(storage.readAllBytes(ref)).isEqualTo("v2".getBytes(StandardCharsets.UTF_8));
      try (var in = storage.open(ref, older.versionId())) {
        assertThat(in.readAllBytes()).isEqualTo("v1".getBytes(StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }

      Change retained = storage.destroy(DataPolicy.RETAIN).get(0);
      assertThat(retained.action()).isEqualTo(Change.Action.RETAIN);
      assertThat(retained.detail()).contains("holds 2 object versions");

      Change purged = storage.destroy(DataPolicy.PURGE).get(0);
      assertThat(purged.action()).isEqualTo(Change.Action.DELETE);
      assertThat(purged.detail()).contains("2 object versions");
      assertThat(storage.bucketExists("prov-versioned")).isFalse();
    }
  }

  @Test
  void suspendingVersioningOfAVersionedBucketIsAnUpdate() {
    try (MinioObjectStorage on = open(List.of(Map.of("name", "prov-suspend", "versioning",
        true)))) {
      on.apply();
      try (MinioObjectStorage off = open(List.of(Map.of("name", "prov-suspend", "versioning",
          false)))) {
        assertThat(off.plan()).singleElement().satisfies(c -> {
          assertThat(c.action()).isEqualTo(Change.Action.UPDATE);
          assertThat(c.detail()).contains("versioning enabled -> suspended");
        });
        off.apply();
        assertThat(off.isVersioned("prov-suspend")).isFalse();
        assertThat(summary(off.apply())).containsExactly("NONE bucket prov-suspend");
        off.destroy(DataPolicy.PURGE);
      }
    }
  }

  @Test
  void policyIsPlannedAndS3proxyRefusesItClearly() {
    List<Object> buckets = List.of(Map.of("name", "prov-public", "policy", POLICY));
    try (MinioObjectStorage storage = open(buckets)) {
      assertThat(storage.plan()).singleElement()
          .satisfies(c -> assertThat(c.detail()).contains("policy"));
      assertThatThrownBy(storage::apply)
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("policy of bucket 'prov-public'")
          .hasMessageContaining("does not implement it (NotImplemented)")
          .hasMessageContaining(endpoint.endpoint().toString());
      storage.destroy(DataPolicy.PURGE);
    }
  }

  @Test
  void lifecycleIsPlannedAndS3proxyRefusesItClearly() {
    List<Object> buckets = List.of(Map.of("name", "prov-expiring", "lifecycle",
        Map.of("expireDays", 30, "prefix", "tmp/")));
    try (MinioObjectStorage storage = open(buckets)) {
      assertThat(storage.plan()).singleElement()
          .satisfies(c -> assertThat(c.detail()).contains("lifecycle expire after 30 days under"
              + " 'tmp/'"));
      assertThatThrownBy(storage::apply)
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("lifecycle of bucket 'prov-expiring'")
          .hasMessageContaining("does not implement it (NotImplemented)")
          .hasMessageContaining(endpoint.endpoint().toString());
      storage.destroy(DataPolicy.PURGE);
    }
  }
}
