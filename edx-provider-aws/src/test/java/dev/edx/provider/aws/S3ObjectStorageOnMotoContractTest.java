package dev.edx.provider.aws;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.EdxCapability;
import dev.edx.testkit.MotoServer;
import dev.edx.testkit.ObjectStorageContract;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The storage contract against the {@code s3} provider on moto's server, a third-party
 * implementation of S3 (skipped when moto is not installed). Unlike the embedded endpoint
 * ({@link S3ObjectStorageContractTest}), moto keeps an object {@code a} beside an object {@code
 * a/b}, as S3 does, so the contract's same-name case runs here.
 */
class S3ObjectStorageOnMotoContractTest extends ObjectStorageContract<S3ObjectStorage> {
  private static MotoServer moto;
  private static S3ObjectStorage storage;

  @BeforeAll
  static void start() {
    moto = MotoTesting.start();
    ServiceSpec spec = MotoTesting.spec(moto, "storage", "s3")
        .set(S3Properties.PATH_STYLE.key(), true).build();
    storage = (S3ObjectStorage) Specs.create(S3Testing.provider(), spec, new TestProviderContext());
  }

  @AfterAll
  static void stop() {
    if (moto != null) {
      storage.close();
      moto.close();
    }
  }

  @Override
  protected S3ObjectStorage storage() {
    return storage;
  }

  @Override
  protected boolean supports(EdxCapability capability) {
    return switch (capability) {
      case STORAGE_ETAGS, STORAGE_CREATE_BUCKETS, STORAGE_KEY_AND_PREFIX_SAME_NAME -> true;
      default -> super.supports(capability);
    };
  }
}
