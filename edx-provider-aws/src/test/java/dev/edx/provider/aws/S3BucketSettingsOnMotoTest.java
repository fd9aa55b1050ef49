package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ObjectRef;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.MotoServer;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The success paths of the {@code s3} provisioner's bucket settings on moto's server, which
 * implements them (the embedded endpoint can only refuse them, see {@link S3StorageTest}): default
 * encryption, the public-access block and the lifecycle rule as S3 reports them after {@code
 * apply}, a changed rule updated and a removed one deleted, objects written with the declared
 * encryption, and destroy keeping a bucket with data under RETAIN and deleting it under PURGE.
 */
class S3BucketSettingsOnMotoTest {
  private static MotoServer moto;
  private static S3Client s3;

  @BeforeAll
  static void start() {
    moto = MotoTesting.start();
    s3 = MotoTesting.client(moto, S3Client.builder().forcePathStyle(true));
  }

  @AfterAll
  static void stop() {
    if (moto != null) {
      s3.close();
      moto.close();
    }
  }

  private static S3ObjectStorage open(String bucket, UnaryOperator<ServiceSpec.Builder> more) {
    ServiceSpec spec = more.apply(MotoTesting.spec(moto, "storage", "s3")
        .set(S3Properties.PATH_STYLE.key(), true)
        .set(S3Properties.BUCKETS.key(), List.of(bucket))).build();
    // one environment per bucket: the other tests' buckets are not this one's
    return (S3ObjectStorage) Specs.create(S3Testing.provider(), spec,
        new TestProviderContext(bucket));
  }

  private static List<LifecycleRule> rules(String bucket) {
    try {
      return s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules();
    } catch (S3Exception e) {
      assertThat(e.awsErrorDetails().errorCode())
          .isEqualTo("NoSuchLifecycleConfiguration");
      return List.of();
    }
  }

  @Test
  void applyConfiguresEncryptionPublicAccessAndLifecycleAsDeclared() {
    String bucket = "settings-applied";
    try (S3ObjectStorage storage = open(bucket, b -> b.set(S3Properties.SSE.key(), "AES256")
        .set(S3Properties.LIFECYCLE_EXPIRE_DAYS.key(), 30)
        .set(S3Properties.LIFECYCLE_PREFIX.key(), "tmp/"))) {
      assertThat(storage.apply()).extracting(Change::action).containsExactly(Change.Action.CREATE);

      assertThat(s3.getBucketEncryption(b -> b.bucket(bucket))
          .serverSideEncryptionConfiguration().rules())
          .singleElement().satisfies(r -> assertThat(
              r.applyServerSideEncryptionByDefault().sseAlgorithm())
              .isEqualTo(ServerSideEncryption.AES256));
      PublicAccessBlockConfiguration block = s3.getPublicAccessBlock(b -> b.bucket(bucket))
          .publicAccessBlockConfiguration();
      assertThat(List.of(block.blockPublicAcls(), block.ignorePublicAcls(),
          block.blockPublicPolicy(), block.restrictPublicBuckets())).containsOnly(true);
      assertThat(rules(bucket)).singleElement().satisfies(r -> {
        assertThat(r.id()).isEqualTo("edx-expire");
        assertThat(r.expiration().days()).isEqualTo(30);
        assertThat(r.filter().prefix()).isEqualTo("tmp/");
        assertThat(r.abortIncompleteMultipartUpload().daysAfterInitiation()).isEqualTo(7);
      });

      storage.put(ObjectRef.of(bucket, "a.txt"), "a".getBytes(StandardCharsets.UTF_8));
      assertThat(s3.headObject(b -> b.bucket(bucket).key("a.txt")).serverSideEncryption())
          .isEqualTo(ServerSideEncryption.AES256);
      assertThat(storage.plan()).extracting(Change::action).containsOnly(Change.Action.NONE);
    }
  }

  @Test
  void aChangedRuleIsUpdatedAndARemovedOneDeleted() {
    String bucket = "settings-changed";
    try (S3ObjectStorage first = open(bucket,
        b -> b.set(S3Properties.LIFECYCLE_EXPIRE_DAYS.key(), 30))) {
      first.apply();
    }
    assertThat(rules(bucket)).singleElement()
        .satisfies(r -> assertThat(r.expiration().days()).isEqualTo(30));

    try (S3ObjectStorage changed = open(bucket,
        b -> b.set(S3Properties.LIFECYCLE_EXPIRE_DAYS.key(), 7))) {
      assertThat(changed.plan()).extracting(Change::action)
          .containsExactly(Change.Action.UPDATE);
      changed.apply();
    }
    assertThat(rules(bucket)).singleElement()
        .satisfies(r -> assertThat(r.expiration().days()).isEqualTo(7));

    try (S3ObjectStorage removed = open(bucket, UnaryOperator.identity())) {
      assertThat(removed.plan()).extracting(Change::action)
          .containsExactly(Change.Action.UPDATE);
      removed.apply();
      assertThat(removed.plan()).extracting(Change::action).containsOnly(Change.Action.NONE);
    }
    assertThat(rules(bucket)).isEmpty();
  }

  @Test
  void destroyKeepsABucketWithDataUnderRetainAndDeletesItUnderPurge() {
    String bucket = "settings-destroyed";
    try (S3ObjectStorage storage = open(bucket, UnaryOperator.identity())) {
      storage.apply();
      storage.put(ObjectRef.of(bucket, "kept.txt"), "data".getBytes(StandardCharsets.UTF_8));

      storage.destroy(DataPolicy.RETAIN);
      assertThat(storage.bucketExists(bucket)).isTrue();
      assertThat(storage.stat(ObjectRef.of(bucket, "kept.txt"))).isPresent();

      storage.destroy(DataPolicy.PURGE);
      assertThat(storage.bucketExists(bucket)).isFalse();
      assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(bucket)))
          .isInstanceOf(S3Exception.class);
    }
  }
}
