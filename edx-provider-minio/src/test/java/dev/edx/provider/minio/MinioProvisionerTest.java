package dev.edx.provider.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectVersion;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.testkit.S3Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * plan / apply / destroy of the declared buckets and their settings, on the memory-backed
 * embedded endpoint (s3proxy's memory store implements versioning). s3proxy implements neither
 * bucket policies nor lifecycle rules: for those, the tests show the plan and a clear failure to
 * apply, naming the bucket and the endpoint; their effect on a real MinIO is not tested here.
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
    return MinioTesting.open(endpoint, b -> b.set(MinioProperties.BUCKETS, buckets));
  }

  private static List<String> summary(List<Change> changes) {
    return changes.stream().map(c -> c.action() + " " + c.resource()).toList();
  }

  @Test
  void applyIsIdempotentAndDestroyFollowsThePolicy() {
    try (MinioObjectStorage storage = open(List.of("prov-a", "prov-b"))) {
      assertThat(summary(storage.plan()))
          .containsExactly("CREATE bucket prov-a", "CREATE bucket prov-b");
      assertThat(storage.bucketExists("prov-a")).as("plan changes nothing").isFalse();

      assertThat(summary(storage.apply()))
          .containsExactly("CREATE bucket prov-a", "CREATE bucket prov-b");
      assertThat(storage.listBuckets()).contains("prov-a", "prov-b");
      assertThat(summary(storage.apply()))
          .containsExactly("NONE bucket prov-a", "NONE bucket prov-b");
      assertThat(summary(storage.plan()))
          .containsExactly("NONE bucket prov-a", "NONE bucket prov-b");

      storage.put(ObjectRef.of("prov-a", "x/1"), "one".getBytes(StandardCharsets.UTF_8));
      storage.put(ObjectRef.of("prov-a", "x/2"), "two".getBytes(StandardCharsets.UTF_8));

      List<Change> retained = storage.destroy(DataPolicy.RETAIN);
      assertThat(summary(retained)).containsExactly("RETAIN bucket prov-a", "DELETE bucket prov-b");
      assertThat(retained.get(0).detail()).contains("holds 2 objects").contains("PURGE");
      assertThat(storage.bucketExists("prov-a")).isTrue();
      assertThat(storage.readAllBytes(ObjectRef.of("prov-a", "x/1"))).isEqualTo(
          "one".getBytes(StandardCharsets.UTF_8));
      assertThat(storage.bucketExists("prov-b")).isFalse();

      List<Change> purged = storage.destroy(DataPolicy.PURGE);
      assertThat(summary(purged)).containsExactly("DELETE bucket prov-a", "NONE bucket prov-b");
      assertThat(purged.get(0).detail()).contains("purged 2 objects");
      assertThat(storage.bucketExists("prov-a")).isFalse();
      assertThat(summary(storage.destroy(DataPolicy.PURGE)))
          .containsExactly("NONE bucket prov-a", "NONE bucket prov-b");
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
      assertThat(retained.detail()).contains("holds 1 objects (2 versions)");

      Change purged = storage.destroy(DataPolicy.PURGE).get(0);
      assertThat(purged.action()).isEqualTo(Change.Action.DELETE);
      assertThat(purged.detail()).contains("2 versions");
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
