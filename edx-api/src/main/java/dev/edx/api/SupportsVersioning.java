package dev.edx.api;

import dev.edx.api.exceptions.NoSuchBucketException;
import dev.edx.api.exceptions.NoSuchObjectException;
import java.io.InputStream;
import java.util.stream.Stream;

/**
 * Object storage whose buckets can keep every version of an object: overwriting or deleting an
 * object in a versioned bucket keeps the earlier versions, which can still be listed and read.
 * Whether a bucket is versioned is its setting (for example the provisioner's {@code versioning:
 * true}); in a bucket that is not, an object has one version. Check with {@code instanceof}.
 */
public interface SupportsVersioning extends ObjectStorage {

  /** Whether the bucket keeps earlier versions of its objects. */
  boolean isVersioned(String bucket);

  /**
   * Lists the versions of the objects whose keys start with {@code prefix}, including delete
   * markers, lazily and in key order. The versions of one key come in no promised order (S3
   * clients return delete markers apart from versions): {@link ObjectVersion#latest()} marks the
   * current one. Close the stream.
   *
   * @throws NoSuchBucketException if the bucket does not exist
   */
  Stream<ObjectVersion> listVersions(String bucket, String prefix);

  /**
   * Opens one version of an object. The caller closes the stream.
   *
   * @param versionId an {@link ObjectVersion#versionId()}
   * @throws NoSuchObjectException if the object or that version does not exist, or the version is
   *     a delete marker
   */
  InputStream open(ObjectRef ref, String versionId);
}
