package dev.edx.core;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** Storage seen through an {@link Isolation}: logical bucket names in, physical ones below. */
final class IsolatedObjectStorage implements ObjectStorage {
  private final ObjectStorage delegate;
  private final Isolation isolation;

  IsolatedObjectStorage(ObjectStorage delegate, Isolation isolation) {
    this.delegate = delegate;
    this.isolation = isolation;
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
}
