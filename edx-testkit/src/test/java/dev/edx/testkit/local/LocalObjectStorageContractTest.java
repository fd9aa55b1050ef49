package dev.edx.testkit.local;

import dev.edx.api.ObjectStorage;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import dev.edx.testkit.EdxCapability;
import dev.edx.testkit.ObjectStorageContract;
import dev.edx.testkit.TestProviderContext;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract against the {@code local} provider, found as any spec would find it. */
class LocalObjectStorageContractTest extends ObjectStorageContract<ObjectStorage> {

  @TempDir
  Path folder;

  private ObjectStorage storage;

  @BeforeEach
  void openStorage() {
    StorageProvider provider = ServiceLoader.load(StorageProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("local"))
        .findFirst()
        .orElseThrow();
    storage = provider.create(
        ServiceSpec.builder("storage", "local").set("root", "data").build(),
        new TestProviderContext("test", folder));
  }

  @Override
  protected ObjectStorage storage() {
    return storage;
  }

  @Override
  protected boolean supports(EdxCapability capability) {
    return switch (capability) {
      case STORAGE_ETAGS, STORAGE_KEY_AND_PREFIX_SAME_NAME -> false;
      default -> super.supports(capability);
    };
  }
}
