package dev.edx.testkit.local;

import dev.edx.api.Secrets;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.SecretsContract;
import dev.edx.testkit.TestProviderContext;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The secrets contract against the {@code local} secrets provider. */
class FolderSecretsContractTest extends SecretsContract<Secrets> {

  @TempDir
  Path folder;

  private Secrets secrets;

  @BeforeEach
  void openSecrets() {
    SecretsProvider provider = ServiceLoader.load(SecretsProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("local"))
        .findFirst()
        .orElseThrow();
    secrets = provider.create(
        ServiceSpec.builder("secrets", "local").set("directory", "secrets").build(),
        new TestProviderContext("test", folder));
  }

  @Override
  protected Secrets secrets() {
    return secrets;
  }
}
