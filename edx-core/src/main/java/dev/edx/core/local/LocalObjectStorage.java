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
import dev.edx.toolkit.OwnedResourceProvisioner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicLong;
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
 */
final class LocalObjectStorage implements ObjectStorage, Provisioner {
  private static final Logger LOG = LoggerFactory.getLogger(LocalObjectStorage.class);

  /** Temporary files; bucket names cannot start with '.', so this never clashes with a bucket. */
  static final String TEMP_DIRECTORY = ".edx-tmp";
  /** Ownership marks of the provisioner. */
  static final String META_DIRECTORY = ".edx-meta";

  private static final String SERVICE = "storage";
  private static final int BUFFER_SIZE = 64 * 1024;
  private static final int COMMIT_ATTEMPTS = 10;

  private final Path root;
  private final Path tempDirectory;
  private final List<DeclaredResource> declaredBuckets;
  private final BucketProvisioner provisioner;
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
    this.provisioner = new BucketProvisioner(environment, this.declaredBuckets);
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
      long objects = countObjects(bucket, dir, 1);
      if (objects > 0) {
        throw new BucketNotEmptyException(bucket, "Cannot delete bucket '" + bucket
            + "': it holds objects; delete them first (or destroy with DataPolicy.PURGE)");
      }
      deleteTree(dir, "delete bucket '" + bucket + "'");
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
    Path temp = newTempFile(what);
    try {
      long size;
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        size = copy(data, out);
        out.force(true);
      }
      FileTime modified = Files.getLastModifiedTime(temp);
      commit(ref, temp, target, what);
      LOG.debug("Put {} ({} bytes)", ref, size);
      return new ObjectInfo(ref, size, modified.toInstant(), Optional.empty());
    } catch (IOException e) {
      throw new ProviderException("Cannot " + what + ": " + e, e);
    } finally {
      deleteQuietly(temp);
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
      closeQuietly(channel);
      throw new ProviderException("Cannot open " + ref + " at offset " + offset + ": " + e, e);
    }
    LOG.debug("Opened {} at offset {} for {} bytes", ref, offset, length);
    return new BoundedInputStream(Channels.newInputStream(channel), length);
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
      if (isMissing(e, path)) {
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
    Iterator<ObjectInfo> objects = new ObjectIterator(bucket, prefix, start, keyBase, namePrefix);
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
        pruneEmptyFolders(path.getParent(), bucketDir);
      }
    } catch (DirectoryNotEmptyException e) {
      // became a prefix concurrently: there is no object of this key
    } catch (IOException e) {
      if (!isMissing(e, path)) {
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
      Path temp = newTempFile(what);
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
        deleteQuietly(temp);
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

  /**
   * Buckets this storage's environment owns are marked by a file {@code
   * root/.edx-meta/buckets/<bucket>} holding the environment's name, written before the bucket's
   * folder is created and deleted after it is removed.
   */
  private final class BucketProvisioner extends OwnedResourceProvisioner {
    BucketProvisioner(String environment, List<DeclaredResource> declared) {
      super(SERVICE, "bucket", environment, declared);
    }

    @Override
    protected boolean exists(String name) {
      return bucketExists(name);
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
      return listBuckets();
    }

    @Override
    protected void create(String name) {
      markOwner(name);
      try {
        createBucket(name);
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
      return countObjects(name, bucketDirectory(name), Long.MAX_VALUE);
    }

    @Override
    protected void delete(String name) {
      Path dir = bucketDirectory(name);
      if (Files.isDirectory(dir)) {
        deleteTree(dir, "delete bucket '" + name + "'");
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
      return root.resolve(META_DIRECTORY).resolve("buckets").resolve(name);
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  private Path bucketDirectory(String bucket) {
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

  private Path newTempFile(String what) {
    try {
      Files.createDirectories(tempDirectory);
      return Files.createTempFile(tempDirectory, "object-", ".tmp");
    } catch (IOException e) {
      throw new ProviderException("Cannot " + what + ": cannot create a temporary file in "
          + tempDirectory + ": " + e, e);
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
      if (isMissing(e, path)) {
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
    syncQuietly(target.getParent());
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

  /** Deletes empty folders from {@code dir} up to, not including, the bucket's folder. */
  private static void pruneEmptyFolders(Path dir, Path bucketDir) {
    while (dir != null && dir.startsWith(bucketDir) && !dir.equals(bucketDir)) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      } catch (IOException e) {
        LOG.debug("Cannot prune empty folder {}", dir, e);
        return;
      }
      dir = dir.getParent();
    }
  }

  /** Counts the objects of a bucket, stopping at {@code limit}. */
  private static long countObjects(String bucket, Path dir, long limit) {
    AtomicLong count = new AtomicLong();
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          if (attributes.isRegularFile() && count.incrementAndGet() >= limit) {
            return FileVisitResult.TERMINATE;
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new ProviderException("Cannot count the objects of bucket '" + bucket + "': " + e, e);
    }
    return count.get();
  }

  private static void deleteTree(Path dir, String what) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
            throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          Files.delete(folder);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new ProviderException("Cannot " + what + ": " + e, e);
    }
  }

  private static long copy(InputStream in, FileChannel out) throws IOException {
    byte[] buffer = new byte[BUFFER_SIZE];
    ByteBuffer wrapper = ByteBuffer.wrap(buffer);
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      wrapper.clear().limit(n);
      while (wrapper.hasRemaining()) {
        out.write(wrapper);
      }
      total += n;
    }
    return total;
  }

  /** Whether an exception means the path (or one of its folders) does not exist. */
  private static boolean isMissing(IOException e, Path path) {
    return e instanceof NoSuchFileException || e instanceof NotDirectoryException
        || (e instanceof FileSystemException && !Files.exists(path));
  }

  private static void syncQuietly(Path dir) {
    // Makes the rename durable; not every platform can open a folder (Windows cannot).
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.trace("Cannot sync folder {}", dir, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Cannot delete temporary file {}", file, e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("Cannot close {}", channel, e);
    }
  }

  @Override
  public String toString() {
    return "LocalObjectStorage{root=" + root + ", buckets=" + declaredBuckets + "}";
  }

  /**
   * Lists a bucket folder by folder, depth first, reading one folder at a time. Each folder's
   * entries are sorted by name for files and by name + "/" for folders, which makes the depth-first
   * order the keys' order: folder {@code a} sorts as {@code a/}, after file {@code a-c}.
   */
  private static final class ObjectIterator implements Iterator<ObjectInfo> {
    private final String bucket;
    private final String prefix;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private ObjectInfo next;

    ObjectIterator(String bucket, String prefix, Path start, String keyBase, String namePrefix) {
      this.bucket = bucket;
      this.prefix = prefix;
      stack.push(new Frame(keyBase, readFolder(start, namePrefix)));
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = computeNext();
      }
      return next != null;
    }

    @Override
    public ObjectInfo next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ObjectInfo result = next;
      next = null;
      return result;
    }

    private ObjectInfo computeNext() {
      while (!stack.isEmpty()) {
        Frame frame = stack.peek();
        if (!frame.entries.hasNext()) {
          stack.pop();
          continue;
        }
        Entry entry = frame.entries.next();
        String key = frame.keyBase + entry.name;
        if (entry.folder) {
          stack.push(new Frame(key + "/", readFolder(entry.path, "")));
        } else {
          return new ObjectInfo(ObjectRef.of(bucket, key), entry.size, entry.modified,
              Optional.empty());
        }
      }
      return null;
    }

    private Iterator<Entry> readFolder(Path folder, String namePrefix) {
      List<Entry> entries = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
        for (Path path : stream) {
          String name = path.getFileName().toString();
          if (!name.startsWith(namePrefix) || !LocalKeys.isValidSegment(name)) {
            continue;
          }
          BasicFileAttributes attributes;
          try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
          } catch (NoSuchFileException e) {
            continue; // deleted while listing
          }
          if (attributes.isDirectory()) {
            entries.add(new Entry(name, name + "/", true, path, 0, Instant.EPOCH));
          } else if (attributes.isRegularFile()) {
            entries.add(new Entry(name, name, false, path, attributes.size(),
                attributes.lastModifiedTime().toInstant()));
          }
        }
      } catch (NoSuchFileException | NotDirectoryException e) {
        return List.<Entry>of().iterator(); // the prefix names no folder, or it was pruned
      } catch (IOException e) {
        throw new ProviderException("Cannot list " + bucket + "/" + prefix + ": " + e, e);
      }
      entries.sort(Comparator.comparing(Entry::sortKey, LocalKeys.ORDER));
      return entries.iterator();
    }
  }

  private record Frame(String keyBase, Iterator<Entry> entries) {}

  private record Entry(
      String name, String sortKey, boolean folder, Path path, long size, Instant modified) {}
}
