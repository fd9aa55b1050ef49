package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.exceptions.BucketAlreadyExistsException;
import dev.edx.api.exceptions.BucketNotEmptyException;
import dev.edx.api.exceptions.NoSuchBucketException;
import dev.edx.api.exceptions.NoSuchObjectException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.Provisioner;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.ObjectRanges;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Object storage in a folder: bucket {@code b} is the folder {@code root/b}, object {@code b/x/y}
 * the file {@code root/b/x/y}, so engines can read partition folders through {@code file:} URIs.
 *
 * <p>Writes stream to a temporary file in {@code root/.edx-tmp}, are forced to disk, then renamed
 * over the target atomically, so a reader sees the old object or the new one. Objects have no etag
 * (an MD5 would need a sidecar file per object). Because objects are files and prefixes folders,
 * a key cannot be both an object and a prefix of other keys ({@code a} and {@code a/b}).
 *
 * <p>Thread safe. Deleting a bucket takes a lock that excludes writes to it from this instance;
 * several processes sharing a root get atomic objects but no such guard.
 *
 * <p>Bucket provisioning is {@link LocalBucketProvisioner}'s, listing {@link
 * LocalObjectIterator}'s; {@link LocalFiles} holds the file-system helpers.
 */
final class LocalObjectStorage implements ObjectStorage, Provisioner {
  private static final Logger LOG = LoggerFactory.getLogger(LocalObjectStorage.class);

  /** Temporary files; bucket names cannot start with '.', so this never clashes with a bucket. */
  static final String TEMP_DIRECTORY = ".edx-tmp";
  /** Ownership marks of the provisioner ({@link LocalBucketProvisioner}). */
  static final String META_DIRECTORY = ".edx-meta";

  private static final int COMMIT_ATTEMPTS = 10;

  private final Path root;
  private final Path tempDirectory;
  private final List<DeclaredResource> declaredBuckets;
  private final LocalBucketProvisioner provisioner;
  private final ReadWriteLock bucketLock = new ReentrantReadWriteLock();

  /**
   * @param root the folder holding the buckets; created with the first bucket
   * @param declaredBuckets the buckets the provisioner manages
   * @param environment the environment whose buckets the provisioner manages
   */
  LocalObjectStorage(Path root, List<DeclaredResource> declaredBuckets, String environment) {
    this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    this.tempDirectory = this.root.resolve(TEMP_DIRECTORY);
    this.declaredBuckets = List.copyOf(requireNonNull(declaredBuckets, "declaredBuckets is null"));
    this.declaredBuckets.forEach(d -> validateBucketName(d.name()));
    this.provisioner = new LocalBucketProvisioner(this, environment, this.declaredBuckets);
  }

  Path root() {
    return root;
  }

  // ---------------------------------------------------------------------------------- buckets

  @Override
  public void createBucket(String bucket) {
    Path dir = bucketDirectory(bucket);
    createRoot("create bucket '" + bucket + "'");
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw new ProviderException("Cannot create bucket '" + bucket + "': " + dir
            + " exists and is not a folder; move it out of the way", e);
      }
      throw new BucketAlreadyExistsException(bucket,
          "Cannot create bucket '" + bucket + "': it already exists", e);
    } catch (IOException e) {
      throw new ProviderException("Cannot create bucket '" + bucket + "' in " + root + ": " + e,
          e);
    }
    LOG.info("Created bucket {} in {}", bucket, root);
  }

  @Override
  public boolean bucketExists(String bucket) {
    return Files.isDirectory(bucketDirectory(bucket));
  }

  @Override
  public List<String> listBuckets() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<String> buckets = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (isBucketName(name)) {
          buckets.add(name);
        }
      }
    } catch (IOException e) {
      throw new ProviderException("Cannot list buckets in " + root + ": " + e, e);
    }
    buckets.sort(Comparator.naturalOrder());
    return List.copyOf(buckets);
  }

  @Override
  public void deleteBucket(String bucket) {
    Path dir = bucketDirectory(bucket);
    bucketLock.writeLock().lock();
    try {
      requireBucket(bucket, "delete bucket '" + bucket + "'");
      long objects = LocalFiles.countObjects(bucket, dir, 1);
      if (objects > 0) {
        throw new BucketNotEmptyException(bucket, "Cannot delete bucket '" + bucket
            + "': it holds objects; delete them first (or destroy with DataPolicy.PURGE)");
      }
      LocalFiles.deleteTree(dir, "delete bucket '" + bucket + "'");
    } finally {
      bucketLock.writeLock().unlock();
    }
    LOG.info("Deleted bucket {} in {}", bucket, root);
  }

  // ---------------------------------------------------------------------------------- objects

  @Override
  public ObjectInfo put(ObjectRef ref, InputStream data) {
    requireNonNull(ref, "ref is null");
    requireNonNull(data, "data is null");
    Path target = objectPath(ref);
    String what = "put " + ref;
    requireBucket(ref.bucket(), what);
    checkKeyFits(ref, target, what);
    Path temp = LocalFiles.newTempFile(tempDirectory, what);
    try {
      long size;
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        size = LocalFiles.copy(data, out);
        out.force(true);
      }
      FileTime modified = Files.getLastModifiedTime(temp);
      commit(ref, temp, target, what);
      LOG.debug("Put {} ({} bytes)", ref, size);
      return new ObjectInfo(ref, size, modified.toInstant(), Optional.empty());
    } catch (IOException e) {
      throw new ProviderException("Cannot " + what + ": " + e, e);
    } finally {
      LocalFiles.deleteQuietly(temp);
    }
  }

  @Override
  public InputStream open(ObjectRef ref) {
    return open(ref, 0, Long.MAX_VALUE);
  }

  @Override
  public InputStream open(ObjectRef ref, long offset, long length) {
    ObjectRanges.check(ref, offset, length);
    FileChannel channel = openForRead(ref, "open " + ref);
    try {
      channel.position(offset);
    } catch (IOException e) {
      LocalFiles.closeQuietly(channel);
      throw new ProviderException("Cannot open " + ref + " at offset " + offset + ": " + e, e);
    }
    LOG.debug("Opened {} at offset {} for {} bytes", ref, offset, length);
    return ObjectRanges.bounded(Channels.newInputStream(channel), length);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectRef ref) {
    requireNonNull(ref, "ref is null");
    Path path = objectPath(ref);
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(new ObjectInfo(ref, attributes.size(),
          attributes.lastModifiedTime().toInstant(), Optional.empty()));
    } catch (IOException e) {
      if (LocalFiles.isMissing(e, path)) {
        return Optional.empty();
      }
      throw new ProviderException("Cannot stat " + ref + ": " + e, e);
    }
  }

  @Override
  public Stream<ObjectInfo> list(String bucket, String prefix) {
    requireNonNull(prefix, "prefix is null");
    Path bucketDir = bucketDirectory(bucket);
    requireBucket(bucket, "list bucket '" + bucket + "'");
    // Start in the deepest folder the prefix names; the rest of it filters that folder's entries.
    int slash = prefix.lastIndexOf('/');
    String folder = slash < 0 ? "" : prefix.substring(0, slash);
    String namePrefix = prefix.substring(slash + 1);
    if (!folder.isEmpty() && !LocalKeys.isValid(folder)) {
      return Stream.empty(); // no storable key starts with this prefix
    }
    Path start = folder.isEmpty() ? bucketDir : bucketDir.resolve(folder);
    String keyBase = folder.isEmpty() ? "" : folder + "/";
    LOG.debug("Listing {}/{}", bucket, prefix);
    Iterator<ObjectInfo> objects = new LocalObjectIterator(bucket, prefix, start, keyBase,
        namePrefix);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(objects,
        Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL), false);
  }

  @Override
  public void delete(ObjectRef ref) {
    requireNonNull(ref, "ref is null");
    Path path = objectPath(ref);
    Path bucketDir = bucketDirectory(ref.bucket());
    bucketLock.readLock().lock();
    try {
      requireBucket(ref.bucket(), "delete " + ref);
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        return; // a prefix of other objects, not an object
      }
      if (Files.deleteIfExists(path)) {
        LOG.debug("Deleted {}", ref);
        LocalFiles.pruneEmptyFolders(path.getParent(), bucketDir);
      }
    } catch (DirectoryNotEmptyException e) {
      // became a prefix concurrently: there is no object of this key
    } catch (IOException e) {
      if (!LocalFiles.isMissing(e, path)) {
        throw new ProviderException("Cannot delete " + ref + ": " + e, e);
      }
    } finally {
      bucketLock.readLock().unlock();
    }
  }

  @Override
  public ObjectInfo copy(ObjectRef source, ObjectRef target) {
    requireNonNull(source, "source is null");
    requireNonNull(target, "target is null");
    String what = "copy " + source + " to " + target;
    Path targetPath = objectPath(target);
    requireBucket(target.bucket(), what);
    checkKeyFits(target, targetPath, what);
    try (FileChannel in = openForRead(source, what)) {
      Path temp = LocalFiles.newTempFile(tempDirectory, what);
      try {
        long size = in.size();
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          long position = 0;
          while (position < size) {
            long n = in.transferTo(position, size - position, out);
            if (n <= 0) {
              break;
            }
            position += n;
          }
          out.force(true);
        }
        FileTime modified = Files.getLastModifiedTime(temp);
        commit(target, temp, targetPath, what);
        LOG.debug("Copied {} to {} ({} bytes)", source, target, size);
        return new ObjectInfo(target, size, modified.toInstant(), Optional.empty());
      } finally {
        LocalFiles.deleteQuietly(temp);
      }
    } catch (IOException e) {
      throw new ProviderException("Cannot " + what + ": " + e, e);
    }
  }

  @Override
  public URI uri(ObjectRef ref) {
    requireNonNull(ref, "ref is null");
    return objectPath(ref).toUri();
  }

  // ------------------------------------------------------------------------------ provisioner

  @Override
  public List<Change> plan() {
    return provisioner.plan();
  }

  @Override
  public List<Change> apply() {
    return provisioner.apply();
  }

  @Override
  public List<Change> destroy(DataPolicy policy) {
    bucketLock.writeLock().lock();
    try {
      return provisioner.destroy(policy);
    } finally {
      bucketLock.writeLock().unlock();
    }
  }

  @Override
  public List<Change> planDestroy(DataPolicy policy) {
    bucketLock.readLock().lock();
    try {
      return provisioner.planDestroy(policy);
    } finally {
      bucketLock.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  Path bucketDirectory(String bucket) {
    requireNonNull(bucket, "bucket is null");
    validateBucketName(bucket);
    return root.resolve(bucket);
  }

  private Path objectPath(ObjectRef ref) {
    LocalKeys.validate(ref);
    Path bucketDir = bucketDirectory(ref.bucket());
    Path path = bucketDir.resolve(ref.key()).normalize();
    if (!path.startsWith(bucketDir) || path.equals(bucketDir)) {
      throw new IllegalArgumentException("Cannot use key '" + ref.key() + "' in bucket '"
          + ref.bucket() + "': it does not map to a file inside the bucket's folder");
    }
    return path;
  }

  private static void validateBucketName(String bucket) {
    ObjectRef.of(bucket, "-"); // the API's bucket naming rule; throws IllegalArgumentException
  }

  private static boolean isBucketName(String name) {
    try {
      validateBucketName(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void requireBucket(String bucket, String what) {
    if (!Files.isDirectory(root.resolve(bucket))) {
      throw new NoSuchBucketException(bucket,
          "Cannot " + what + ": bucket '" + bucket + "' does not exist");
    }
  }

  private void createRoot(String what) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new ProviderException("Cannot " + what + ": cannot create the storage root " + root
          + ": " + e, e);
    }
  }

  private FileChannel openForRead(ObjectRef ref, String what) {
    Path path = objectPath(ref);
    try {
      if (Files.isDirectory(path)) {
        throw notFound(ref, what);
      }
      return FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      if (LocalFiles.isMissing(e, path)) {
        throw notFound(ref, what);
      }
      throw new ProviderException("Cannot " + what + ": " + e, e);
    }
  }

  private RuntimeException notFound(ObjectRef ref, String what) {
    if (!Files.isDirectory(root.resolve(ref.bucket()))) {
      return new NoSuchBucketException(ref.bucket(),
          "Cannot " + what + ": bucket '" + ref.bucket() + "' does not exist");
    }
    return new NoSuchObjectException(ref.toString(),
        "Cannot " + what + ": object " + ref + " does not exist");
  }

  /** Fails early when the key collides with an object or a prefix (see the class comment). */
  private void checkKeyFits(ObjectRef ref, Path target, String what) {
    Path dir = root.resolve(ref.bucket());
    String[] segments = ref.key().split("/");
    for (int i = 0; i < segments.length - 1; i++) {
      dir = dir.resolve(segments[i]);
      if (Files.isRegularFile(dir)) {
        throw objectIsPrefix(ref, String.join("/", List.of(segments).subList(0, i + 1)), what);
      }
    }
    if (Files.isDirectory(target)) {
      throw prefixIsObject(ref, what);
    }
  }

  private static ProviderException objectIsPrefix(ObjectRef ref, String object, String what) {
    return new ProviderException("Cannot " + what + ": object " + ref.bucket() + "/" + object
        + " exists, and the local provider stores objects as files, so a key cannot also be a"
        + " folder of other keys; delete " + ref.bucket() + "/" + object
        + " or choose another key");
  }

  private static ProviderException prefixIsObject(ObjectRef ref, String what) {
    return new ProviderException("Cannot " + what + ": '" + ref.key() + "/' is a prefix of other"
        + " objects, and the local provider stores prefixes as folders, so a key cannot also name"
        + " an object; choose another key");
  }

  /** Renames a complete temporary file over the target, creating the target's folders. */
  private void commit(ObjectRef ref, Path temp, Path target, String what) {
    bucketLock.readLock().lock();
    try {
      for (int attempt = 1; ; attempt++) {
        requireBucket(ref.bucket(), what);
        try {
          createParents(ref, what);
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
          break;
        } catch (NoSuchFileException | NotDirectoryException e) {
          // A delete pruned a folder between creating it and moving into it, or a folder was
          // replaced by an object: check again, then retry.
          checkKeyFits(ref, target, what);
          if (attempt == COMMIT_ATTEMPTS) {
            throw new ProviderException("Cannot " + what + ": its folder kept disappearing", e);
          }
        } catch (AtomicMoveNotSupportedException e) {
          throw new ProviderException("Cannot " + what + ": the file system of " + root
              + " cannot rename atomically", e);
        } catch (FileSystemException e) {
          if (Files.isDirectory(target)) {
            throw prefixIsObject(ref, what);
          }
          throw new ProviderException("Cannot " + what + ": " + e, e);
        } catch (IOException e) {
          throw new ProviderException("Cannot " + what + ": " + e, e);
        }
      }
    } finally {
      bucketLock.readLock().unlock();
    }
    LocalFiles.syncQuietly(target.getParent());
  }

  /** Creates the folders of a key one by one below the bucket, never re-creating the bucket. */
  private void createParents(ObjectRef ref, String what) throws IOException {
    Path dir = root.resolve(ref.bucket());
    String[] segments = ref.key().split("/");
    for (int i = 0; i < segments.length - 1; i++) {
      dir = dir.resolve(segments[i]);
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(dir)) {
          throw objectIsPrefix(ref, String.join("/", List.of(segments).subList(0, i + 1)), what);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "LocalObjectStorage{root=" + root + ", buckets=" + declaredBuckets + "}";
  }
}
