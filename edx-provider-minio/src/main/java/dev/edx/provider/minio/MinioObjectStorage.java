package dev.edx.provider.minio;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectVersion;
import dev.edx.api.S3Access;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.NotFoundException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Provisioner;
import dev.edx.toolkit.s3.BucketOwnership;
import dev.edx.toolkit.s3.S3Limits;
import dev.edx.toolkit.s3.S3Objects;
import dev.edx.toolkit.s3.S3Store;
import dev.edx.toolkit.s3.S3Writes;
import io.minio.BucketExistsArgs;
import io.minio.ComposeObjectArgs;
import io.minio.ComposeSource;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetBucketTagsArgs;
import io.minio.GetBucketVersioningArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.RemoveBucketArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.SetBucketTagsArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.http.Method;
import io.minio.messages.Bucket;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import io.minio.messages.VersioningConfiguration;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Object storage on MinIO or any S3-compatible store, through minio-java.
 *
 * <p>Puts are {@link S3Writes}'s, through {@link MinioWrites}: a stream of known length, a file or
 * bytes are sent as they are read, with no part held in memory; a stream of unknown length is
 * uploaded in parts of {@code partSize} bytes through one buffer. Listings page lazily through the
 * store's results ({@link MinioListing}); idempotent calls are retried after transient failures
 * ({@link MinioCalls}) and reads resume after a connection lost mid-body ({@link
 * ResumingInputStream}). Write times are the server's. Every failure names the endpoint, the
 * bucket and the key; the credentials appear in no message, log line or {@code toString}.
 *
 * <p>Buckets are provisioned by {@link MinioBucketProvisioner}, owned as {@link BucketOwnership}
 * says (tags, or the {@value BucketOwnership#MARKER_KEY} marker where the store has no bucket
 * tagging).
 *
 * <p>Thread safe. {@link #close()} shuts down the HTTP client's threads and connections; the
 * storage cannot be used afterwards.
 */
final class MinioObjectStorage implements S3Store, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MinioObjectStorage.class);

  private final MinioSettings settings;
  private final OkHttpClient http;
  private final MinioClient client;
  private final MinioCalls calls;
  private final MinioListing listing;
  private final MinioBucketProvisioner provisioner;
  private final MinioWrites writes;

  /**
   * @param settings the parsed spec
   * @param http the HTTP client, which {@link #close()} shuts down
   * @param environment the environment whose buckets the provisioner manages
   */
  MinioObjectStorage(MinioSettings settings, OkHttpClient http, String environment) {
    this.settings = requireNonNull(settings, "settings is null");
    this.http = requireNonNull(http, "http is null");
    requireNonNull(environment, "environment is null");
    MinioClient.Builder builder = MinioClient.builder()
        .endpoint(settings.endpoint().toString())
        .region(settings.region())
        .httpClient(http, false);
    if (settings.accessKey().isPresent()) {
      builder.credentials(settings.accessKey().get(), settings.secretKey().orElseThrow());
    }
    this.client = builder.build();
    this.calls = new MinioCalls(settings.endpoint());
    this.listing = new MinioListing(calls);
    this.writes = new MinioWrites(settings, http, calls);
    this.provisioner = new MinioBucketProvisioner(this, client, calls, settings.buckets(),
        environment);
  }

  URI endpoint() {
    return settings.endpoint();
  }

  @Override
  public String where() {
    return settings.endpoint().toString();
  }

  /** The endpoint, path-style, the region and the spec's keys (accessKey, secretKey). */
  @Override
  public Optional<S3Access> s3Access() {
    return Optional.of(new S3Access(Optional.of(settings.endpoint()),
        Optional.of(settings.region()), true, settings.accessKey().map(key ->
            new S3Access.Credentials(key, settings.secretKey().orElseThrow(), Optional.empty(),
                MinioProperties.ACCESS_KEY.key(), MinioProperties.SECRET_KEY.key(),
                Optional.empty()))));
  }

  /** The HTTP client {@link #close()} shuts down; for tests. */
  OkHttpClient httpClient() {
    return http;
  }

  // ---------------------------------------------------------------------------------- buckets

  @Override
  public void createBucket(String bucket) {
    calls.callOnce("create bucket '" + bucket + "'", bucket, null, () -> {
      client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
      return null;
    });
    LOG.info("Created bucket {} on {}", bucket, settings.endpoint());
  }

  @Override
  public boolean bucketExists(String bucket) {
    return calls.call("check bucket '" + bucket + "'", bucket, null,
        () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
  }

  @Override
  public List<String> listBuckets() {
    List<Bucket> buckets = calls.call("list buckets", null, null, client::listBuckets);
    return buckets.stream().map(Bucket::name).sorted().toList();
  }

  @Override
  public void removeBucket(String bucket) {
    calls.callOnce("delete bucket '" + bucket + "'", bucket, null, () -> {
      client.removeBucket(RemoveBucketArgs.builder().bucket(bucket).build());
      return null;
    });
    LOG.info("Deleted bucket {} on {}", bucket, settings.endpoint());
  }

  // ---------------------------------------------------------------------------------- objects

  @Override
  public ObjectInfo put(ObjectRef ref, InputStream data) {
    requireNonNull(ref, "ref is null");
    requireNonNull(data, "data is null");
    return S3Writes.put(writes, ref, data, -1, settings.partSize());
  }

  /** Streams the bytes as they are read; memory does not grow with the object. */
  @Override
  public ObjectInfo put(ObjectRef ref, InputStream data, long length) {
    requireNonNull(ref, "ref is null");
    requireNonNull(data, "data is null");
    return S3Writes.put(writes, ref, data, length, settings.partSize());
  }

  /** Puts a file, each part read from the file; a transient failure is retried. */
  @Override
  public ObjectInfo put(ObjectRef ref, Path file) {
    requireNonNull(ref, "ref is null");
    requireNonNull(file, "file is null");
    return S3Writes.put(writes, ref, file, settings.partSize());
  }

  /** Puts bytes; a transient failure is retried. */
  @Override
  public ObjectInfo put(ObjectRef ref, byte[] data) {
    requireNonNull(ref, "ref is null");
    requireNonNull(data, "data is null");
    return S3Writes.put(writes, ref, data, settings.partSize());
  }

  @Override
  public Optional<InputStream> openRange(ObjectRef ref, long offset, long length, String what) {
    GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(ref.bucket()).object(ref.key());
    if (offset > 0) {
      args.offset(offset);
    }
    if (length != Long.MAX_VALUE && offset + length > 0) {
      args.offset(offset).length(length);
    }
    GetObjectResponse in;
    try {
      in = calls.call(what, ref.bucket(), ref.key(), () -> client.getObject(args.build()));
    } catch (ProviderException e) {
      if ("InvalidRange".equals(MinioErrors.code(e.getCause()))) {
        return Optional.empty();
      }
      throw e;
    }
    LOG.debug("Opened {} at offset {} for {} bytes", ref, offset, length);
    String etag = in.headers() == null ? null : in.headers().get("ETag");
    return Optional.of(new ResumingInputStream(ref, offset, length, in,
        etag == null ? null : etag.replace("\"", ""), (version, position, end) -> {
          GetObjectArgs.Builder again = GetObjectArgs.builder().bucket(ref.bucket())
              .object(ref.key()).matchETag(version).offset(position);
          if (end != Long.MAX_VALUE) {
            again.length(end - position);
          }
          return calls.call("resume " + ref, ref.bucket(), ref.key(),
              () -> client.getObject(again.build()));
        }));
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectRef ref) {
    requireNonNull(ref, "ref is null");
    try {
      StatObjectResponse s = calls.call("stat " + ref, ref.bucket(), ref.key(),
          () -> client.statObject(StatObjectArgs.builder().bucket(ref.bucket())
              .object(ref.key()).build()));
      return Optional.of(new ObjectInfo(ref, s.size(), instant(s.lastModified()),
          S3Objects.etag(s.etag())));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public Stream<ObjectInfo> objects(String bucket, String prefix) {
    Function<String, Iterable<Result<Item>>> listed = after -> {
      ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
          .recursive(true);
      if (after != null) {
        args.startAfter(after);
      }
      return client.listObjects(args.build());
    };
    LOG.debug("Listing {}/{}", bucket, prefix);
    return listing.resuming(listed, "list " + bucket + "/" + prefix, bucket,
        item -> item.isDir() ? null : new ObjectInfo(ObjectRef.of(bucket, item.objectName()),
            item.size(), instant(item.lastModified()), S3Objects.etag(item.etag())));
  }

  @Override
  public void delete(ObjectRef ref) {
    requireNonNull(ref, "ref is null");
    calls.call("delete " + ref, ref.bucket(), ref.key(), () -> {
      client.removeObject(RemoveObjectArgs.builder().bucket(ref.bucket()).object(ref.key())
          .build());
      return null;
    });
    LOG.debug("Deleted {}", ref);
  }

  @Override
  public void deleteKeys(String bucket, List<String> keys) {
    removeObjects(bucket, keys.stream().map(DeleteObject::new).toList());
  }

  @Override
  public void deleteVersions(String bucket, List<ObjectVersion> versions) {
    removeObjects(bucket, versions.stream()
        .map(v -> new DeleteObject(v.ref().key(), v.versionId())).toList());
  }

  /** Runs one batch delete: minio-java's result is lazy, so it is consumed to its end. */
  private void removeObjects(String bucket, List<DeleteObject> objects) {
    String what = "delete " + objects.size() + " objects in bucket '" + bucket + "'";
    // Deleting is idempotent: a batch cut by a transient failure is sent again whole.
    List<String> failures = calls.call(what, bucket, null, () -> {
      List<String> failed = new ArrayList<>();
      Iterable<Result<DeleteError>> results = client.removeObjects(
          RemoveObjectsArgs.builder().bucket(bucket).objects(objects).build());
      for (Result<DeleteError> result : results) {
        DeleteError error = result.get();
        if (!MinioErrors.NO_SUCH_OBJECT.contains(error.code())) {
          failed.add(error.objectName() + " (" + error.code() + ": " + error.message() + ")");
        }
      }
      return failed;
    });
    S3Objects.requireNoFailures(what, where(), failures);
    LOG.debug("Deleted {} objects in {}", objects.size(), bucket);
  }

  /** Copies server-side: CopyObject, or ComposeObject beyond S3's 5 GiB single-copy limit. */
  @Override
  public ObjectInfo copyObject(ObjectRef source, ObjectRef target, ObjectInfo from,
      String what) {
    ObjectWriteResponse response = calls.call(what, target.bucket(), target.key(), () -> {
      if (from.size() > S3Limits.MAX_COPY_SIZE) {
        return client.composeObject(ComposeObjectArgs.builder().bucket(target.bucket())
            .object(target.key()).sources(List.of(ComposeSource.builder()
                .bucket(source.bucket()).object(source.key()).build())).build());
      }
      return client.copyObject(CopyObjectArgs.builder().bucket(target.bucket())
          .object(target.key()).source(CopySource.builder().bucket(source.bucket())
              .object(source.key()).build()).build());
    });
    LOG.debug("Copied {} to {} ({} bytes)", source, target, from.size());
    return new ObjectInfo(target, from.size(), serverTime(response.headers()),
        S3Objects.etag(response.etag()).or(from::etag));
  }

  // ------------------------------------------------------------------------- presigned URLs

  @Override
  public URI presignedGet(ObjectRef ref, Duration expiry) {
    return presign(ref, expiry, Method.GET);
  }

  @Override
  public URI presignedPut(ObjectRef ref, Duration expiry) {
    return presign(ref, expiry, Method.PUT);
  }

  private URI presign(ObjectRef ref, Duration expiry, Method method) {
    S3Objects.checkPresignExpiry(ref, expiry, method.toString());
    String url = calls.call("presign " + method + " of " + ref, ref.bucket(), ref.key(),
        () -> client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(method)
            .bucket(ref.bucket()).object(ref.key()).expiry((int) expiry.toSeconds(),
                TimeUnit.SECONDS).build()));
    return URI.create(url);
  }

  // ------------------------------------------------------------------------------- versioning

  @Override
  public boolean isVersioned(String bucket) {
    return versioning(bucket) == VersioningConfiguration.Status.ENABLED;
  }

  /** The bucket's versioning: off (never enabled), enabled or suspended. */
  VersioningConfiguration.Status versioning(String bucket) {
    VersioningConfiguration config = calls.call("read versioning of bucket '" + bucket + "'",
        bucket, null, () -> client.getBucketVersioning(GetBucketVersioningArgs.builder()
            .bucket(bucket).build()));
    return config == null || config.status() == null ? VersioningConfiguration.Status.OFF
        : config.status();
  }

  @Override
  public Stream<ObjectVersion> objectsAsVersions(String bucket) {
    LOG.debug("{} lists no versions; listing the objects of {}", settings.endpoint(), bucket);
    Iterable<Result<Item>> results = client.listObjects(ListObjectsArgs.builder()
        .bucket(bucket).recursive(true).build());
    return listing.once(results, "list " + bucket + "/", bucket, item -> item.isDir() ? null
        : new ObjectVersion(ObjectRef.of(bucket, item.objectName()), S3Objects.UNVERSIONED,
            true, false, item.size(), instant(item.lastModified()),
            S3Objects.etag(item.etag())));
  }

  @Override
  public String errorCode(ProviderException e) {
    String code = MinioErrors.code(e.getCause());
    return code == null ? "" : code;
  }

  @Override
  public Stream<ObjectVersion> versions(String bucket, String prefix) {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(prefix, "prefix is null");
    Iterable<Result<Item>> results = client.listObjects(ListObjectsArgs.builder().bucket(bucket)
        .prefix(prefix).recursive(true).includeVersions(true).build());
    return listing.once(results, "list versions of " + bucket + "/" + prefix, bucket,
        item -> item.isDir() ? null : new ObjectVersion(ObjectRef.of(bucket, item.objectName()),
            item.versionId() == null ? S3Objects.UNVERSIONED : item.versionId(),
            item.isLatest(), item.isDeleteMarker(), item.isDeleteMarker() ? 0 : item.size(),
            instant(item.lastModified()), S3Objects.etag(item.etag())));
  }

  @Override
  public InputStream openVersion(ObjectRef ref, String versionId, String what) {
    return calls.call(what, ref.bucket(), ref.key(), () -> client.getObject(
        GetObjectArgs.builder().bucket(ref.bucket()).object(ref.key()).versionId(versionId)
            .build()));
  }

  // --------------------------------------------------------------------- ownership, provisioner

  /** The bucket's tags; empty where the store answers NotImplemented (s3proxy). */
  @Override
  public Optional<Map<String, String>> bucketTags(String bucket) {
    try {
      return Optional.of(calls.call("read the tags of bucket '" + bucket + "'", bucket, null,
          () -> client.getBucketTags(GetBucketTagsArgs.builder().bucket(bucket).build())).get());
    } catch (EdxException e) { // NoSuchTagSet is a 404, which reads as a missing bucket
      String code = MinioErrors.code(e.getCause());
      if ("NoSuchTagSet".equals(code)) {
        return Optional.of(Map.of());
      }
      if (MinioErrors.NOT_IMPLEMENTED.contains(code)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public boolean setBucketTags(String bucket, Map<String, String> tags) {
    try {
      calls.run("tag bucket '" + bucket + "'", bucket, () -> {
        client.setBucketTags(SetBucketTagsArgs.builder().bucket(bucket).tags(tags).build());
        return null;
      });
      return true;
    } catch (ProviderException e) {
      if (MinioErrors.NOT_IMPLEMENTED.contains(MinioErrors.code(e.getCause()))) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Provisioner provisioner() {
    return provisioner;
  }

  // ---------------------------------------------------------------------------------- helpers

  private static Instant instant(ZonedDateTime time) {
    return time == null ? Instant.now() : time.toInstant();
  }

  /** The server's time of an answer, from its {@code Date} header. */
  private static Instant serverTime(Headers headers) {
    return S3Objects.serverTime(Optional.ofNullable(headers == null ? null
        : headers.get("Date")));
  }

  /** Shuts down the HTTP client's dispatcher threads and closes its pooled connections. */
  @Override
  public void close() {
    if (!calls.close()) {
      return;
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    LOG.debug("Closed the minio storage on {}", settings.endpoint());
  }

  /** Names the endpoint and the declared buckets; never the credentials. */
  @Override
  public String toString() {
    return "MinioObjectStorage{" + settings + "}";
  }
}
