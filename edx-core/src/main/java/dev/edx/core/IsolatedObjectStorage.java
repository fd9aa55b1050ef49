package dev.edx.core;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.ObjectVersion;
import dev.edx.api.S3Access;
import dev.edx.api.SupportsPresignedUrls;
import dev.edx.api.SupportsVersioning;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Storage seen through an {@link Isolation}: logical bucket names in, physical ones below.
 *
 * <p>The view keeps exactly the optional capabilities ({@code dev.edx.api.Supports*}) of what it
 * wraps, so {@code instanceof} answers the same with or without {@code metadata.namePrefix}:
 * {@link #of} picks the subclass that implements the same ones. Each capability is a mixin
 * interface below whose default methods translate the names; a new capability in edx-api needs a
 * mixin and its combinations here ({@code IsolatedViewsTest} fails until it has them).
 */
class IsolatedObjectStorage implements ObjectStorage {
  private final ObjectStorage delegate;
  private final Isolation isolation;

  private IsolatedObjectStorage(ObjectStorage delegate, Isolation isolation) {
    this.delegate = delegate;
    this.isolation = isolation;
  }

  /** The view of {@code delegate}, implementing the optional interfaces it implements. */
  static ObjectStorage of(ObjectStorage delegate, Isolation isolation) {
    boolean presigned = delegate instanceof SupportsPresignedUrls;
    boolean versioned = delegate instanceof SupportsVersioning;
    if (presigned && versioned) {
      return new PresignedVersioned(delegate, isolation);
    }
    if (presigned) {
      return new Presigned(delegate, isolation);
    }
    if (versioned) {
      return new Versioned(delegate, isolation);
    }
    return new IsolatedObjectStorage(delegate, isolation);
  }

  /** The wrapped storage; public only because the mixins are interfaces. */
  public final ObjectStorage delegate() {
    return delegate;
  }

  /** The name mapping; public only because the mixins are interfaces. */
  public final Isolation isolation() {
    return isolation;
  }

  private ObjectInfo logical(ObjectInfo info) {
    return new ObjectInfo(isolation.logicalRef(info.ref()), info.size(), info.lastModified(),
        info.etag());
  }

  @Override
  public void createBucket(String bucket) {
    delegate.createBucket(isolation.bucket(bucket));
  }

  @Override
  public boolean bucketExists(String bucket) {
    return delegate.bucketExists(isolation.bucket(bucket));
  }

  @Override
  public List<String> listBuckets() {
    return delegate.listBuckets().stream().map(isolation::logicalBucket)
        .filter(Objects::nonNull).toList();
  }

  @Override
  public void deleteBucket(String bucket) {
    delegate.deleteBucket(isolation.bucket(bucket));
  }

  @Override
  public ObjectInfo put(ObjectRef ref, InputStream data) {
    return logical(delegate.put(isolation.ref(ref), data));
  }

  @Override
  public ObjectInfo put(ObjectRef ref, InputStream data, long length) {
    return logical(delegate.put(isolation.ref(ref), data, length));
  }

  @Override
  public ObjectInfo put(ObjectRef ref, byte[] data) {
    return logical(delegate.put(isolation.ref(ref), data));
  }

  @Override
  public ObjectInfo put(ObjectRef ref, Path file) {
    return logical(delegate.put(isolation.ref(ref), file));
  }

  @Override
  public InputStream open(ObjectRef ref) {
    return delegate.open(isolation.ref(ref));
  }

  @Override
  public InputStream open(ObjectRef ref, long offset, long length) {
    return delegate.open(isolation.ref(ref), offset, length);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectRef ref) {
    return delegate.stat(isolation.ref(ref)).map(this::logical);
  }

  @Override
  public Stream<ObjectInfo> list(String bucket, String prefix) {
    return delegate.list(isolation.bucket(bucket), prefix).map(this::logical);
  }

  @Override
  public void delete(ObjectRef ref) {
    delegate.delete(isolation.ref(ref));
  }

  @Override
  public void deleteAll(String bucket, Collection<String> keys) {
    delegate.deleteAll(isolation.bucket(bucket), keys);
  }

  @Override
  public ObjectInfo copy(ObjectRef source, ObjectRef target) {
    return logical(delegate.copy(isolation.ref(source), isolation.ref(target)));
  }

  @Override
  public URI uri(ObjectRef ref) {
    return delegate.uri(isolation.ref(ref));
  }

  @Override
  public Optional<S3Access> s3Access() {
    return delegate.s3Access();
  }

  /** Implemented by the views, so the mixins reach the delegate and the mapping. */
  private interface View extends ObjectStorage {
    ObjectStorage delegate();

    Isolation isolation();
  }

  private interface PresignedMixin extends View, SupportsPresignedUrls {
    @Override
    default URI presignedGet(ObjectRef ref, Duration expiry) {
      return ((SupportsPresignedUrls) delegate()).presignedGet(isolation().ref(ref), expiry);
    }

    @Override
    default URI presignedPut(ObjectRef ref, Duration expiry) {
      return ((SupportsPresignedUrls) delegate()).presignedPut(isolation().ref(ref), expiry);
    }
  }

  private interface VersionedMixin extends View, SupportsVersioning {
    @Override
    default boolean isVersioned(String bucket) {
      return ((SupportsVersioning) delegate()).isVersioned(isolation().bucket(bucket));
    }

    @Override
    default Stream<ObjectVersion> listVersions(String bucket, String prefix) {
      return ((SupportsVersioning) delegate()).listVersions(isolation().bucket(bucket), prefix)
          .map(v -> new ObjectVersion(isolation().logicalRef(v.ref()), v.versionId(), v.latest(),
              v.deleteMarker(), v.size(), v.lastModified(), v.etag()));
    }

    @Override
    default InputStream open(ObjectRef ref, String versionId) {
      return ((SupportsVersioning) delegate()).open(isolation().ref(ref), versionId);
    }
  }

  private static final class Presigned extends IsolatedObjectStorage implements PresignedMixin {
    Presigned(ObjectStorage delegate, Isolation isolation) {
      super(delegate, isolation);
    }
  }

  private static final class Versioned extends IsolatedObjectStorage implements VersionedMixin {
    Versioned(ObjectStorage delegate, Isolation isolation) {
      super(delegate, isolation);
    }
  }

  private static final class PresignedVersioned extends IsolatedObjectStorage
      implements PresignedMixin, VersionedMixin {
    PresignedVersioned(ObjectStorage delegate, Isolation isolation) {
      super(delegate, isolation);
    }
  }
}
