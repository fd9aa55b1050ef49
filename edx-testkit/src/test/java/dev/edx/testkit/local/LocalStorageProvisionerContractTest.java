package dev.edx.testkit.local;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.spi.Provisioner;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import dev.edx.testkit.EdxCapability;
import dev.edx.testkit.ProvisionerContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioner contract against the {@code local} storage provider's buckets. Ownership is a
 * file {@code root/.edx-meta/buckets/<bucket>} naming the environment, written before the bucket's
 * folder: a half-created bucket is a mark without its folder, and the next apply makes the folder.
 */
class LocalStorageProvisionerContractTest extends ProvisionerContract {
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
        .build(), new NamedProviderContext(environment, folder));
    return (Provisioner) storage;
  }

  @Override
  protected String kind() {
    return "bucket";
  }

  @Override
  protected void createUnowned(String name) {
    bare.createBucket(name);
  }

  @Override
  protected void putData(String name) {
    bare.put(ObjectRef.of(name, "data/object.txt"), "data".getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected boolean holdsData(String name) {
    return bare.stat(ObjectRef.of(name, "data/object.txt")).isPresent();
  }

  @Override
  protected void deleteBehindBack(String name) {
    try (Stream<ObjectInfo> objects = bare.list(name, "")) {
      bare.deleteAll(name, objects.map(o -> o.ref().key()).toList());
    }
    bare.deleteBucket(name);
  }

  @Override
  protected boolean exists(String name) {
    return bare.bucketExists(name);
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
}
