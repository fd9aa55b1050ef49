package dev.edx.toolkit.s3;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectVersion;
import dev.edx.api.SupportsPresignedUrls;
import dev.edx.api.SupportsVersioning;
import dev.edx.api.exceptions.NoSuchObjectException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.Provisioner;
import dev.edx.toolkit.ObjectRanges;
import java.io.InputStream;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An S3 storage of edx, whatever its SDK, with the same optional capabilities on every provider
 * (presigned URLs, versions, provisioning): what the {@code minio} and {@code s3} providers do
 * the same way is written here once, over the few calls each SDK makes its own way. The shared
 * bucket machinery ({@link BucketOwnership}, {@link OwnedBuckets}) works through these calls
 * too. Every failure is already an edx exception naming the store. Not public API.
 */
public interface S3Store extends SupportsPresignedUrls, SupportsVersioning, Provisioner {
  /** The answers of a store that does not implement a call. */
  Set<String> NOT_IMPLEMENTED = Set.of("NotImplemented", "MethodNotAllowed");

  /** Where the store is, for messages: its endpoint or AWS region. */
  String where();

  /** The provisioner of the declared buckets: {@link #plan}, {@link #apply}, {@link #destroy}. */
  Provisioner provisioner();

  /**
   * Opens {@code length} bytes from {@code offset} ({@code length > 0}; {@code Long.MAX_VALUE}
   * for the rest); empty when the store answers that the range is not satisfiable (it starts at
   * or past the object's end).
   */
  Optional<InputStream> openRange(ObjectRef ref, long offset, long length, String what);

  /** Copies server-side; {@code from} is the source as stat reads it. */
  ObjectInfo copyObject(ObjectRef source, ObjectRef target, ObjectInfo from, String what);

  /**
   * Deletes these keys (at most {@link S3Limits#DELETE_BATCH}) in one request; a key that does
   * not exist is no failure.
   */
  void deleteKeys(String bucket, List<String> keys);

  /**
   * Deletes these versions for good, by their ids (at most {@link S3Limits#DELETE_BATCH}): a
   * key-only delete in a versioned bucket would add a delete marker instead.
   */
  void deleteVersions(String bucket, List<ObjectVersion> versions);

  /** Removes an empty bucket; one holding anything, the marker included, is not empty. */
  void removeBucket(String bucket);

  /**
   * The bucket's tags (an empty map when it has none); empty when the store does not implement
   * bucket tagging (it answers {@code NotImplemented}, as s3proxy does).
   */
  Optional<Map<String, String>> bucketTags(String bucket);

  /** Replaces the bucket's tags; false when the store does not implement bucket tagging. */
  boolean setBucketTags(String bucket, Map<String, String> tags);

  /**
   * Every object under the prefix, the ownership marker included, in key order, lazily; the first
   * page is read now, so a missing bucket fails here.
   */
  Stream<ObjectInfo> objects(String bucket, String prefix);

  /** Every version under the prefix, the ownership marker's included, lazily. */
  Stream<ObjectVersion> versions(String bucket, String prefix);

  /** Every object of the bucket as its one version, {@link S3Objects#UNVERSIONED}, lazily. */
  Stream<ObjectVersion> objectsAsVersions(String bucket);

  /** The S3 error code of a failure ({@code NotImplemented}), or "" when the store gave none. */
  String errorCode(ProviderException e);

  /** Opens a version of an object; the store's error when there is no such version. */
  InputStream openVersion(ObjectRef ref, String versionId, String what);

  // ------------------------------------------------------------------------ the shared behaviour

  @Override
  default InputStream open(ObjectRef ref) {
    return open(ref, 0, Long.MAX_VALUE);
  }

  /** An empty range, or one past the end, reads nothing, of an object that must exist. */
  @Override
  default InputStream open(ObjectRef ref, long offset, long length) {
    ObjectRanges.check(ref, offset, length);
    String what = "open " + ref;
    if (length > 0) {
      Optional<InputStream> in = openRange(ref, offset, length, what);
      if (in.isPresent()) {
        return in.get();
      }
    }
    if (stat(ref).isEmpty()) {
      throw S3Objects.noSuchObject(ref, what, where());
    }
    return InputStream.nullInputStream();
  }

  @Override
  default ObjectInfo copy(ObjectRef source, ObjectRef target) {
    requireNonNull(source, "source is null");
    requireNonNull(target, "target is null");
    String what = "copy " + source + " to " + target;
    ObjectInfo from = stat(source).orElseThrow(() -> S3Objects.noSuchObject(source, what,
        where()));
    return copyObject(source, target, from, what);
  }

  /** Deletes with DeleteObjects, 1,000 keys a call; keys that do not exist are ignored. */
  @Override
  default void deleteAll(String bucket, Collection<String> keys) {
    for (List<String> batch : S3Objects.deleteBatches(bucket, keys)) {
      deleteKeys(bucket, batch);
    }
  }

  /** A bucket that holds nothing but edx's ownership marker counts as empty. */
  @Override
  default void deleteBucket(String bucket) {
    requireNonNull(bucket, "bucket is null");
    BucketOwnership.deleteBucket(this, bucket);
  }

  /** The {@code s3a://bucket/key} URI Hadoop and Spark read the object with. */
  @Override
  default URI uri(ObjectRef ref) {
    return S3Objects.s3a(ref);
  }

  /** Every object but edx's ownership marker. */
  @Override
  default Stream<ObjectInfo> list(String bucket, String prefix) {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(prefix, "prefix is null");
    return objects(bucket, prefix).filter(o -> !BucketOwnership.isMarker(o.ref().key()));
  }

  /** Every version, but not those of edx's ownership marker. */
  @Override
  default Stream<ObjectVersion> listVersions(String bucket, String prefix) {
    return versions(bucket, prefix).filter(v -> !BucketOwnership.isMarker(v.ref().key()));
  }

  /**
   * Every version in the bucket, the ownership marker's included. A store that cannot list
   * versions (s3proxy on a folder answers NotImplemented) versions nothing: there, every object
   * is its one version, with the id {@link S3Objects#UNVERSIONED}.
   */
  default Stream<ObjectVersion> allVersions(String bucket) {
    try {
      return versions(bucket, "");
    } catch (ProviderException e) {
      if (!NOT_IMPLEMENTED.contains(errorCode(e))) {
        throw e;
      }
      return objectsAsVersions(bucket);
    }
  }

  /** A delete marker, or a malformed version id, is no version to read. */
  @Override
  default InputStream open(ObjectRef ref, String versionId) {
    requireNonNull(ref, "ref is null");
    requireNonNull(versionId, "versionId is null");
    String what = "open version " + versionId + " of " + ref;
    try {
      return openVersion(ref, versionId, what);
    } catch (ProviderException e) {
      // A delete marker answers 405, and a malformed version id 400: there is no such version.
      String code = errorCode(e);
      if ("MethodNotAllowed".equals(code) || "InvalidArgument".equals(code)) {
        throw new NoSuchObjectException(ref.toString(), "Cannot " + what + " on " + where()
            + ": no such version to read (" + code + ")", e.getCause());
      }
      throw e;
    }
  }

  @Override
  default List<Change> plan() {
    return provisioner().plan();
  }

  @Override
  default List<Change> apply() {
    return provisioner().apply();
  }

  @Override
  default List<Change> destroy(DataPolicy policy) {
    requireNonNull(policy, "policy is null");
    return provisioner().destroy(policy);
  }

  @Override
  default List<Change> planDestroy(DataPolicy policy) {
    requireNonNull(policy, "policy is null");
    return provisioner().planDestroy(policy);
  }
}
