package dev.edx.testkit.local;

import dev.edx.api.ObjectStorage;
import dev.edx.api.spi.Provisioner;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import dev.edx.testkit.BucketProvisionerContract;
import dev.edx.testkit.EdxCapability;
import dev.edx.testkit.TestProviderContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioner contract against the {@code local} storage provider's buckets. Ownership is a
 * file {@code root/.edx-meta/buckets/<bucket>} naming the environment, written before the bucket's
 * folder: a half-created bucket is a mark without its folder, and the next apply makes the folder.
 */
class LocalStorageProvisionerContractTest extends BucketProvisionerContract {
  @TempDir
  Path folder;

  /** The same root, with no buckets declared: what a person with the folder would do. */
  private ObjectStorage bare;

  @BeforeEach
  void openBareStorage() {
    bare = (ObjectStorage) provisioner("nobody", List.of());
  }

  @Override
  protected Provisioner provisioner(String environment, List<Declared> declared) {
    StorageProvider provider = ServiceLoader.load(StorageProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("local"))
        .findFirst().orElseThrow();
    ObjectStorage storage = provider.create(ServiceSpec.builder("storage", "local")
        .set("root", "data")
        .set("buckets", declared.stream().map(Declared::specValue).toList())
        .build(), new TestProviderContext(environment, folder));
    return (Provisioner) storage;
  }

  @Override
  protected Optional<String> owner(String name) {
    Path mark = marker(name);
    try {
      return Files.isRegularFile(mark)
          ? Optional.of(Files.readString(mark, StandardCharsets.UTF_8).strip())
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The mark alone, as an apply killed between writing it and making the folder leaves. */
  @Override
  protected void interruptCreate(String environment, String name) {
    try {
      Files.createDirectories(marker(name).getParent());
      Files.writeString(marker(name), environment + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected boolean supports(EdxCapability capability) {
    return capability == EdxCapability.PROVISION_MULTI_STEP_CREATE || super.supports(capability);
  }

  private Path marker(String name) {
    return folder.resolve("data/.edx-meta/buckets").resolve(name);
  }

  @Override
  protected ObjectStorage bareStorage() {
    return bare;
  }
}
