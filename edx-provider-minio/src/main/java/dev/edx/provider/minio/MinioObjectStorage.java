package dev.edx.provider.minio;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.ObjectVersion;
import dev.edx.api.SupportsPresignedUrls;
import dev.edx.api.SupportsVersioning;
import dev.edx.api.exceptions.BucketAlreadyExistsException;
import dev.edx.api.exceptions.BucketNotEmptyException;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.NoSuchObjectException;
import dev.edx.api.exceptions.OperationStateUnknownException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.Provisioner;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.OwnedResourceProvisioner;
import io.minio.BucketExistsArgs;
import io.minio.ComposeObjectArgs;
import io.minio.ComposeSource;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetBucketLifecycleArgs;
import io.minio.GetBucketPolicyArgs;
import io.minio.GetBucketVersioningArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.RemoveBucketArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.SetBucketLifecycleArgs;
import io.minio.SetBucketPolicyArgs;
import io.minio.SetBucketVersioningArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.Bucket;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Expiration;
import io.minio.messages.Item;
import io.minio.messages.LifecycleConfiguration;
import io.minio.messages.LifecycleRule;
import io.minio.messages.RuleFilter;
import io.minio.messages.Status;
import io.minio.messages.VersioningConfiguration;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Object storage on MinIO or any S3-compatible store, through minio-java.
 *
 * <p>Puts stream: a stream of unknown length is uploaded in parts of {@code partSize} bytes, so at
 * most about one part is held in memory per upload. Listings page lazily through the store's
 * results. Every failure names the endpoint, the bucket and the key; the credentials appear in no
 * message, log line or {@code toString}.
 *
 * <p>Thread safe. {@link #close()} shuts down the HTTP client's threads and connections; the
 * storage cannot be used afterwards.
 */
final class MinioObjectStorage
    implements SupportsPresignedUrls, SupportsVersioning, Provisioner, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MinioObjectStorage.class);

  private static final String SERVICE = "storage";
  /** S3's limit for a single-request server-side copy; larger objects are copied in parts. */
  private static final long MAX_COPY_SIZE = 5L * 1024 * 1024 * 1024;
  private static final Duration MAX_PRESIGN = Duration.ofDays(7);
  private static final int DELETE_BATCH = 1000;
  /** Retries of an idempotent call after a transient failure (I/O error, 5xx, cut answer). */
  private static final int RETRIES = 5;
  /** The first retry's delay; each next one doubles it. */
  private static final long RETRY_BACKOFF_MILLIS = 50;
  /** The version id S3 gives objects written while a bucket was not versioned. */
  private static final String UNVERSIONED = "null";

  private final MinioSettings settings;
  private final OkHttpClient http;
  private final MinioClient client;
  private final MinioErrors errors;
  private final String environment;
  private final BucketProvisioner provisioner;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param settings the parsed spec
   * @param http the HTTP client, which {@link #close()} shuts down
   * @param environment the environment whose buckets the provisioner manages
   */
  MinioObjectStorage(MinioSettings settings, OkHttpClient http, String environment) {
    this.settings = requireNonNull(settings, "settings is null");
    this.http = requireNonNull(http, "http is null");
    this.environment = requireNonNull(environment, "environment is null");
    MinioClient.Builder builder = MinioClient.builder()
        .endpoint(settings.endpoint().toString())
        .region(settings.region())
        .httpClient(http, false);
    if (settings.accessKey().isPresent()) {
      builder.credentials(settings.accessKey().get(), settings.secretKey().orElseThrow());
    }
    this.client = builder.build();
    this.errors = new MinioErrors(settings.endpoint());
    this.provisioner = new BucketProvisioner(environment, settings.buckets().stream()
        .map(b -> new DeclaredResource(b.name(), b.adopt())).toList());
  }

  URI endpoint() {
    return settings.endpoint();
  }

  /** The HTTP client {@link #close()} shuts down; for tests. */
  OkHttpClient httpClient() {
    return http;
  }

  // ---------------------------------------------------------------------------------- buckets

  @Override
  public void createBucket(String bucket) {
    String what = "create bucket '" + bucket + "'";
    callOnce(what, bucket, null, () -> {
      client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
      return null;
    });
    LOG.info("Created bucket {} on {}", bucket, settings.endpoint());
  }

  @Override
  public boolean bucketExists(String bucket) {
    return call("check bucket '" + bucket + "'", bucket, null,
        () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
  }

  @Override
  public List<String> listBuckets() {
    List<Bucket> buckets = call("list buckets", null, null, client::listBuckets);
    return buckets.stream().map(Bucket::name).sorted().toList();
  }

  /** A bucket that holds nothing but edx's ownership marker counts as empty. */
  @Override
  public void deleteBucket(String bucket) {
    String what = "delete bucket '" + bucket + "'";
    try {
      callOnce(what, bucket, null, () -> {
        client.removeBucket(RemoveBucketArgs.builder().bucket(bucket).build());
        return null;
      });
    } catch (BucketNotEmptyException e) {
      try (Stream<ObjectVersion> data = dataVersions(bucket)) {
        if (data.findAny().isPresent()) {
          throw e;
        }
      }
      removeOwnerMarker(bucket);
      callOnce(what, bucket, null, () -> {
        client.removeBucket(RemoveBucketArgs.builder().bucket(bucket).build());
        return null;
      });
    }
    LOG.info("Deleted bucket {} on {}", bucket, settings.endpoint());
  }

  // ---------------------------------------------------------------------------------- objects

  @Override
  public ObjectInfo put(ObjectRef ref, InputStream data) {
    requireNonNull(ref, "ref is null");
    requireNonNull(data, "data is null");
    CountingInputStream counted = new CountingInputStream(data);
    ObjectWriteResponse response = callOnce("put " + ref, ref.bucket(), ref.key(),
        () -> client.putObject(PutObjectArgs.builder().bucket(ref.bucket()).object(ref.key())
            .stream(counted, -1, settings.partSize()).build()));
    LOG.debug("Put {} ({} bytes)", ref, counted.count());
    return new ObjectInfo(ref, counted.count(), responseTime(response.headers()),
        etag(response.etag()));
  }

  /** Puts a file; a transient failure is retried from the file's start. */
  @Override
  public ObjectInfo put(ObjectRef ref, java.nio.file.Path file) {
    requireNonNull(ref, "ref is null");
    requireNonNull(file, "file is null");
    return putReplayable(ref, () -> java.nio.file.Files.newInputStream(file));
  }

  /** Puts bytes; a transient failure is retried. */
  @Override
  public ObjectInfo put(ObjectRef ref, byte[] data) {
    requireNonNull(ref, "ref is null");
    requireNonNull(data, "data is null");
    return putReplayable(ref, () -> new java.io.ByteArrayInputStream(data));
  }

  private ObjectInfo putReplayable(ObjectRef ref, MinioCall<InputStream> source) {
    long[] size = new long[1];
    ObjectWriteResponse response = call("put " + ref, ref.bucket(), ref.key(), () -> {
      try (InputStream in = source.call()) {
        CountingInputStream counted = new CountingInputStream(in);
        ObjectWriteResponse r = client.putObject(PutObjectArgs.builder().bucket(ref.bucket())
            .object(ref.key()).stream(counted, -1, settings.partSize()).build());
        size[0] = counted.count();
        return r;
      }
    });
    LOG.debug("Put {} ({} bytes)", ref, size[0]);
    return new ObjectInfo(ref, size[0], responseTime(response.headers()),
        etag(response.etag()));
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
    GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(ref.bucket()).object(ref.key());
    if (offset > 0) {
      args.offset(offset);
    }
    if (length != Long.MAX_VALUE && offset + length > 0) {
      args.offset(offset).length(length);
    }
    try {
      io.minio.GetObjectResponse in = call(what, ref.bucket(), ref.key(),
          () -> client.getObject(args.build()));
      LOG.debug("Opened {} at offset {} for {} bytes", ref, offset, length);
      return new ResumingInputStream(ref, offset, length, in);
    } catch (ProviderException e) {
      if ("InvalidRange".equals(MinioErrors.code(e.getCause()))) {
        requireObject(ref, what); // the range starts at or past the end: nothing to read
        return InputStream.nullInputStream();
      }
      throw e;
    }
  }

  private void requireObject(ObjectRef ref, String what) {
    if (stat(ref).isEmpty()) {
      throw new NoSuchObjectException(ref.toString(),
          "Cannot " + what + " on " + settings.endpoint() + ": object " + ref + " does not exist");
    }
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectRef ref) {
    requireNonNull(ref, "ref is null");
    try {
      StatObjectResponse s = call("stat " + ref, ref.bucket(), ref.key(), () -> client.statObject(
          StatObjectArgs.builder().bucket(ref.bucket()).object(ref.key()).build()));
      return Optional.of(new ObjectInfo(ref, s.size(), instant(s.lastModified()),
          etag(s.etag())));
    } catch (dev.edx.api.exceptions.NotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public Stream<ObjectInfo> list(String bucket, String prefix) {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(prefix, "prefix is null");
    String what = "list " + bucket + "/" + prefix;
    Function<String, Iterable<Result<Item>>> listing = after -> {
      ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
          .recursive(true);
      if (after != null) {
        args.startAfter(after);
      }
      return client.listObjects(args.build());
    };
    LOG.debug("Listing {}/{}", bucket, prefix);
    // A listing cut by a transient failure restarts after the last key it returned.
    return lazily(listing, what, bucket, item -> item.isDir() || isOwnerMarker(item) ? null
        : new ObjectInfo(ObjectRef.of(bucket, item.objectName()), item.size(),
            instant(item.lastModified()), etag(item.etag())));
  }

  @Override
  public void delete(ObjectRef ref) {
    requireNonNull(ref, "ref is null");
    call("delete " + ref, ref.bucket(), ref.key(), () -> {
      client.removeObject(RemoveObjectArgs.builder().bucket(ref.bucket()).object(ref.key())
          .build());
      return null;
    });
    LOG.debug("Deleted {}", ref);
  }

  /** Deletes in batches of up to 1000 keys per request. */
  @Override
  public void deleteAll(String bucket, Collection<String> keys) {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(keys, "keys is null");
    List<DeleteObject> objects = new ArrayList<>(Math.min(keys.size(), DELETE_BATCH));
    for (String key : keys) {
      ObjectRef.of(bucket, key); // validates the key
      objects.add(new DeleteObject(key));
      if (objects.size() == DELETE_BATCH) {
        removeObjects(bucket, objects);
        objects.clear();
      }
    }
    if (!objects.isEmpty()) {
      removeObjects(bucket, objects);
    }
  }

  /** Runs one batch delete: minio-java's result is lazy, so it is consumed to its end. */
  private long removeObjects(String bucket, List<DeleteObject> objects) {
    String what = "delete " + objects.size() + " objects in bucket '" + bucket + "'";
    // Deleting is idempotent: a batch cut by a transient failure is sent again whole.
    List<String> failures = call(what, bucket, null, () -> {
      List<String> failed = new ArrayList<>();
      Iterable<Result<DeleteError>> results = client.removeObjects(
          RemoveObjectsArgs.builder().bucket(bucket).objects(List.copyOf(objects)).build());
      for (Result<DeleteError> result : results) {
        DeleteError error = result.get();
        if (!MinioErrors.NO_SUCH_OBJECT.contains(error.code())) {
          failed.add(error.objectName() + " (" + error.code() + ": " + error.message() + ")");
        }
      }
      return failed;
    });
    if (!failures.isEmpty()) {
      throw new ProviderException("Cannot " + what + " on " + settings.endpoint() + ": "
          + failures.size() + " failed, such as " + failures.subList(0, Math.min(5,
              failures.size())));
    }
    LOG.debug("Deleted {} objects in {}", objects.size(), bucket);
    return objects.size();
  }

  @Override
  public ObjectInfo copy(ObjectRef source, ObjectRef target) {
    requireNonNull(source, "source is null");
    requireNonNull(target, "target is null");
    String what = "copy " + source + " to " + target;
    ObjectInfo from = stat(source).orElseThrow(() -> new NoSuchObjectException(source.toString(),
        "Cannot " + what + " on " + settings.endpoint() + ": object " + source
            + " does not exist"));
    ObjectWriteResponse response = call(what, target.bucket(), target.key(), () -> {
      if (from.size() > MAX_COPY_SIZE) {
        return client.composeObject(ComposeObjectArgs.builder().bucket(target.bucket())
            .object(target.key()).sources(List.of(ComposeSource.builder()
                .bucket(source.bucket()).object(source.key()).build())).build());
      }
      return client.copyObject(CopyObjectArgs.builder().bucket(target.bucket())
          .object(target.key()).source(CopySource.builder().bucket(source.bucket())
              .object(source.key()).build()).build());
    });
    LOG.debug("Copied {} to {} ({} bytes)", source, target, from.size());
    return new ObjectInfo(target, from.size(), responseTime(response.headers()),
        etag(response.etag()).or(from::etag));
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
    requireNonNull(ref, "ref is null");
    requireNonNull(expiry, "expiry is null");
    if (expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(MAX_PRESIGN) > 0) {
      throw new IllegalArgumentException("Cannot presign " + method + " of " + ref
          + ": the expiry must be between 1 second and 7 days, not " + expiry);
    }
    String url = call("presign " + method + " of " + ref, ref.bucket(), ref.key(),
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

  private VersioningConfiguration.Status versioning(String bucket) {
    VersioningConfiguration config = call("read versioning of bucket '" + bucket + "'", bucket,
        null, () -> client.getBucketVersioning(GetBucketVersioningArgs.builder().bucket(bucket)
            .build()));
    return config == null || config.status() == null ? VersioningConfiguration.Status.OFF
        : config.status();
  }

  /** Every version, but not those of edx's ownership marker. */
  @Override
  public Stream<ObjectVersion> listVersions(String bucket, String prefix) {
    return versions(bucket, prefix).filter(v -> !v.ref().key().equals(MinioProperties.OWNER_KEY));
  }

  /**
   * Every version in the bucket, the ownership marker's included. A store that cannot list
   * versions (s3proxy on a folder answers NotImplemented) versions nothing: there, every object
   * is its one version, with the id {@value #UNVERSIONED}.
   */
  private Stream<ObjectVersion> allVersions(String bucket) {
    try {
      return versions(bucket, "");
    } catch (ProviderException e) {
      if (!MinioErrors.NOT_IMPLEMENTED.contains(MinioErrors.code(e.getCause()))) {
        throw e;
      }
      LOG.debug("{} lists no versions; listing the objects of {}", settings.endpoint(), bucket);
      Iterable<Result<Item>> results = client.listObjects(ListObjectsArgs.builder()
          .bucket(bucket).recursive(true).build());
      return lazily(results, "list " + bucket + "/", bucket, item -> item.isDir() ? null
          : new ObjectVersion(ObjectRef.of(bucket, item.objectName()), UNVERSIONED, true, false,
              item.size(), instant(item.lastModified()), etag(item.etag())));
    }
  }

  /** Every version but the ownership marker's, on any store (see {@link #allVersions}). */
  private Stream<ObjectVersion> dataVersions(String bucket) {
    return allVersions(bucket).filter(v -> !v.ref().key().equals(MinioProperties.OWNER_KEY));
  }

  private static boolean isOwnerMarker(Item item) {
    return MinioProperties.OWNER_KEY.equals(item.objectName());
  }

  private Stream<ObjectVersion> versions(String bucket, String prefix) {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(prefix, "prefix is null");
    Iterable<Result<Item>> results = client.listObjects(ListObjectsArgs.builder().bucket(bucket)
        .prefix(prefix).recursive(true).includeVersions(true).build());
    return lazily(results, "list versions of " + bucket + "/" + prefix, bucket,
        item -> item.isDir() ? null : new ObjectVersion(ObjectRef.of(bucket, item.objectName()),
            item.versionId() == null ? "null" : item.versionId(), item.isLatest(),
            item.isDeleteMarker(), item.isDeleteMarker() ? 0 : item.size(),
            instant(item.lastModified()), etag(item.etag())));
  }

  @Override
  public InputStream open(ObjectRef ref, String versionId) {
    requireNonNull(ref, "ref is null");
    requireNonNull(versionId, "versionId is null");
    String what = "open version " + versionId + " of " + ref;
    try {
      return call(what, ref.bucket(), ref.key(), () -> client.getObject(GetObjectArgs.builder()
          .bucket(ref.bucket()).object(ref.key()).versionId(versionId).build()));
    } catch (ProviderException e) {
      // A delete marker answers 405, and a malformed version id 400: there is no such version.
      String code = MinioErrors.code(e.getCause());
      if ("MethodNotAllowed".equals(code) || "InvalidArgument".equals(code)) {
        throw new NoSuchObjectException(ref.toString(), "Cannot " + what + " on "
            + settings.endpoint() + ": no such version to read (" + code + ")", e.getCause());
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------------------ provisioner

  /**
   * Ownership first ({@link BucketProvisioner}: create, adopt, delete when no longer declared,
   * drift, destroy), then a settings pass over the declared buckets this environment owns: a
   * versioning, policy or lifecycle that differs from the spec is an {@code UPDATE} of that
   * bucket. Buckets edx does not own keep their settings.
   */
  @Override
  public List<Change> plan() {
    requireOpen();
    return withSettings(provisioner.plan(), false);
  }

  @Override
  public List<Change> apply() {
    requireOpen();
    return withSettings(provisioner.apply(), true);
  }

  @Override
  public List<Change> destroy(DataPolicy policy) {
    requireNonNull(policy, "policy is null");
    requireOpen();
    return provisioner.destroy(policy);
  }

  /**
   * Adds the settings differences of owned declared buckets to the ownership changes. A new
   * bucket got its settings in {@link BucketProvisioner#create} (its CREATE names them); an
   * existing one this environment owns, or adopts, is compared and, when {@code apply}, updated.
   */
  private List<Change> withSettings(List<Change> ownership, boolean apply) {
    List<Change> changes = new ArrayList<>(ownership);
    for (BucketSpec bucket : settings.buckets()) {
      if (!bucket.hasSettings()) {
        continue;
      }
      String resource = "bucket " + bucket.name();
      int index = -1;
      for (int i = 0; i < changes.size(); i++) {
        if (changes.get(i).resource().equals(resource)) {
          index = i;
          break;
        }
      }
      Change current = changes.get(index);
      if (current.action() == Change.Action.CREATE) {
        continue;
      }
      Optional<String> owner = provisioner.owner(bucket.name());
      boolean managed = owner.filter(environment::equals).isPresent()
          || owner.isEmpty() && bucket.adopt() && !apply; // the plan of an adoption
      if (!managed) {
        continue;
      }
      List<String> differences = settingsDifferences(bucket, apply);
      if (differences.isEmpty()) {
        continue;
      }
      String detail = String.join(", ", differences);
      changes.set(index, new Change(current.service(), current.resource(), Change.Action.UPDATE,
          current.action() == Change.Action.UPDATE ? current.detail() + "; " + detail : detail));
      if (apply) {
        LOG.info("Updated bucket {} on {}: {}", bucket.name(), settings.endpoint(), detail);
      }
    }
    return List.copyOf(changes);
  }

  /** How an existing bucket's settings differ from the spec; made so as well when {@code apply}. */
  private List<String> settingsDifferences(BucketSpec bucket, boolean apply) {
    String name = bucket.name();
    List<String> differences = new ArrayList<>();
    if (bucket.versioning().isPresent()) {
      VersioningConfiguration.Status status = versioning(name);
      boolean enabled = status == VersioningConfiguration.Status.ENABLED;
      if (enabled != bucket.versioning().get()) {
        differences.add("versioning " + (status == VersioningConfiguration.Status.OFF ? "off"
            : status.toString().toLowerCase(java.util.Locale.ROOT)) + " -> "
            + (bucket.versioning().get() ? "enabled" : "suspended"));
        if (apply) {
          applyVersioning(bucket);
        }
      }
    }
    if (bucket.policy().isPresent()) {
      Optional<JsonNode> current = currentPolicy(name);
      Optional<JsonNode> desired = BucketSpec.parseJson(bucket.policy().get());
      if (!current.equals(desired)) {
        differences.add(current.isEmpty() ? "policy none -> set" : "policy changed");
        if (apply) {
          applyPolicy(bucket);
        }
      }
    }
    if (bucket.lifecycle().isPresent()) {
      Optional<BucketSpec.Lifecycle> current = currentLifecycle(name);
      if (!current.equals(bucket.lifecycle())) {
        differences.add("lifecycle " + current.map(Object::toString).orElse("none") + " -> "
            + bucket.lifecycle().get());
        if (apply) {
          applyLifecycle(bucket);
        }
      }
    }
    return differences;
  }

  private static String describeNew(BucketSpec bucket) {
    List<String> parts = new ArrayList<>();
    bucket.versioning().ifPresent(v -> parts.add("versioning " + (v ? "enabled" : "suspended")));
    bucket.policy().ifPresent(p -> parts.add("policy"));
    bucket.lifecycle().ifPresent(l -> parts.add("lifecycle " + l));
    return parts.isEmpty() ? "new bucket" : "new bucket with " + String.join(", ", parts);
  }

  private void applyVersioning(BucketSpec bucket) {
    if (bucket.versioning().isEmpty()) {
      return;
    }
    VersioningConfiguration.Status status = bucket.versioning().get()
        ? VersioningConfiguration.Status.ENABLED : VersioningConfiguration.Status.SUSPENDED;
    if (!bucket.versioning().get() && versioning(bucket.name())
        == VersioningConfiguration.Status.OFF) {
      return; // never versioned: nothing to suspend
    }
    call("set versioning of bucket '" + bucket.name() + "'", bucket.name(), null, () -> {
      client.setBucketVersioning(SetBucketVersioningArgs.builder().bucket(bucket.name())
          .config(new VersioningConfiguration(status, null)).build());
      return null;
    });
  }

  private Optional<JsonNode> currentPolicy(String bucket) {
    String policy = call("read the policy of bucket '" + bucket + "'", bucket, null,
        () -> client.getBucketPolicy(GetBucketPolicyArgs.builder().bucket(bucket).build()));
    return policy == null || policy.isBlank() ? Optional.empty()
        : BucketSpec.parseJson(policy);
  }

  private void applyPolicy(BucketSpec bucket) {
    bucket.policy().ifPresent(policy -> call("set the policy of bucket '" + bucket.name() + "'",
        bucket.name(), null, () -> {
          client.setBucketPolicy(SetBucketPolicyArgs.builder().bucket(bucket.name())
              .config(policy).build());
          return null;
        }));
  }

  private Optional<LifecycleConfiguration> lifecycleConfiguration(String bucket) {
    return Optional.ofNullable(call("read the lifecycle of bucket '" + bucket + "'", bucket, null,
        () -> client.getBucketLifecycle(GetBucketLifecycleArgs.builder().bucket(bucket).build())));
  }

  private Optional<BucketSpec.Lifecycle> currentLifecycle(String bucket) {
    return lifecycleConfiguration(bucket).stream()
        .flatMap(c -> c.rules() == null ? Stream.empty() : c.rules().stream())
        .filter(r -> BucketSpec.Lifecycle.RULE_ID.equals(r.id()) && r.status() == Status.ENABLED
            && r.expiration() != null && r.expiration().days() != null)
        .findFirst()
        .map(r -> new BucketSpec.Lifecycle(r.expiration().days(), rulePrefix(r)));
  }

  private static String rulePrefix(LifecycleRule rule) {
    return rule.filter() == null || rule.filter().prefix() == null ? "" : rule.filter().prefix();
  }

  /** Sets edx's rule, keeping the bucket's other rules. */
  private void applyLifecycle(BucketSpec bucket) {
    if (bucket.lifecycle().isEmpty()) {
      return;
    }
    BucketSpec.Lifecycle lifecycle = bucket.lifecycle().get();
    String what = "set the lifecycle of bucket '" + bucket.name() + "'";
    List<LifecycleRule> rules = new ArrayList<>();
    lifecycleConfiguration(bucket.name()).ifPresent(c -> {
      if (c.rules() != null) {
        c.rules().stream().filter(r -> !BucketSpec.Lifecycle.RULE_ID.equals(r.id()))
            .forEach(rules::add);
      }
    });
    rules.add(new LifecycleRule(Status.ENABLED, null,
        new Expiration((ZonedDateTime) null, lifecycle.expireDays(), null),
        new RuleFilter(lifecycle.prefix()), BucketSpec.Lifecycle.RULE_ID, null, null, null));
    call(what, bucket.name(), null, () -> {
      client.setBucketLifecycle(SetBucketLifecycleArgs.builder().bucket(bucket.name())
          .config(new LifecycleConfiguration(rules)).build());
      return null;
    });
  }

  /**
   * The shared ownership algorithm ({@link OwnedResourceProvisioner}) over buckets. A bucket is
   * owned by the environment named in its object {@value MinioProperties#OWNER_KEY}.
   *
   * <p>Why an object and not bucket tags ({@code managed-by=edx}, {@code
   * edx.dev/environment=<name>}): s3proxy, the embedded endpoint of edx's tests and of {@code
   * @EdxTest}, answers bucket tagging with NotImplemented ("Unknown parameters tagging", checked
   * against 4.1.0), while an object works on s3proxy, MinIO and any S3 store, with no permission
   * beyond reading and writing objects. The marker is hidden from {@link #list} and {@link
   * #listVersions}, is not counted as data, and its name starts with a dot, so Hadoop and Spark
   * treat it as a hidden file.
   *
   * <p>S3 cannot mark a bucket before it exists, so {@link #create} makes the bucket and writes
   * the marker at once; if the marker cannot be written, the new empty bucket is removed again
   * and the next apply starts over. Only a process killed between the two requests leaves an
   * empty unmarked bucket, which a plan then reports as not managed by edx ({@code adopt: true}
   * takes it over).
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
      ObjectRef marker = ObjectRef.of(name, MinioProperties.OWNER_KEY);
      if (stat(marker).isEmpty()) {
        return Optional.empty();
      }
      String owner = new String(readAllBytes(marker), StandardCharsets.UTF_8).strip();
      return owner.isEmpty() ? Optional.empty() : Optional.of(owner);
    }

    /** Buckets whose marker names this environment; buckets this key cannot read are skipped. */
    @Override
    protected Collection<String> existing() {
      return listBuckets();
    }

    @Override
    protected void create(String name) {
      BucketSpec bucket = declared(name);
      try {
        createBucket(name);
      } catch (BucketAlreadyExistsException e) {
        // Created since the plan read it: by whom is unknown, so it is not claimed.
        throw new ProviderException("Cannot create bucket '" + name + "' on "
            + settings.endpoint() + ": it appeared while applying; apply again to see whether"
            + " edx manages it", e);
      }
      try {
        markOwner(name);
      } catch (RuntimeException e) {
        try {
          deleteBucket(name);
        } catch (RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
        throw e;
      }
      applyVersioning(bucket);
      applyPolicy(bucket);
      applyLifecycle(bucket);
    }

    @Override
    protected void adopt(String name) {
      markOwner(name);
      LOG.info("Adopted bucket {} on {} for environment {}", name, settings.endpoint(),
          environment());
    }

    /** Every version of every object but the marker: an unversioned object is one version. */
    @Override
    protected long dataCount(String name) {
      try (Stream<ObjectVersion> versions = dataVersions(name)) {
        return versions.count();
      }
    }

    @Override
    protected String dataUnit() {
      return "object versions";
    }

    /** Deletes every version, the marker's last, then the bucket. */
    @Override
    protected void delete(String name) {
      List<DeleteObject> batch = new ArrayList<>();
      long deleted = 0;
      try (Stream<ObjectVersion> all = allVersions(name)) {
        Iterator<ObjectVersion> versions = all.iterator();
        while (versions.hasNext()) {
          ObjectVersion v = versions.next();
          if (v.ref().key().equals(MinioProperties.OWNER_KEY)) {
            continue;
          }
          batch.add(deleteObject(v));
          if (batch.size() == DELETE_BATCH) {
            deleted += removeObjects(name, batch);
            batch.clear();
          }
        }
      }
      if (!batch.isEmpty()) {
        deleted += removeObjects(name, batch);
      }
      removeOwnerMarker(name);
      call("delete bucket '" + name + "'", name, null, () -> {
        client.removeBucket(RemoveBucketArgs.builder().bucket(name).build());
        return null;
      });
      LOG.info("Deleted bucket {} on {} ({} object versions)", name, settings.endpoint(), deleted);
    }

    @Override
    protected String describeCreate(String name) {
      return describeNew(declared(name));
    }

    private void markOwner(String name) {
      byte[] mark = (environment() + "\n").getBytes(StandardCharsets.UTF_8);
      try {
        put(ObjectRef.of(name, MinioProperties.OWNER_KEY), mark);
      } catch (RuntimeException e) {
        throw new ProviderException("Cannot mark bucket '" + name + "' as owned by environment '"
            + environment() + "' with object " + MinioProperties.OWNER_KEY + " on "
            + settings.endpoint() + ": " + e.getMessage(), e);
      }
    }

    private BucketSpec declared(String name) {
      return settings.buckets().stream().filter(b -> b.name().equals(name)).findFirst()
          .orElseGet(() -> BucketSpec.named(name));
    }
  }

  /** Removes every version of the ownership marker. */
  private void removeOwnerMarker(String bucket) {
    List<DeleteObject> marker;
    try (Stream<ObjectVersion> all = allVersions(bucket)) {
      marker = all.filter(v -> v.ref().key().equals(MinioProperties.OWNER_KEY))
          .map(MinioObjectStorage::deleteObject).toList();
    }
    if (!marker.isEmpty()) {
      removeObjects(bucket, marker);
    }
  }

  /**
   * Deletes one version for good: with its id, {@code null} included, since a key-only delete in
   * a versioned bucket would add a delete marker instead of removing an object written before
   * versioning was enabled.
   */
  private static DeleteObject deleteObject(ObjectVersion v) {
    return new DeleteObject(v.ref().key(), v.versionId());
  }

  // ---------------------------------------------------------------------------------- helpers

  /** A call to minio-java that may throw any of its checked exceptions. */
  @FunctionalInterface
  private interface MinioCall<T> {
    T call() throws Exception;
  }

  /**
   * Runs an idempotent call, retrying transient failures (I/O errors, 5xx answers, a body cut
   * short) up to {@link #RETRIES} times with exponential backoff.
   */
  private <T> T call(String what, String bucket, String key, MinioCall<T> call) {
    return call(what, bucket, key, true, call);
  }

  /** Runs a call that must not be repeated blindly (its input is consumed, or not idempotent). */
  private <T> T callOnce(String what, String bucket, String key, MinioCall<T> call) {
    return call(what, bucket, key, false, call);
  }

  private <T> T call(String what, String bucket, String key, boolean retry, MinioCall<T> call) {
    requireOpen();
    for (int attempt = 0; ; attempt++) {
      try {
        return call.call();
      } catch (EdxException | IllegalArgumentException e) {
        throw e;
      } catch (Exception e) {
        if (!retry || attempt >= RETRIES || !transientFailure(e)) {
          throw errors.map(e, what, bucket, key);
        }
        LOG.debug("Retrying {} after a transient failure (attempt {}): {}", what, attempt + 1,
            e.toString());
        backoff(attempt);
      }
    }
  }

  /** Whether {@code e} may pass on a retry: I/O errors, 5xx answers, unreadable answers. */
  static boolean transientFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException || t instanceof io.minio.errors.ServerException
          || t instanceof io.minio.errors.InvalidResponseException
          || t instanceof io.minio.errors.XmlParserException) {
        return true;
      }
      if (t instanceof io.minio.errors.ErrorResponseException r) {
        String code = r.errorResponse() == null ? "" : r.errorResponse().code();
        int status = r.response() == null ? 0 : r.response().code();
        return status >= 500 || TRANSIENT_CODES.contains(code);
      }
    }
    return false;
  }

  private static final java.util.Set<String> TRANSIENT_CODES = java.util.Set.of("SlowDown",
      "InternalError", "ServiceUnavailable", "RequestTimeout");

  private static void backoff(int attempt) {
    try {
      Thread.sleep(RETRY_BACKOFF_MILLIS << Math.min(attempt, 6));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationStateUnknownException("Cannot retry: interrupted", e);
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("Cannot use the minio storage on " + settings.endpoint()
          + ": it is closed");
    }
  }

  /** A lazy stream over minio-java's paginated results; the first page is fetched now. */
  private <T> Stream<T> lazily(Iterable<Result<Item>> results, String what, String bucket,
      Function<Item, T> convert) {
    return stream(new ResultIterator<>(results.iterator(), null, what, bucket, convert));
  }

  /** As above, re-listing after the last key returned when a page fails transiently. */
  private <T> Stream<T> lazily(Function<String, Iterable<Result<Item>>> listing, String what,
      String bucket, Function<Item, T> convert) {
    return stream(new ResultIterator<>(listing.apply(null).iterator(), listing, what, bucket,
        convert));
  }

  private static <T> Stream<T> stream(Iterator<T> iterator) {
    iterator.hasNext(); // surfaces a missing bucket or refused credentials here
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator,
        Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  private final class ResultIterator<T> implements Iterator<T> {
    private Iterator<Result<Item>> results;
    private final Function<String, Iterable<Result<Item>>> relist;
    private final String what;
    private final String bucket;
    private final Function<Item, T> convert;
    private T next;
    private String lastKey;
    private int failures;

    ResultIterator(Iterator<Result<Item>> results,
        Function<String, Iterable<Result<Item>>> relist, String what, String bucket,
        Function<Item, T> convert) {
      this.results = results;
      this.relist = relist;
      this.what = what;
      this.bucket = bucket;
      this.convert = convert;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        Item item;
        try {
          boolean more = callOnce(what, bucket, null, results::hasNext);
          if (!more) {
            return false;
          }
          item = callOnce(what, bucket, null, () -> results.next().get());
        } catch (ProviderException e) {
          if (relist == null || failures++ >= RETRIES
              || !transientFailure(e.getCause())) {
            throw e;
          }
          LOG.debug("Listing again after {}: {}", lastKey, e.toString());
          backoff(failures - 1);
          results = relist.apply(lastKey).iterator();
          continue;
        }
        failures = 0;
        lastKey = item.objectName();
        next = convert.apply(item);
      }
      return true;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      T result = next;
      next = null;
      return result;
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

  private static Instant instant(ZonedDateTime time) {
    return time == null ? Instant.now() : time.toInstant();
  }

  /** The server's time of a write, from its {@code Date} header. */
  private static Instant responseTime(Headers headers) {
    Date date = headers == null ? null : headers.getDate("Date");
    return date == null ? Instant.now() : date.toInstant();
  }

  /**
   * An object's content that survives a connection lost mid-body: it re-opens the object (the
   * same version, by etag) at the first byte not yet read, up to
   * {@link #RETRIES} times in a row.
   */
  private final class ResumingInputStream extends InputStream {
    private final ObjectRef ref;
    private final long end;
    private final String etag;
    private InputStream in;
    private long position;
    private int failures;

    ResumingInputStream(ObjectRef ref, long offset, long length, io.minio.GetObjectResponse in) {
      this.ref = ref;
      this.position = offset;
      this.end = length == Long.MAX_VALUE ? Long.MAX_VALUE : offset + length;
      this.in = in;
      String e = in.headers() == null ? null : in.headers().get("ETag");
      this.etag = e == null ? null : e.replace("\"", "");
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      while (true) {
        try {
          int n = in.read(buffer, offset, length);
          if (n > 0) {
            position += n;
            failures = 0;
          }
          return n;
        } catch (IOException e) {
          if (etag == null || position >= end || failures++ >= RETRIES) {
            throw e;
          }
          LOG.debug("Resuming {} at byte {} after: {}", ref, position, e.toString());
          try {
            in.close();
          } catch (IOException closeFailure) {
            e.addSuppressed(closeFailure);
          }
          backoff(failures - 1);
          GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(ref.bucket())
              .object(ref.key()).matchETag(etag).offset(position);
          if (end != Long.MAX_VALUE) {
            args.length(end - position);
          }
          try {
            in = call("resume " + ref, ref.bucket(), ref.key(),
                () -> client.getObject(args.build()));
          } catch (ProviderException reopenFailure) {
            e.addSuppressed(reopenFailure);
            throw e;
          }
        }
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Counts what minio-java reads, and keeps it from closing the caller's stream. */
  private static final class CountingInputStream extends FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() {
      // the caller owns the stream
    }
  }

  /** Shuts down the HTTP client's dispatcher threads and closes its pooled connections. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
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
