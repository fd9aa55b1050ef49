package dev.edx.provider.aws;

import dev.edx.api.spi.SecretsProvider;
import dev.edx.testkit.SecretsContract;
import dev.edx.testkit.TestProviderContext;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The secrets contract against Secrets Manager in LocalStack, where Docker runs; skipped without
 * Docker. The same contract always runs on moto ({@link
 * SecretsManagerOnMotoContractTest}).
 */
@Testcontainers(disabledWithoutDocker = true)
class SecretsManagerOnLocalStackContractTest extends SecretsContract<SecretsManagerSecrets> {
  private static LocalStackContainer localstack;
  private static SecretsManagerSecrets secrets;

  @BeforeAll
  static void start() {
    localstack = S3OnLocalStackContractTest.LocalStackTesting.start();
    SecretsProvider provider = ServiceLoader.load(SecretsProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("secretsmanager"))
        .findFirst().orElseThrow();
    secrets = (SecretsManagerSecrets) provider.create(S3OnLocalStackContractTest.LocalStackTesting
        .spec(localstack, "secrets", "secretsmanager")
        .set(SecretsManagerProperties.FORCE_DELETE.key(), true)
        .build(), new TestProviderContext());
  }

  @AfterAll
  static void stop() {
    if (secrets != null) {
      secrets.close();
    }
    if (localstack != null) {
      localstack.stop();
    }
  }

  @Override
  protected SecretsManagerSecrets secrets() {
    return secrets;
  }
}
