package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectVersion;
import dev.edx.api.S3Access;
import dev.edx.api.exceptions.BucketAlreadyExistsException;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.NoSuchBucketException;
import dev.edx.api.exceptions.NoSuchObjectException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Provisioner;
import dev.edx.toolkit.s3.BucketOwnership;
import dev.edx.toolkit.s3.S3Objects;
import dev.edx.toolkit.s3.S3Store;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Object storage on Amazon S3 or an S3-compatible store, through the AWS SDK's {@code S3Client}.
 *
 * <ul>
 *   <li>Writes ({@link S3Uploads}) stream in parts, abort a failed multipart upload, copy
 *       server-side, and report the server's time.
 *   <li>With {@code checksums: when_supported} every upload carries a CRC32 checksum the store
 *       verifies, and downloads are verified where the store returns one.
 *   <li>Request bodies are sent as {@code UNSIGNED-PAYLOAD} over {@code http} as over {@code
 *       https} ({@link UnsignedPayloadOverHttp}): the requests are signed, their bodies are not.
 *   <li>Listings page lazily through ListObjectsV2 and ListObjectVersions; batch deletes send
 *       1,000 keys a call.
 *   <li>Presigned URLs ({@link dev.edx.api.SupportsPresignedUrls}) and versions ({@link
 *       dev.edx.api.SupportsVersioning}),
 *       as the {@code minio} provider has them.
 * </ul>
 *
 * <p>Buckets are provisioned by {@link S3BucketProvisioner}, owned as {@link BucketOwnership} says.
 *
 * <p>Thread safe. {@link #close()} closes the client and its HTTP connections.
 */
final class S3ObjectStorage implements S3Store, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStorage.class);

  /** The ownership tags, which the other AWS services of edx use too ({@link BucketOwnership}). */
  static final String MANAGED_BY = BucketOwnership.MANAGED_BY;
  static final String ENVIRONMENT = BucketOwnership.ENVIRONMENT;

  private final S3Settings settings;
  private final S3Client client;
  private final S3Presigner presigner;
  private final S3Calls calls;
  private final S3Uploads uploads;
  private final S3BucketProvisioner provisioner;

  S3ObjectStorage(S3Settings settings, String environment) {
    this(settings, environment, List.of());
  }

  /** With interceptors that observe the client's requests; for tests. */
  S3ObjectStorage(S3Settings settings, String environment,
      List<ExecutionInterceptor> interceptors) {
    this.settings = requireNonNull(settings, "settings is null");
    this.client = settings.aws().build(S3Client.builder()
        .forcePathStyle(settings.pathStyle())
        // Bodies as UNSIGNED-PAYLOAD over http too, as over https (see the class).
        .putAuthScheme(new UnsignedPayloadOverHttp())
        .requestChecksumCalculation(settings.checksumsAlways()
            ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(settings.checksumsAlways()
            ? ResponseChecksumValidation.WHEN_SUPPORTED
            : ResponseChecksumValidation.WHEN_REQUIRED), interceptors);
    S3Presigner.Builder presign = S3Presigner.builder().region(settings.aws().region())
        .credentialsProvider(settings.aws().credentials().provider())
        .serviceConfiguration(S3Configuration.builder()
            .pathStyleAccessEnabled(settings.pathStyle()).build());
    settings.aws().endpoint().ifPresent(presign::endpointOverride);
    this.presigner = presign.build();
    this.calls = new S3Calls(settings.aws(), this::bucketMissing);
    this.uploads = new S3Uploads(settings, client, calls);
    this.provisioner = new S3BucketProvisioner(this, settings, client, calls, environment);
  }

  @Override
  public String where() {
    return settings.aws().where();
  }

  /**
   * The endpoint override (none on AWS), the region, the addressing and the static keys of the
   * spec (accessKeyId, secretAccessKey, sessionToken); no credentials with a profile or the
   * default chain.
   */
  @Override
  public Optional<S3Access> s3Access() {
    Optional<S3Access.Credentials> keys = settings.aws().credentials().keys().map(k ->
        new S3Access.Credentials(k.accessKeyId(), k.secretAccessKey(),
            k instanceof AwsSessionCredentials session ? Optional.of(session.sessionToken())
                : Optional.empty(), AwsProperties.ACCESS_KEY_ID.key(),
            AwsProperties.SECRET_ACCESS_KEY.key(), k instanceof AwsSessionCredentials
                ? Optional.of(AwsProperties.SESSION_TOKEN.key()) : Optional.empty()));
    return Optional.of(new S3Access(settings.aws().endpoint(),
        Optional.of(settings.aws().region().id()), settings.pathStyle(), keys));
  }

  // ---------------------------------------------------------------------------------- buckets

  @Override
  public void createBucket(String bucket) {
    requireNonNull(bucket, "bucket is null");
    boolean usEast1 = settings.aws().region().id().equals("us-east-1");
    // In us-east-1, S3 answers CreateBucket of a bucket its caller already owns with 200 (other
    // regions with BucketAlreadyOwnedByYou), as moto does: look first, so that an existing
    // bucket fails here as everywhere and is never taken for one this call created.
    if (usEast1 && bucketExists(bucket)) {
      throw new BucketAlreadyExistsException(bucket, "Cannot create bucket '" + bucket + "' on "
          + where() + ": bucket '" + bucket + "' already exists");
    }
    calls.call("create bucket '" + bucket + "'", bucket, null, () -> client.createBucket(b -> {
      b.bucket(bucket);
      if (!usEast1) {
        b.createBucketConfiguration(CreateBucketConfiguration.builder()
            .locationConstraint(settings.aws().region().id()).build());
      }
    }));
    LOG.info("Created bucket {} on {}", bucket, where());
  }

  @Override
  public boolean bucketExists(String bucket) {
    requireNonNull(bucket, "bucket is null");
    try {
      calls.call("check bucket '" + bucket + "'", bucket, null,
          () -> client.headBucket(b -> b.bucket(bucket)));
      return true;
    } catch (NoSuchBucketException e) {
      return false;
    }
  }

  @Override
  public List<String> listBuckets() {
    return calls.call("list buckets", null, null, () -> client.listBucketsPaginator(b -> { })
        .buckets().stream().map(Bucket::name).sorted().toList());
  }

  @Override
  public void removeBucket(String bucket) {
    calls.call("delete bucket '" + bucket + "'", bucket, null,
        () -> client.deleteBucket(b -> b.bucket(bucket)));
    LOG.info("Deleted bucket {} on {}", bucket, where());
  }

  /** True only when the store says the bucket does not exist; any other answer is false. */
  private boolean bucketMissing(String bucket) {
    try {
      client.headBucket(b -> b.bucket(bucket));
      return false;
    } catch (S3Exception e) {
      return e.statusCode() == 404;
    } catch (SdkException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------------------------- objects

  @Override
  public ObjectInfo put(ObjectRef ref, InputStream data) {
    requireNonNull(ref, "ref is null");
    requireNonNull(data, "data is null");
    return uploads.put(ref, data);
  }

  /** Streams the bytes as they are read; memory does not grow with the object. */
  @Override
  public ObjectInfo put(ObjectRef ref, InputStream data, long length) {
    requireNonNull(ref, "ref is null");
    requireNonNull(data, "data is null");
    return uploads.put(ref, data, length);
  }

  /** Reads each part from the file where it is, again on a retry. */
  @Override
  public ObjectInfo put(ObjectRef ref, Path file) {
    requireNonNull(ref, "ref is null");
    requireNonNull(file, "file is null");
    return uploads.put(ref, file);
  }

  @Override
  public ObjectInfo put(ObjectRef ref, byte[] data) {
    requireNonNull(ref, "ref is null");
    requireNonNull(data, "data is null");
    return uploads.put(ref, data);
  }

  @Override
  public Optional<InputStream> openRange(ObjectRef ref, long offset, long length, String what) {
    String range = offset == 0 && length == Long.MAX_VALUE ? null
        : "bytes=" + offset + "-" + (length == Long.MAX_VALUE || offset + length < 0 ? ""
            : String.valueOf(offset + length - 1));
    try {
      InputStream in = calls.call(what, ref.bucket(), ref.key(),
          () -> client.getObject(b -> b.bucket(ref.bucket()).key(ref.key()).range(range)));
      LOG.debug("Opened {} ({})", ref, range == null ? "whole" : range);
      return Optional.of(in);
    } catch (ProviderException e) {
      if (e.getCause() instanceof S3Exception s3 && (s3.statusCode() == 416
          || "InvalidRange".equals(S3Calls.code(s3)))) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectRef ref) {
    requireNonNull(ref, "ref is null");
    try {
      HeadObjectResponse head = calls.call("stat " + ref, ref.bucket(), ref.key(),
          () -> client.headObject(b -> b.bucket(ref.bucket()).key(ref.key())));
      return Optional.of(new ObjectInfo(ref, head.contentLength(),
          instant(head.lastModified()), S3Objects.etag(head.eTag())));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    }
  }

  @Override
  public Stream<ObjectInfo> objects(String bucket, String prefix) {
    LOG.debug("Listing {}/{}", bucket, prefix);
    return lazily("list " + bucket + "/" + prefix, bucket,
        () -> client.listObjectsV2Paginator(b -> b.bucket(bucket)
            .prefix(prefix.isEmpty() ? null : prefix)).contents().iterator())
        .map(o -> new ObjectInfo(ObjectRef.of(bucket, o.key()), o.size(),
            instant(o.lastModified()), S3Objects.etag(o.eTag())));
  }

  /**
   * A lazy stream over an SDK paginator, one item ahead of its reader: the first page is fetched
   * now, so a missing bucket or a call the store does not implement fails here.
   */
  private <T> Stream<T> lazily(String what, String bucket, Supplier<Iterator<T>> pages) {
    Iterator<T> items = calls.call(what, bucket, null, pages);
    Iterator<T> ahead = new Iterator<>() {
      private T next = advance();

      private T advance() {
        return calls.call(what, bucket, null, items::hasNext)
            ? calls.call(what, bucket, null, items::next) : null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public T next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        T current = next;
        next = advance();
        return current;
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(ahead,
        Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  @Override
  public void delete(ObjectRef ref) {
    requireNonNull(ref, "ref is null");
    try {
      calls.call("delete " + ref, ref.bucket(), ref.key(),
          () -> client.deleteObject(b -> b.bucket(ref.bucket()).key(ref.key())));
    } catch (NoSuchObjectException e) {
      // some S3-compatible stores answer 404: already gone
    }
    LOG.debug("Deleted {}", ref);
  }

  @Override
  public void deleteKeys(String bucket, List<String> keys) {
    deleteObjects(bucket, keys.stream()
        .map(key -> ObjectIdentifier.builder().key(key).build()).toList());
  }

  @Override
  public void deleteVersions(String bucket, List<ObjectVersion> versions) {
    deleteObjects(bucket, versions.stream().map(v -> ObjectIdentifier.builder()
        .key(v.ref().key()).versionId(v.versionId()).build()).toList());
  }

  private void deleteObjects(String bucket, List<ObjectIdentifier> keys) {
    String what = "delete " + keys.size() + " objects in bucket '" + bucket + "'";
    DeleteObjectsResponse response = calls.call(what, bucket, null, () -> client.deleteObjects(
        b -> b.bucket(bucket).delete(Delete.builder().objects(keys).quiet(true).build())));
    List<String> failures = new ArrayList<>();
    for (S3Error error : response.errors()) {
      if (!"NoSuchKey".equals(error.code())) {
        failures.add(error.key() + " (" + error.code() + ": " + error.message() + ")");
      }
    }
    S3Objects.requireNoFailures(what, where(), failures);
    LOG.debug("Deleted {} objects in {}", keys.size(), bucket);
  }

  @Override
  public ObjectInfo copyObject(ObjectRef source, ObjectRef target, ObjectInfo from,
      String what) {
    return uploads.copy(source, target, from, what);
  }

  // ------------------------------------------------------------------------- presigned URLs

  /** A URL any HTTP client can GET the object with, until {@code expiry} has passed. */
  @Override
  public URI presignedGet(ObjectRef ref, Duration expiry) {
    S3Objects.checkPresignExpiry(ref, expiry, "GET");
    return presigned(ref, () -> presigner.presignGetObject(p -> p.signatureDuration(expiry)
        .getObjectRequest(b -> b.bucket(ref.bucket()).key(ref.key()))).url());
  }

  /**
   * A URL any HTTP client can PUT the object's bytes to, until {@code expiry} has passed. The
   * object gets the bucket's default encryption (the request carries no {@code sse} header).
   */
  @Override
  public URI presignedPut(ObjectRef ref, Duration expiry) {
    S3Objects.checkPresignExpiry(ref, expiry, "PUT");
    return presigned(ref, () -> presigner.presignPutObject(p -> p.signatureDuration(expiry)
        .putObjectRequest(b -> b.bucket(ref.bucket()).key(ref.key()))).url());
  }

  private URI presigned(ObjectRef ref, Supplier<URL> url) {
    try {
      return calls.call("presign " + ref, ref.bucket(), ref.key(), url).toURI();
    } catch (URISyntaxException e) {
      throw new ProviderException("Cannot presign " + ref + ": " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------------------- versioning

  @Override
  public boolean isVersioned(String bucket) {
    requireNonNull(bucket, "bucket is null");
    return calls.call("read versioning of bucket '" + bucket + "'", bucket, null,
        () -> client.getBucketVersioning(b -> b.bucket(bucket))).status()
        == BucketVersioningStatus.ENABLED;
  }

  @Override
  public Stream<ObjectVersion> objectsAsVersions(String bucket) {
    LOG.debug("{} lists no versions; listing the objects of {}", where(), bucket);
    return lazily("list " + bucket + "/", bucket, () -> client.listObjectsV2Paginator(
        b -> b.bucket(bucket)).contents().iterator())
        .map((S3Object o) -> new ObjectVersion(ObjectRef.of(bucket, o.key()),
            S3Objects.UNVERSIONED, true, false, o.size(), instant(o.lastModified()),
            S3Objects.etag(o.eTag())));
  }

  @Override
  public String errorCode(ProviderException e) {
    return S3Calls.code(e.getCause());
  }

  /** Every version, newest first for each key, delete markers included. */
  @Override
  public Stream<ObjectVersion> versions(String bucket, String prefix) {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(prefix, "prefix is null");
    return lazily("list versions of " + bucket + "/" + prefix, bucket,
        () -> client.listObjectVersionsPaginator(b -> b.bucket(bucket)
            .prefix(prefix.isEmpty() ? null : prefix)).iterator())
        .flatMap(page -> versions(bucket, page));
  }

  /** A page's versions and delete markers, by key, each key's newest first. */
  private static Stream<ObjectVersion> versions(String bucket, ListObjectVersionsResponse page) {
    Stream<ObjectVersion> versions = page.versions().stream().map(v -> new ObjectVersion(
        ObjectRef.of(bucket, v.key()), versionId(v.versionId()), Boolean.TRUE.equals(v.isLatest()),
        false, v.size() == null ? 0 : v.size(), instant(v.lastModified()),
        S3Objects.etag(v.eTag())));
    Stream<ObjectVersion> markers = page.deleteMarkers().stream().map(m -> new ObjectVersion(
        ObjectRef.of(bucket, m.key()), versionId(m.versionId()), Boolean.TRUE.equals(m.isLatest()),
        true, 0, instant(m.lastModified()), Optional.empty()));
    return Stream.concat(versions, markers).sorted(Comparator
        .comparing((ObjectVersion v) -> v.ref().key())
        .thenComparing(v -> !v.latest())
        .thenComparing(ObjectVersion::lastModified, Comparator.reverseOrder()));
  }

  private static String versionId(String id) {
    return id == null ? S3Objects.UNVERSIONED : id;
  }

  @Override
  public InputStream openVersion(ObjectRef ref, String versionId, String what) {
    return calls.call(what, ref.bucket(), ref.key(), () -> client.getObject(
        b -> b.bucket(ref.bucket()).key(ref.key()).versionId(versionId)));
  }

  // --------------------------------------------------------------------- ownership, provisioner

  /** The bucket's tags; empty where the store answers NotImplemented (s3proxy). */
  @Override
  public Optional<Map<String, String>> bucketTags(String bucket) {
    try {
      List<Tag> tags = calls.call("read the tags of bucket '" + bucket + "'", bucket, null,
          () -> client.getBucketTagging(b -> b.bucket(bucket))).tagSet();
      return Optional.of(tags.stream().collect(Collectors.toMap(Tag::key, Tag::value,
          (a, b) -> b)));
    } catch (EdxException e) { // NoSuchTagSet is a 404, which reads as a missing bucket
      String code = S3Calls.code(e.getCause());
      if ("NoSuchTagSet".equals(code)) {
        return Optional.of(Map.of());
      }
      if ("NotImplemented".equals(code)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public boolean setBucketTags(String bucket, Map<String, String> tags) {
    List<Tag> tagSet = tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    try {
      calls.call("tag bucket '" + bucket + "'", bucket, null, () -> client.putBucketTagging(b -> b
          .bucket(bucket).tagging(Tagging.builder().tagSet(tagSet).build())));
      return true;
    } catch (ProviderException e) {
      if ("NotImplemented".equals(S3Calls.code(e.getCause()))) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Provisioner provisioner() {
    calls.requireOpen();
    return provisioner;
  }

  private static Instant instant(Instant time) {
    return time == null ? Instant.now() : time;
  }

  @Override
  public void close() {
    if (calls.close()) {
      presigner.close();
      client.close();
      LOG.debug("Closed the s3 storage on {}", where());
    }
  }

  /** Names the endpoint and the declared buckets; never the credentials. */
  @Override
  public String toString() {
    return "S3ObjectStorage{" + settings + "}";
  }
}
