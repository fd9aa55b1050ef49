package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.exceptions.AccessDeniedException;
import dev.edx.api.exceptions.BucketAlreadyExistsException;
import dev.edx.api.exceptions.BucketNotEmptyException;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.NoSuchBucketException;
import dev.edx.api.exceptions.NoSuchObjectException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.Provisioner;
import dev.edx.toolkit.OwnedResourceProvisioner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Object storage on Amazon S3 or an S3-compatible store, through the AWS SDK's {@code S3Client}.
 *
 * <ul>
 *   <li>A stream of unknown length is read a part ({@code partSize}) at a time: a stream that ends
 *       within the first part is one PutObject; a longer one is a multipart upload, aborted if
 *       anything fails, so no orphaned parts are left to bill. One part buffer is held per upload.
 *   <li>With {@code checksums: when_supported} every upload carries a CRC32 checksum the store
 *       verifies, and downloads are verified where the store returns one.
 *   <li>Listings page lazily through ListObjectsV2; batch deletes send 1,000 keys a call; copies
 *       are server-side (UploadPartCopy beyond S3's 5 GiB single-copy limit).
 * </ul>
 *
 * <p>Thread safe. {@link #close()} closes the client and its HTTP connections.
 */
final class S3ObjectStorage implements ObjectStorage, Provisioner, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStorage.class);

  static final String SERVICE = "storage";
  /** Tag marking what edx created, and the tag naming the owning environment. */
  static final String MANAGED_BY = "managed-by";
  static final String ENVIRONMENT = "edx.dev/environment";
  static final String LIFECYCLE_RULE_ID = "edx-expire";
  static final int DELETE_BATCH = 1000;
  private static final long MAX_COPY_SIZE = 5L * 1024 * 1024 * 1024;
  private static final long COPY_PART_SIZE = 512L * 1024 * 1024;
  private static final int SMALL_BUFFER = 64 * 1024;

  private final S3Settings settings;
  private final S3Client client;
  private final BucketProvisioner provisioner;
  private final AtomicBoolean closed = new AtomicBoolean();

  S3ObjectStorage(S3Settings settings, String environment) {
    this(settings, environment, List.of());
  }

  /** With interceptors that observe the client's requests; for tests. */
  S3ObjectStorage(S3Settings settings, String environment,
      List<ExecutionInterceptor> interceptors) {
    this.settings = requireNonNull(settings, "settings is null");
    this.client = settings.aws().build(S3Client.builder()
        .forcePathStyle(settings.pathStyle())
        .requestChecksumCalculation(settings.checksumsAlways()
            ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(settings.checksumsAlways()
            ? ResponseChecksumValidation.WHEN_SUPPORTED
            : ResponseChecksumValidation.WHEN_REQUIRED), interceptors);
    this.provisioner = new BucketProvisioner(environment);
  }

  // ---------------------------------------------------------------------------------- buckets

  @Override
  public void createBucket(String bucket) {
    requireNonNull(bucket, "bucket is null");
    call("create bucket '" + bucket + "'", bucket, null, () -> client.createBucket(b -> {
      b.bucket(bucket);
      if (!settings.aws().region().id().equals("us-east-1")) {
        b.createBucketConfiguration(CreateBucketConfiguration.builder()
            .locationConstraint(settings.aws().region().id()).build());
      }
    }));
    LOG.info("Created bucket {} on {}", bucket, settings.aws().where());
  }

  @Override
  public boolean bucketExists(String bucket) {
    requireNonNull(bucket, "bucket is null");
    try {
      call("check bucket '" + bucket + "'", bucket, null, () -> client.headBucket(b -> b.bucket(bucket)));
      return true;
    } catch (NoSuchBucketException e) {
      return false;
    }
  }

  @Override
  public List<String> listBuckets() {
    return call("list buckets", null, null, () -> client.listBucketsPaginator(b -> { })
        .buckets().stream().map(Bucket::name).sorted().toList());
  }

  @Override
  public void deleteBucket(String bucket) {
    requireNonNull(bucket, "bucket is null");
    call("delete bucket '" + bucket + "'", bucket, null,
        () -> client.deleteBucket(b -> b.bucket(bucket)));
    LOG.info("Deleted bucket {} on {}", bucket, settings.aws().where());
  }

  // ---------------------------------------------------------------------------------- objects

  @Override
  public ObjectInfo put(ObjectRef ref, InputStream data) {
    requireNonNull(ref, "ref is null");
    requireNonNull(data, "data is null");
    String what = "put " + ref;
    int partSize = (int) Math.min(settings.partSize(), Integer.MAX_VALUE - 8);
    // Small objects are common: the buffer starts small and grows to a part as data arrives.
    byte[] buffer = new byte[Math.min(partSize, SMALL_BUFFER)];
    int n = fill(data, buffer, what);
    while (n == buffer.length && buffer.length < partSize) {
      buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(partSize, 4L * buffer.length));
      n += fill(data, buffer, n, what);
    }
    if (n < partSize) {
      byte[] bytes = buffer;
      int length = n;
      String etag = call(what, ref.bucket(), ref.key(), () -> client.putObject(
          encrypted(PutObjectRequest.builder().bucket(ref.bucket()).key(ref.key()))
              .contentLength((long) length).build(), body(bytes, length))).eTag();
      LOG.debug("Put {} ({} bytes)", ref, length);
      return new ObjectInfo(ref, length, Instant.now(), etag(etag));
    }
    return putMultipart(ref, data, buffer, n, what);
  }

  private ObjectInfo putMultipart(ObjectRef ref, InputStream data, byte[] buffer, int first,
      String what) {
    CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
        .bucket(ref.bucket()).key(ref.key());
    if (settings.checksumsAlways()) {
      create.checksumAlgorithm(ChecksumAlgorithm.CRC32);
    }
    encrypted(create);
    String uploadId = call(what, ref.bucket(), ref.key(),
        () -> client.createMultipartUpload(create.build())).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    long total = 0;
    try {
      int n = first;
      while (n > 0) {
        int partNumber = parts.size() + 1;
        int length = n;
        UploadPartResponse response = call(what, ref.bucket(), ref.key(),
            () -> client.uploadPart(b -> {
              b.bucket(ref.bucket()).key(ref.key()).uploadId(uploadId).partNumber(partNumber)
                  .contentLength((long) length);
              if (settings.checksumsAlways()) {
                b.checksumAlgorithm(ChecksumAlgorithm.CRC32);
              }
            }, body(buffer, length)));
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag())
            .checksumCRC32(response.checksumCRC32()).build());
        total += length;
        n = length < buffer.length ? 0 : fill(data, buffer, what);
      }
      String etag = call(what, ref.bucket(), ref.key(), () -> client.completeMultipartUpload(b ->
          b.bucket(ref.bucket()).key(ref.key()).uploadId(uploadId)
              .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()))).eTag();
      LOG.debug("Put {} ({} bytes in {} parts)", ref, total, parts.size());
      return new ObjectInfo(ref, total, Instant.now(), etag(etag));
    } catch (RuntimeException | Error e) {
      abort(ref, uploadId, e);
      throw e;
    }
  }

  /** Aborts a multipart upload so that its parts are freed; a failure to do so is added. */
  private void abort(ObjectRef ref, String uploadId, Throwable cause) {
    try {
      client.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(ref.bucket())
          .key(ref.key()).uploadId(uploadId).build());
      LOG.debug("Aborted the multipart upload of {}", ref);
    } catch (SdkException e) {
      LOG.warn("Cannot abort the multipart upload {} of {}: its parts remain until a lifecycle"
          + " rule removes them", uploadId, ref, e);
      cause.addSuppressed(e);
    }
  }

  private static RequestBody body(byte[] buffer, int length) {
    return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length),
        length, "application/octet-stream");
  }

  /** Reads until the buffer is full or the stream ends; returns the bytes read. */
  private static int fill(InputStream in, byte[] buffer, String what) {
    return fill(in, buffer, 0, what);
  }

  /** Reads into {@code buffer} from {@code start} until full or the end; returns bytes read. */
  private static int fill(InputStream in, byte[] buffer, int start, String what) {
    int n = start;
    try {
      while (n < buffer.length) {
        int r = in.read(buffer, n, buffer.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot " + what + ": reading the data failed", e);
    }
    return n - start;
  }

  private PutObjectRequest.Builder encrypted(PutObjectRequest.Builder b) {
    if (!settings.sse().equals("none")) {
      b.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
      settings.sseKmsKeyId().ifPresent(b::ssekmsKeyId);
    }
    return b;
  }

  private void encrypted(CreateMultipartUploadRequest.Builder b) {
    if (!settings.sse().equals("none")) {
      b.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
      settings.sseKmsKeyId().ifPresent(b::ssekmsKeyId);
    }
  }

  @Override
  public InputStream open(ObjectRef ref) {
    return open(ref, 0, Long.MAX_VALUE);
  }

  @Override
  public InputStream open(ObjectRef ref, long offset, long length) {
    ObjectStorage.checkRange(ref, offset, length);
    String what = "open " + ref;
    if (length == 0) {
      requireObject(ref, what);
      return InputStream.nullInputStream();
    }
    String range = offset == 0 && length == Long.MAX_VALUE ? null
        : "bytes=" + offset + "-" + (length == Long.MAX_VALUE || offset + length < 0 ? ""
            : String.valueOf(offset + length - 1));
    try {
      InputStream in = call(what, ref.bucket(), ref.key(), () -> client.getObject(b -> {
        b.bucket(ref.bucket()).key(ref.key()).range(range);
      }));
      LOG.debug("Opened {} ({})", ref, range == null ? "whole" : range);
      return in;
    } catch (ProviderException e) {
      if (e.getCause() instanceof S3Exception s3 && (s3.statusCode() == 416
          || "InvalidRange".equals(code(s3)))) {
        requireObject(ref, what); // the range starts at or past the end: nothing to read
        return InputStream.nullInputStream();
      }
      throw e;
    }
  }

  private void requireObject(ObjectRef ref, String what) {
    if (stat(ref).isEmpty()) {
      throw new NoSuchObjectException(ref.toString(), "Cannot " + what + " on "
          + settings.aws().where() + ": object " + ref + " does not exist");
    }
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectRef ref) {
    requireNonNull(ref, "ref is null");
    try {
      HeadObjectResponse head = call("stat " + ref, ref.bucket(), ref.key(),
          () -> client.headObject(b -> b.bucket(ref.bucket()).key(ref.key())));
      return Optional.of(new ObjectInfo(ref, head.contentLength(),
          head.lastModified() == null ? Instant.now() : head.lastModified(), etag(head.eTag())));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    }
  }

  @Override
  public Stream<ObjectInfo> list(String bucket, String prefix) {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(prefix, "prefix is null");
    String what = "list " + bucket + "/" + prefix;
    Iterator<S3Object> pages = call(what, bucket, null, () -> client.listObjectsV2Paginator(
        b -> b.bucket(bucket).prefix(prefix.isEmpty() ? null : prefix)).contents().iterator());
    Iterator<ObjectInfo> objects = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return call(what, bucket, null, pages::hasNext);
      }

      @Override
      public ObjectInfo next() {
        S3Object o = call(what, bucket, null, pages::next);
        return new ObjectInfo(ObjectRef.of(bucket, o.key()), o.size(),
            o.lastModified() == null ? Instant.now() : o.lastModified(), etag(o.eTag()));
      }
    };
    objects.hasNext(); // fetches the first page: a missing bucket fails here
    LOG.debug("Listing {}/{}", bucket, prefix);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(objects,
        Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  @Override
  public void delete(ObjectRef ref) {
    requireNonNull(ref, "ref is null");
    try {
      call("delete " + ref, ref.bucket(), ref.key(),
          () -> client.deleteObject(b -> b.bucket(ref.bucket()).key(ref.key())));
    } catch (NoSuchObjectException e) {
      // some S3-compatible stores answer 404: already gone
    }
    LOG.debug("Deleted {}", ref);
  }

  /** Deletes with DeleteObjects, 1,000 keys a call; keys that do not exist are ignored. */
  @Override
  public void deleteAll(String bucket, Collection<String> keys) {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(keys, "keys is null");
    List<ObjectIdentifier> batch = new ArrayList<>();
    for (String key : keys) {
      ObjectRef.of(bucket, key); // validates the key
      batch.add(ObjectIdentifier.builder().key(key).build());
      if (batch.size() == DELETE_BATCH) {
        deleteBatch(bucket, batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      deleteBatch(bucket, batch);
    }
  }

  private void deleteBatch(String bucket, List<ObjectIdentifier> batch) {
    String what = "delete " + batch.size() + " objects in bucket '" + bucket + "'";
    List<ObjectIdentifier> keys = List.copyOf(batch);
    DeleteObjectsResponse response = call(what, bucket, null, () -> client.deleteObjects(b -> b
        .bucket(bucket).delete(Delete.builder().objects(keys).quiet(true).build())));
    List<String> failures = new ArrayList<>();
    for (S3Error error : response.errors()) {
      if (!"NoSuchKey".equals(error.code())) {
        failures.add(error.key() + " (" + error.code() + ": " + error.message() + ")");
      }
    }
    if (!failures.isEmpty()) {
      throw new ProviderException("Cannot " + what + " on " + settings.aws().where() + ": "
          + failures.size() + " failed, such as " + failures.subList(0,
              Math.min(5, failures.size())));
    }
    LOG.debug("Deleted {} objects in {}", keys.size(), bucket);
  }

  @Override
  public ObjectInfo copy(ObjectRef source, ObjectRef target) {
    requireNonNull(source, "source is null");
    requireNonNull(target, "target is null");
    String what = "copy " + source + " to " + target;
    ObjectInfo from = stat(source).orElseThrow(() -> new NoSuchObjectException(source.toString(),
        "Cannot " + what + " on " + settings.aws().where() + ": object " + source
            + " does not exist"));
    if (from.size() > MAX_COPY_SIZE) {
      return copyMultipart(source, target, from.size(), what);
    }
    CopyObjectResponse response = call(what, target.bucket(), target.key(),
        () -> client.copyObject(b -> {
          b.sourceBucket(source.bucket()).sourceKey(source.key())
              .destinationBucket(target.bucket()).destinationKey(target.key());
          if (!settings.sse().equals("none")) {
            b.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
            settings.sseKmsKeyId().ifPresent(b::ssekmsKeyId);
          }
        }));
    LOG.debug("Copied {} to {} ({} bytes)", source, target, from.size());
    String etag = response.copyObjectResult() == null ? null
        : response.copyObjectResult().eTag();
    return new ObjectInfo(target, from.size(), Instant.now(), etag(etag).or(from::etag));
  }

  private ObjectInfo copyMultipart(ObjectRef source, ObjectRef target, long size, String what) {
    CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
        .bucket(target.bucket()).key(target.key());
    encrypted(create);
    String uploadId = call(what, target.bucket(), target.key(),
        () -> client.createMultipartUpload(create.build())).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    try {
      for (long offset = 0; offset < size; offset += COPY_PART_SIZE) {
        int partNumber = parts.size() + 1;
        String range = "bytes=" + offset + "-" + (Math.min(size, offset + COPY_PART_SIZE) - 1);
        UploadPartCopyResponse r = call(what, target.bucket(), target.key(),
            () -> client.uploadPartCopy(b -> b.sourceBucket(source.bucket())
                .sourceKey(source.key()).destinationBucket(target.bucket())
                .destinationKey(target.key()).uploadId(uploadId).partNumber(partNumber)
                .copySourceRange(range)));
        parts.add(CompletedPart.builder().partNumber(partNumber)
            .eTag(r.copyPartResult().eTag()).build());
      }
      String etag = call(what, target.bucket(), target.key(), () -> client.completeMultipartUpload(
          b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId)
              .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()))).eTag();
      return new ObjectInfo(target, size, Instant.now(), etag(etag));
    } catch (RuntimeException | Error e) {
      abort(target, uploadId, e);
      throw e;
    }
  }

  @Override
  public URI uri(ObjectRef ref) {
    requireNonNull(ref, "ref is null");
    try {
      return new URI("s3a", ref.bucket(), "/" + ref.key(), null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Cannot make an s3a URI of " + ref, e);
    }
  }

  // ------------------------------------------------------------------------------ provisioner

  @Override
  public List<Change> plan() {
    requireOpen();
    return provisioner.plan();
  }

  @Override
  public List<Change> apply() {
    requireOpen();
    return provisioner.apply();
  }

  @Override
  public List<Change> destroy(DataPolicy policy) {
    requireOpen();
    return provisioner.destroy(policy);
  }

  /**
   * Buckets, marked as owned with the tags {@code managed-by=edx} and {@code
   * edx.dev/environment}. S3 cannot tag a bucket in the call that creates it, so a bucket whose
   * tagging fails is deleted again (it is empty): an interrupted apply never leaves an unmarked
   * bucket of its own making.
   */
  private final class BucketProvisioner extends OwnedResourceProvisioner {
    BucketProvisioner(String environment) {
      super(SERVICE, "bucket", environment, settings.buckets());
    }

    @Override
    protected boolean exists(String name) {
      return bucketExists(name);
    }

    @Override
    protected Optional<String> owner(String name) {
      Map<String, String> tags = tags(name);
      return "edx".equals(tags.get(MANAGED_BY))
          ? Optional.of(tags.getOrDefault(ENVIRONMENT, "")) : Optional.empty();
    }

    @Override
    protected Collection<String> existing() {
      return listBuckets();
    }

    @Override
    protected void create(String name) {
      createBucket(name);
      try {
        tag(name);
      } catch (RuntimeException e) {
        try {
          deleteBucket(name);
        } catch (RuntimeException again) {
          e.addSuppressed(again);
        }
        throw e;
      }
      configure(name);
    }

    @Override
    protected void adopt(String name) {
      tag(name);
      configure(name);
    }

    @Override
    protected long dataCount(String name) {
      try (Stream<ObjectInfo> objects = list(name, "")) {
        return objects.limit(1_000_000).count();
      }
    }

    @Override
    protected void delete(String name) {
      List<String> keys = new ArrayList<>(DELETE_BATCH);
      try (Stream<ObjectInfo> objects = list(name, "")) {
        Iterator<ObjectInfo> it = objects.iterator();
        while (it.hasNext()) {
          keys.add(it.next().ref().key());
          if (keys.size() == DELETE_BATCH) {
            deleteAll(name, keys);
            keys.clear();
          }
        }
      }
      deleteAll(name, keys);
      deleteBucket(name);
    }

    @Override
    protected String describeCreate(String name) {
      List<String> parts = new ArrayList<>();
      parts.add("on " + settings.aws().where());
      if (!settings.sse().equals("none")) {
        parts.add("default encryption " + settings.sse());
      }
      if (settings.blockPublicAccess()) {
        parts.add("public access blocked");
      }
      settings.lifecycleExpireDays().ifPresent(days -> parts.add("objects under '"
          + settings.lifecyclePrefix() + "' expire after " + days + " days"));
      return String.join(", ", parts);
    }

    private Map<String, String> tags(String bucket) {
      try {
        List<Tag> tags = call("read the tags of bucket '" + bucket + "'", bucket, null,
            () -> client.getBucketTagging(b -> b.bucket(bucket))).tagSet();
        return tags.stream().collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value,
            (a, b) -> b));
      } catch (ProviderException | NoSuchBucketException e) {
        // An untagged bucket answers 404 NoSuchTagSet, which map() takes for a missing bucket.
        if (e.getCause() instanceof S3Exception s3 && "NoSuchTagSet".equals(code(s3))) {
          return Map.of();
        }
        throw e;
      }
    }

    /** Adds the ownership tags, keeping the bucket's other tags. */
    private void tag(String bucket) {
      Map<String, String> tags = new java.util.TreeMap<>(tags(bucket));
      tags.put(MANAGED_BY, "edx");
      tags.put(ENVIRONMENT, environment());
      List<Tag> tagSet = tags.entrySet().stream()
          .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
      call("tag bucket '" + bucket + "'", bucket, null, () -> client.putBucketTagging(b -> b
          .bucket(bucket).tagging(Tagging.builder().tagSet(tagSet).build())));
    }

    /** Default encryption, public-access block and the lifecycle rule, as the spec says. */
    private void configure(String bucket) {
      if (!settings.sse().equals("none")) {
        call("set the default encryption of bucket '" + bucket + "'", bucket, null,
            () -> client.putBucketEncryption(b -> b.bucket(bucket)
                .serverSideEncryptionConfiguration(c -> c.rules(r -> r
                    .applyServerSideEncryptionByDefault(d -> {
                      d.sseAlgorithm(settings.sse());
                      settings.sseKmsKeyId().ifPresent(d::kmsMasterKeyID);
                    })))));
      }
      if (settings.blockPublicAccess()) {
        call("block public access to bucket '" + bucket + "'", bucket, null,
            () -> client.putPublicAccessBlock(b -> b.bucket(bucket)
                .publicAccessBlockConfiguration(PublicAccessBlockConfiguration.builder()
                    .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true)
                    .restrictPublicBuckets(true).build())));
      }
      if (settings.lifecycleExpireDays().isPresent()) {
        LifecycleRule rule = LifecycleRule.builder().id(LIFECYCLE_RULE_ID)
            .status(ExpirationStatus.ENABLED)
            .filter(LifecycleRuleFilter.builder().prefix(settings.lifecyclePrefix()).build())
            .expiration(LifecycleExpiration.builder()
                .days(settings.lifecycleExpireDays().getAsInt()).build())
            .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(7))
            .build();
        call("set the lifecycle of bucket '" + bucket + "'", bucket, null,
            () -> client.putBucketLifecycleConfiguration(b -> b.bucket(bucket)
                .lifecycleConfiguration(BucketLifecycleConfiguration.builder().rules(rule)
                    .build())));
      }
    }
  }

  // ---------------------------------------------------------------------------------- errors

  private <T> T call(String what, String bucket, String key, Supplier<T> call) {
    requireOpen();
    try {
      return call.get();
    } catch (EdxException | IllegalArgumentException e) {
      throw e;
    } catch (SdkException e) {
      throw map(e, what, bucket, key);
    } catch (UncheckedIOException e) {
      throw new ProviderException("Cannot " + what + " on " + settings.aws().where() + ": "
          + e.getMessage(), e);
    }
  }

  /** The semantic exception of an SDK failure; never with a credential in it. */
  EdxException map(SdkException e, String what, String bucket, String key) {
    String where = "Cannot " + what + " on " + settings.aws().where() + ": ";
    if (e instanceof S3Exception s3) {
      String code = code(s3);
      int status = s3.statusCode();
      String object = bucket + "/" + key;
      switch (code) {
        case "NoSuchBucket":
          return new NoSuchBucketException(bucket, where + "bucket '" + bucket
              + "' does not exist", e);
        case "NoSuchKey":
          return new NoSuchObjectException(object, where + "object " + object
              + " does not exist", e);
        case "BucketAlreadyExists", "BucketAlreadyOwnedByYou":
          return new BucketAlreadyExistsException(bucket, where + "bucket '" + bucket
              + "' already exists (" + code + ")", e);
        case "BucketNotEmpty":
          return new BucketNotEmptyException(bucket, where + "bucket '" + bucket
              + "' is not empty");
        case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken",
            "InvalidToken":
          return new AccessDeniedException(where + "access denied (" + code + "); check the"
              + " credentials and the permissions of " + settings.aws().credentials(), e);
        case "NotImplemented":
          return new ProviderException(where + "the store does not implement this call"
              + " (NotImplemented)", e);
        default:
          break;
      }
      if (status == 404 && bucket != null) {
        // HEAD answers carry no error code
        return key != null
            ? new NoSuchObjectException(object, where + "object " + object + " does not exist",
                e)
            : new NoSuchBucketException(bucket, where + "bucket '" + bucket
                + "' does not exist", e);
      }
      if (status == 403) {
        return new AccessDeniedException(where + "access denied (HTTP 403); check the"
            + " credentials and the permissions of " + settings.aws().credentials(), e);
      }
      return new ProviderException(where + (key == null ? "" : "object " + object + ": ")
          + (code.isEmpty() ? "HTTP " + status : code) + " " + message(s3), e);
    }
    if (e instanceof SdkClientException) {
      // A store may answer NoSuchBucket and close the connection while a request body is still
      // being sent: the client then sees only an I/O error. Ask whether the bucket exists.
      if (bucket != null && bucketMissing(bucket)) {
        return new NoSuchBucketException(bucket, where + "bucket '" + bucket
            + "' does not exist", e);
      }
      return new ProviderException(where + (key == null ? "" : "object " + bucket + "/" + key
          + ": ") + e.getMessage(), e);
    }
    return new ProviderException(where + e.getMessage(), e);
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

  static String code(S3Exception e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
        : e.awsErrorDetails().errorCode();
  }

  private static String message(S3Exception e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? ""
        : "(" + e.awsErrorDetails().errorMessage() + ")";
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("Cannot use the s3 storage on " + settings.aws().where()
          + ": it is closed");
    }
  }

  private static Optional<String> etag(String etag) {
    if (etag == null || etag.isEmpty()) {
      return Optional.empty();
    }
    String e = etag.startsWith("\"") && etag.endsWith("\"") && etag.length() >= 2
        ? etag.substring(1, etag.length() - 1) : etag;
    return e.isEmpty() ? Optional.empty() : Optional.of(e);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      client.close();
      LOG.debug("Closed the s3 storage on {}", settings.aws().where());
    }
  }

  /** Names the endpoint and the declared buckets; never the credentials. */
  @Override
  public String toString() {
    return "S3ObjectStorage{" + settings + "}";
  }
}
