package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.BucketAlreadyExistsException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.OwnedResourceProvisioner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisioning of the buckets of a {@link LocalObjectStorage}. Buckets its environment owns are
 * marked by a file {@code root/.edx-meta/buckets/<bucket>} holding the environment's name, written
 * before the bucket's folder is created and deleted after it is removed.
 */
final class LocalBucketProvisioner extends OwnedResourceProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(LocalBucketProvisioner.class);
  private static final String SERVICE = "storage";

  private final LocalObjectStorage storage;
  private final Path root;

  LocalBucketProvisioner(LocalObjectStorage storage, String environment,
      List<DeclaredResource> declared) {
    super(SERVICE, "bucket", environment, declared);
    this.storage = requireNonNull(storage, "storage is null");
    this.root = storage.root();
  }

  @Override
  protected boolean exists(String name) {
    return storage.bucketExists(name);
  }

  @Override
  protected Optional<String> owner(String name) {
    Path marker = ownerMarker(name);
    if (!Files.isRegularFile(marker)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(marker, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new ProviderException("Cannot read the owner of bucket '" + name + "' from "
          + marker + ": " + e, e);
    }
  }

  @Override
  protected Collection<String> existing() {
    return storage.listBuckets();
  }

  @Override
  protected void create(String name) {
    markOwner(name);
    try {
      storage.createBucket(name);
    } catch (BucketAlreadyExistsException e) {
      LOG.debug("Bucket {} appeared while applying; it is now marked as owned", name);
    }
  }

  @Override
  protected void adopt(String name) {
    markOwner(name);
  }

  @Override
  protected long dataCount(String name) {
    return LocalFiles.countObjects(name, storage.bucketDirectory(name), Long.MAX_VALUE);
  }

  @Override
  protected void delete(String name) {
    Path dir = storage.bucketDirectory(name);
    if (Files.isDirectory(dir)) {
      LocalFiles.deleteTree(dir, "delete bucket '" + name + "'");
      LOG.info("Deleted bucket {} in {}", name, root);
    }
    try {
      Files.deleteIfExists(ownerMarker(name));
    } catch (IOException e) {
      throw new ProviderException("Cannot delete the owner mark of bucket '" + name + "': " + e,
          e);
    }
  }

  @Override
  protected String describeCreate(String name) {
    return "folder " + root.resolve(name);
  }

  private void markOwner(String name) {
    Path marker = ownerMarker(name);
    try {
      Files.createDirectories(marker.getParent());
      Path temp = Files.createTempFile(marker.getParent(), ".owner", ".tmp");
      Files.writeString(temp, environment() + "\n", StandardCharsets.UTF_8);
      Files.move(temp, marker, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ProviderException("Cannot mark bucket '" + name + "' as owned by environment '"
          + environment() + "' in " + marker + ": " + e, e);
    }
  }

  private Path ownerMarker(String name) {
    return root.resolve(LocalObjectStorage.META_DIRECTORY).resolve("buckets").resolve(name);
  }
}
