package dev.edx.api;

import dev.edx.api.exceptions.BucketAlreadyExistsException;
import dev.edx.api.exceptions.BucketNotEmptyException;
import dev.edx.api.exceptions.NoSuchBucketException;
import dev.edx.api.exceptions.NoSuchObjectException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Object storage: buckets of immutable objects addressed by key.
 *
 * <p>Promises every provider keeps (the testkit's {@code ObjectStorageContract} checks them):
 *
 * <ul>
 *   <li>Writes are atomic: a reader sees the old object, the new one, or none, never part of one.
 *   <li>Streams of unknown length are accepted and never held whole in memory.
 *   <li>Listings are lazy, ordered by key, and paginate under the hood.
 *   <li>{@link #delete} is idempotent: deleting a missing object is not an error.
 * </ul>
 *
 * <p>Implementations are thread safe. Failures of the backend are {@code ProviderException}s;
 * missing buckets and objects are {@link NoSuchBucketException} and {@link NoSuchObjectException}.
 */
public interface ObjectStorage {

  /**
   * Creates a bucket.
   *
   * @throws BucketAlreadyExistsException if it exists
   */
  void createBucket(String bucket);

  boolean bucketExists(String bucket);

  /** The buckets, by name. */
  List<String> listBuckets();

  /**
   * Deletes an empty bucket.
   *
   * @throws NoSuchBucketException if it does not exist
   * @throws BucketNotEmptyException if it holds objects; nothing is deleted
   */
  void deleteBucket(String bucket);

  /**
   * Stores an object from a stream of unknown length, atomically replacing any object of that key.
   * The stream is read to its end but not closed.
   *
   * @throws NoSuchBucketException if the bucket does not exist
   */
  ObjectInfo put(ObjectRef ref, InputStream data);

  /**
   * Stores exactly {@code length} bytes of a stream as an object, atomically replacing any object
   * of that key. A store that must know the length before it writes (S3) sends the bytes as they
   * are read instead of holding them first, so memory does not grow with the object. The stream is
   * read but not closed. A stream that ends before {@code length} bytes, or holds more, fails the
   * put with an {@link UncheckedIOException} and nothing is written.
   *
   * @throws NoSuchBucketException if the bucket does not exist
   */
  default ObjectInfo put(ObjectRef ref, InputStream data, long length) {
    return put(ref, new ExactLengthInputStream(ref, data, length));
  }

  /** Stores a file's content as an object. */
  default ObjectInfo put(ObjectRef ref, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return put(ref, in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  /** Stores bytes as an object. */
  default ObjectInfo put(ObjectRef ref, byte[] data) {
    return put(ref, new ByteArrayInputStream(data));
  }

  /**
   * Opens an object for reading. The caller closes the stream.
   *
   * @throws NoSuchObjectException if it does not exist
   */
  InputStream open(ObjectRef ref);

  /**
   * Opens {@code length} bytes of an object from {@code offset}; fewer when the object ends first.
   *
   * @throws NoSuchObjectException if it does not exist
   * @throws IllegalArgumentException if offset or length is negative
   */
  InputStream open(ObjectRef ref, long offset, long length);

  /** Reads a whole object into memory: for small objects only. */
  default byte[] readAllBytes(ObjectRef ref) {
    try (InputStream in = open(ref)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + ref, e);
    }
  }

  /** Size, modification time and etag of an object, or empty if it does not exist. */
  Optional<ObjectInfo> stat(ObjectRef ref);

  /**
   * Lists the objects whose keys start with {@code prefix} ("" for all), in key order, lazily.
   * Close the stream (try-with-resources) to release what the listing holds.
   *
   * @throws NoSuchBucketException if the bucket does not exist
   */
  Stream<ObjectInfo> list(String bucket, String prefix);

  /** Deletes an object if it exists. Idempotent. */
  void delete(ObjectRef ref);

  /** Deletes several objects of one bucket; missing ones are ignored. */
  default void deleteAll(String bucket, Collection<String> keys) {
    for (String key : keys) {
      delete(ObjectRef.of(bucket, key));
    }
  }

  /**
   * Copies an object, server-side where the store can, atomically replacing the target.
   *
   * @throws NoSuchObjectException if the source does not exist
   */
  ObjectInfo copy(ObjectRef source, ObjectRef target);

  /**
   * The object's address in the scheme engines use to read it directly: {@code s3a://bucket/key}
   * for S3-compatible stores, {@code file:} for the local provider.
   */
  URI uri(ObjectRef ref);

  /**
   * How an engine that speaks the S3 protocol itself reaches this storage (the endpoint, region,
   * addressing and credentials behind {@link #uri}'s {@code s3a://} addresses), so that a compute
   * can configure the engines it runs for this storage; empty for storage that is not S3 (the
   * local provider's {@code file:} objects).
   */
  default Optional<S3Access> s3Access() {
    return Optional.empty();
  }
}
