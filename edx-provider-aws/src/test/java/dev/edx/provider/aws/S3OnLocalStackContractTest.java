package dev.edx.provider.aws;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.ObjectStorageContract;
import dev.edx.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The storage contract against S3 in LocalStack, where Docker runs; skipped without Docker. The
 * same contract always runs against the embedded endpoint ({@link S3ObjectStorageContractTest}).
 */
@Testcontainers(disabledWithoutDocker = true)
class S3OnLocalStackContractTest extends ObjectStorageContract<S3ObjectStorage> {
  private static LocalStackContainer localstack;
  private static S3ObjectStorage storage;

  @BeforeAll
  static void start() {
    localstack = LocalStackTesting.start();
    storage = (S3ObjectStorage) S3Testing.provider().create(LocalStackTesting.spec(localstack,
        "storage", "s3").set(S3Properties.PATH_STYLE.key(), true).build(),
            new TestProviderContext());
  }

  @AfterAll
  static void stop() {
    if (storage != null) {
      storage.close();
    }
    if (localstack != null) {
      localstack.stop();
    }
  }

  @Override
  protected S3ObjectStorage storage() {
    return storage;
  }

  /** Starts LocalStack with S3 and Secrets Manager (Glue and EMR need LocalStack Pro). */
  static final class LocalStackTesting {
    private LocalStackTesting() {}

    static LocalStackContainer start() {
      LocalStackContainer container = new LocalStackContainer(
          DockerImageName.parse("localstack/localstack:3.8"))
          .withServices(LocalStackContainer.Service.S3,
              LocalStackContainer.Service.SECRETSMANAGER);
      container.start();
      return container;
    }

    static ServiceSpec.Builder spec(LocalStackContainer container, String service,
        String provider) {
      return ServiceSpec.builder(service, provider)
          .set(AwsProperties.ENDPOINT.key(), container.getEndpoint().toString())
          .set(AwsProperties.REGION.key(), container.getRegion())
          .setSensitive(AwsProperties.ACCESS_KEY_ID.key(), container.getAccessKey())
          .setSensitive(AwsProperties.SECRET_ACCESS_KEY.key(), container.getSecretKey());
    }
  }
}
