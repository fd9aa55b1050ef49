package dev.edx.provider.minio;

import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.spi.Provisioner;
import dev.edx.embedded.S3Endpoint;
import dev.edx.testkit.BucketProvisionerContract;
import dev.edx.testkit.EdxCapability;
import dev.edx.toolkit.s3.BucketOwnership;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provisioner contract against the {@code minio} provider's buckets, on the testkit's
 * memory-backed S3 endpoint. Ownership is the object {@value MinioProperties#OWNER_KEY}, which
 * S3 can only write once the bucket exists: an apply killed between the two leaves an unmarked
 * bucket, which is left alone until adopted (PROVISION_MARKS_BEFORE_CREATE is off).
 */
class MinioProvisionerContractTest extends BucketProvisionerContract {
  private static S3Endpoint endpoint;

  /** A storage declaring nothing, to reach the buckets as any S3 client would. */
  private static MinioObjectStorage bare;

  @BeforeAll
  static void start() {
    endpoint = S3Endpoint.inMemory();
    bare = MinioTesting.open(endpoint, "nobody", b -> b);
  }

  @AfterAll
  static void stop() {
    bare.close();
    endpoint.close();
  }

  @Override
  protected Provisioner provisioner(String environment, List<Declared> declared) {
    return MinioTesting.open(endpoint, environment, b -> b.set(MinioProperties.BUCKETS.key(),
        declared.stream().map(Declared::specValue).toList()));
  }

  @Override
  protected Optional<String> owner(String name) {
    ObjectRef marker = ObjectRef.of(name, BucketOwnership.MARKER_KEY);
    return bare.stat(marker).isEmpty() ? Optional.empty()
        : Optional.of(new String(bare.readAllBytes(marker), StandardCharsets.UTF_8).strip());
  }

  /** The bucket without its marker, as an apply killed between the two requests leaves it. */
  @Override
  protected void interruptCreate(String environment, String name) {
    bare.createBucket(name);
  }

  @Override
  protected boolean supports(EdxCapability capability) {
    return switch (capability) {
      case PROVISION_MULTI_STEP_CREATE -> true;
      case PROVISION_MARKS_BEFORE_CREATE -> false;
      default -> super.supports(capability);
    };
  }

  @Override
  protected ObjectStorage bareStorage() {
    return bare;
  }
}
