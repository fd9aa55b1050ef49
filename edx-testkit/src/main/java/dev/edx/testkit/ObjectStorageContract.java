package dev.edx.testkit;

import static dev.edx.testkit.TestStreams.bytes;
import static dev.edx.testkit.TestStreams.digest;
import static dev.edx.testkit.TestStreams.read;
import static dev.edx.testkit.TestStreams.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.exceptions.AccessDeniedException;
import dev.edx.api.exceptions.BucketAlreadyExistsException;
import dev.edx.api.exceptions.BucketNotEmptyException;
import dev.edx.api.exceptions.NoSuchBucketException;
import dev.edx.api.exceptions.NoSuchObjectException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.testkit.TestStreams.FilledInputStream;
import dev.edx.testkit.TestStreams.GeneratedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link ObjectStorage} keeps. A provider's test extends it, supplies {@link
 * #storage()}, and overrides {@link #supports} where the provider differs from {@link
 * EdxCapability}'s defaults. It assumes nothing about how objects are stored.
 *
 * <p>Buckets are named {@code edx-<random6>-<n>}, one random part per run, so leftovers of an
 * interrupted run can be found and removed; each test deletes the buckets it created.
 *
 * @param <S> the storage under test
 */
public abstract class ObjectStorageContract<S extends ObjectStorage> {

  /** The prefix of every bucket this run creates. */
  protected static final String RUN_PREFIX = "edx-" + randomSuffix() + "-";

  private static final AtomicInteger BUCKET_COUNTER = new AtomicInteger();
  private static final int MIB = 1024 * 1024;

  private final List<String> createdBuckets = new ArrayList<>();
  private String bucket;

  /** The storage under test; the same instance for the whole test method. */
  protected abstract S storage();

  /**
   * Whether the provider has a capability; defaults to {@link EdxCapability#defaultSupported()}.
   */
  protected boolean supports(EdxCapability capability) {
    return capability.defaultSupported();
  }

  /** How long {@link #awaitConsistent} retries: raise it for eventually consistent stores. */
  protected Duration consistencyTimeout() {
    return Duration.ofSeconds(5);
  }

  /**
   * A new empty bucket for one test. Providers that cannot create buckets override this to hand
   * out (and empty) pre-existing ones.
   */
  protected String newBucket() {
    String name = RUN_PREFIX + BUCKET_COUNTER.incrementAndGet();
    storage().createBucket(name);
    createdBuckets.add(name);
    return name;
  }

  /** A fresh bucket name that does not exist. */
  protected String missingBucketName() {
    return RUN_PREFIX + "missing-" + BUCKET_COUNTER.incrementAndGet();
  }

  /**
   * Retries an assertion until it passes or {@link #consistencyTimeout()} is over, for stores whose
   * listings or reads lag behind writes; rethrows the last failure.
   */
  protected void awaitConsistent(Runnable assertion) {
    Consistency.awaitConsistent(consistencyTimeout(), assertion);
  }

  /** The test's own bucket, created on first use (after the subclass's set-up has run). */
  private String bucket() {
    if (bucket == null) {
      bucket = newBucket();
    }
    return bucket;
  }

  @AfterEach
  void deleteTestBuckets() {
    for (String name : createdBuckets) {
      try {
        if (storage().bucketExists(name)) {
          List<String> keys;
          try (Stream<ObjectInfo> objects = storage().list(name, "")) {
            keys = objects.map(o -> o.ref().key()).collect(Collectors.toList());
          }
          storage().deleteAll(name, keys);
          storage().deleteBucket(name);
        }
      } catch (RuntimeException e) {
        System.err.println("Cannot clean up bucket " + name + ": " + e);
      }
    }
    createdBuckets.clear();
    bucket = null;
  }

  private ObjectRef ref(String key) {
    return ObjectRef.of(bucket(), key);
  }

  private List<String> keys(String prefix) {
    try (Stream<ObjectInfo> objects = storage().list(bucket(), prefix)) {
      return objects.map(o -> o.ref().key()).collect(Collectors.toList());
    }
  }

  // ------------------------------------------------------------------------------ buckets

  @Test
  void bucketLifecycle() {
    if (!supports(EdxCapability.STORAGE_CREATE_BUCKETS)) {
      String name = missingBucketName();
      assertThat(catchThrowable(() -> storage().createBucket(name)))
          .isInstanceOfAny(UnsupportedOperationException.class, AccessDeniedException.class);
      return;
    }
    String name = missingBucketName();
    assertThat(storage().bucketExists(name)).isFalse();
    storage().createBucket(name);
    createdBuckets.add(name);
    awaitConsistent(() -> {
      assertThat(storage().bucketExists(name)).isTrue();
      assertThat(storage().listBuckets()).contains(name, bucket());
    });
    storage().deleteBucket(name);
    awaitConsistent(() -> {
      assertThat(storage().bucketExists(name)).isFalse();
      assertThat(storage().listBuckets()).doesNotContain(name).contains(bucket());
    });
  }

  @Test
  void listBucketsIsSorted() {
    String own = bucket();
    List<String> buckets = storage().listBuckets();
    assertThat(buckets).contains(own).isSortedAccordingTo(Comparator.naturalOrder());
  }

  @Test
  void createExistingBucketFailsNamingIt() {
    assumeTrue(supports(EdxCapability.STORAGE_CREATE_BUCKETS));
    assertThatThrownBy(() -> storage().createBucket(bucket()))
        .isInstanceOfSatisfying(BucketAlreadyExistsException.class,
            e -> assertThat(e.name()).isEqualTo(bucket()))
        .hasMessageContaining(bucket());
  }

  @Test
  void deleteMissingBucketFailsNamingIt() {
    String missing = missingBucketName();
    assertThatThrownBy(() -> storage().deleteBucket(missing))
        .isInstanceOfSatisfying(NoSuchBucketException.class,
            e -> assertThat(e.name()).isEqualTo(missing))
        .hasMessageContaining(missing);
  }

  @Test
  void deleteNonEmptyBucketIsRefusedAndLosesNothing() {
    storage().put(ref("keep/me"), bytes("precious"));
    assertThatThrownBy(() -> storage().deleteBucket(bucket()))
        .isInstanceOfSatisfying(BucketNotEmptyException.class,
            e -> assertThat(e.bucket()).isEqualTo(bucket()))
        .hasMessageContaining(bucket());
    assertThat(storage().bucketExists(bucket())).isTrue();
    assertThat(storage().readAllBytes(ref("keep/me"))).isEqualTo(bytes("precious"));
  }

  // ------------------------------------------------------------------------------ objects

  @Test
  void putAndGetRoundTripFromStreamOfUnknownLength() throws IOException {
    GeneratedInputStream data = new GeneratedInputStream(300_001, 7);
    ObjectInfo info = storage().put(ref("dir/object.bin"), data);

    assertThat(data.closed()).as("put must not close the caller's stream").isFalse();
    assertThat(info.ref()).isEqualTo(ref("dir/object.bin"));
    assertThat(info.size()).isEqualTo(300_001);
    try (InputStream in = storage().open(ref("dir/object.bin"))) {
      assertThat(digest(in)).isEqualTo(digest(new GeneratedInputStream(300_001, 7)));
    }
  }

  @Test
  void putOfAKnownLengthStoresExactlyThoseBytes() throws IOException {
    GeneratedInputStream data = new GeneratedInputStream(300_001, 8);
    ObjectInfo info = storage().put(ref("known.bin"), data, 300_001);

    assertThat(data.closed()).as("put must not close the caller's stream").isFalse();
    assertThat(info.size()).isEqualTo(300_001);
    try (InputStream in = storage().open(ref("known.bin"))) {
      assertThat(digest(in)).isEqualTo(digest(new GeneratedInputStream(300_001, 8)));
    }
    assertThat(storage().put(ref("known-empty"), InputStream.nullInputStream(), 0).size())
        .isZero();
  }

  /**
   * A stream that ends before the length declared, or holds more, fails the put naming the
   * declared length, and writes nothing: not the object, not part of it.
   */
  @Test
  void putOfAKnownLengthRefusesAStreamOfAnotherLength() {
    for (long declared : List.of(300_002L, 300_000L)) {
      String key = "wrong-length-" + declared;
      Throwable thrown = catchThrowable(() -> storage().put(ref(key),
          new GeneratedInputStream(300_001, 9), declared));
      assertThat(thrown).as("declared " + declared + " for 300001 bytes")
          .isInstanceOf(RuntimeException.class);
      assertThat(messages(thrown)).as("declared " + declared)
          .contains(declared + " bytes declared");
      assertThat(storage().stat(ref(key))).as("declared " + declared).isEmpty();
    }
  }

  /** The messages of a failure and of its causes, one string. */
  private static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append(" / ");
    }
    return sb.toString();
  }

  @Test
  void putEmptyObject() {
    ObjectInfo info = storage().put(ref("empty"), new byte[0]);
    assertThat(info.size()).isZero();
    assertThat(storage().readAllBytes(ref("empty"))).isEmpty();
    assertThat(storage().stat(ref("empty"))).hasValueSatisfying(s -> assertThat(s.size()).isZero());
  }

  @Test
  void putOverwrites() {
    storage().put(ref("k"), bytes("first version, longer"));
    storage().put(ref("k"), bytes("second"));
    awaitConsistent(() -> assertThat(storage().readAllBytes(ref("k"))).isEqualTo(bytes("second")));
    assertThat(storage().stat(ref("k"))).hasValueSatisfying(i -> assertThat(i.size()).isEqualTo(6));
    assertThat(keys("")).containsExactly("k");
  }

  @Test
  void putIntoMissingBucketFailsNamingIt() {
    String missing = missingBucketName();
    assertThatThrownBy(() -> storage().put(ObjectRef.of(missing, "k"), bytes("x")))
        .isInstanceOfSatisfying(NoSuchBucketException.class,
            e -> assertThat(e.name()).isEqualTo(missing));
  }

  @Test
  void statOfPresentAndAbsentObjects() {
    Instant before = Instant.now().minus(Duration.ofMinutes(5));
    ObjectInfo put = storage().put(ref("a/stat.txt"), bytes("12345"));

    Optional<ObjectInfo> stat = storage().stat(ref("a/stat.txt"));
    assertThat(stat).isPresent();
    assertThat(stat.get().ref()).isEqualTo(ref("a/stat.txt"));
    assertThat(stat.get().size()).isEqualTo(5);
    assertThat(stat.get().lastModified()).isAfter(before)
        .isBefore(Instant.now().plus(Duration.ofMinutes(5)));
    if (supports(EdxCapability.STORAGE_ETAGS)) {
      assertThat(stat.get().etag()).isPresent();
      assertThat(put.etag()).isEqualTo(stat.get().etag());
    } else {
      assertThat(stat.get().etag()).isEmpty();
    }

    assertThat(storage().stat(ref("a/absent.txt"))).isEmpty();
    assertThat(storage().stat(ref("a"))).as("a prefix is not an object").isEmpty();
  }

  @Test
  void etagChangesWithContent() {
    if (!supports(EdxCapability.STORAGE_ETAGS)) {
      // Documented: a store without etags reports none, rather than a made-up one.
      assertThat(storage().put(ref("e"), bytes("one")).etag()).isEmpty();
      assertThat(storage().stat(ref("e")).orElseThrow().etag()).isEmpty();
      return;
    }
    String first = storage().put(ref("e"), bytes("one")).etag().orElseThrow();
    String second = storage().put(ref("e"), bytes("two")).etag().orElseThrow();
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void rangedReads() {
    byte[] data = new byte[100];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    storage().put(ref("range"), data);

    assertThat(read(storage().open(ref("range"), 10, 20)))
        .isEqualTo(Arrays.copyOfRange(data, 10, 30));
    assertThat(read(storage().open(ref("range"), 0, 1))).containsExactly(0);
    assertThat(read(storage().open(ref("range"), 90, 50)))
        .as("a range past the end stops at the end").isEqualTo(Arrays.copyOfRange(data, 90, 100));
    assertThat(read(storage().open(ref("range"), 99, Long.MAX_VALUE))).containsExactly(99);
    assertThat(read(storage().open(ref("range"), 100, 10))).as("offset at the end").isEmpty();
    assertThat(read(storage().open(ref("range"), 500, 10))).as("offset beyond the end").isEmpty();
    assertThat(read(storage().open(ref("range"), 5, 0))).as("zero length").isEmpty();
    assertThatThrownBy(() -> storage().open(ref("range"), -1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage().open(ref("range"), 0, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void missingObjectsFailNamingThem() {
    ObjectRef missing = ref("no/such/object");
    assertThatThrownBy(() -> read(storage().open(missing)))
        .isInstanceOfSatisfying(NoSuchObjectException.class,
            e -> assertThat(e.name()).isEqualTo(bucket() + "/no/such/object"))
        .hasMessageContaining(bucket() + "/no/such/object");
    assertThatThrownBy(() -> read(storage().open(missing, 1, 2)))
        .isInstanceOfSatisfying(NoSuchObjectException.class,
            e -> assertThat(e.name()).isEqualTo(bucket() + "/no/such/object"));
    assertThatThrownBy(() -> storage().copy(missing, ref("target")))
        .isInstanceOfSatisfying(NoSuchObjectException.class,
            e -> assertThat(e.name()).isEqualTo(bucket() + "/no/such/object"));
    assertThat(storage().stat(ref("target"))).as("a failed copy writes nothing").isEmpty();
  }

  @Test
  void missingBucketsFailNamingThem() {
    String missing = missingBucketName();
    assertThatThrownBy(() -> read(storage().open(ObjectRef.of(missing, "k"))))
        .isInstanceOfSatisfying(NoSuchBucketException.class,
            e -> assertThat(e.name()).isEqualTo(missing));
    assertThatThrownBy(() -> {
      try (Stream<ObjectInfo> objects = storage().list(missing, "")) {
        objects.count();
      }
    }).isInstanceOfSatisfying(NoSuchBucketException.class,
        e -> assertThat(e.name()).isEqualTo(missing))
        .hasMessageContaining(missing);
    assertThat(storage().bucketExists(missing)).isFalse();
  }

  // ------------------------------------------------------------------------------ listing

  /** Keys whose order trips up a naive folder walk: '-' and '.' sort before '/', '0' after. */
  private static final List<String> TRICKY_KEYS = List.of(
      "a-c", "a.b", "a/b", "a/c/d", "a/c/e", "a0", "ab", "b-", "b/x/y", "c");

  @Test
  void listsByPrefixInKeyOrder() {
    List<String> shuffled = new ArrayList<>(TRICKY_KEYS);
    java.util.Collections.shuffle(shuffled);
    for (String key : shuffled) {
      storage().put(ref(key), bytes("value of " + key));
    }

    awaitConsistent(() -> assertThat(keys("")).containsExactlyElementsOf(TRICKY_KEYS));
    assertThat(keys("a")).containsExactly("a-c", "a.b", "a/b", "a/c/d", "a/c/e", "a0", "ab");
    assertThat(keys("a/")).containsExactly("a/b", "a/c/d", "a/c/e");
    assertThat(keys("a/c")).containsExactly("a/c/d", "a/c/e");
    assertThat(keys("a/c/")).containsExactly("a/c/d", "a/c/e");
    assertThat(keys("a/c/e")).containsExactly("a/c/e");
    assertThat(keys("b")).containsExactly("b-", "b/x/y");
    assertThat(keys("b/x/y/")).isEmpty();
    assertThat(keys("zz")).isEmpty();
    assertThat(keys("a/zz/")).isEmpty();

    try (Stream<ObjectInfo> objects = storage().list(bucket(), "a/c/")) {
      assertThat(objects.collect(Collectors.toList())).allSatisfy(info -> {
        assertThat(info.size()).isEqualTo(bytes("value of " + info.ref().key()).length);
        assertThat(info.ref().bucket()).isEqualTo(bucket());
      });
    }
  }

  @Test
  void listingIsLazyAndPaginates() {
    int count = 1001; // one more than S3's page size
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = String.format("p/%02d/%04d", i % 7, i);
      storage().put(ref(key), new byte[] {(byte) i});
      expected.add(key);
    }
    expected.sort(Comparator.naturalOrder());

    awaitConsistent(() -> assertThat(keys("p/")).containsExactlyElementsOf(expected));
    try (Stream<ObjectInfo> objects = storage().list(bucket(), "p/")) {
      assertThat(objects.limit(3).map(o -> o.ref().key()).collect(Collectors.toList()))
          .containsExactlyElementsOf(expected.subList(0, 3));
    }
  }

  @Test
  void emptyBucketListsNothing() {
    assertThat(keys("")).isEmpty();
    storage().put(ref("x/y/z"), bytes("1"));
    storage().delete(ref("x/y/z"));
    awaitConsistent(() -> assertThat(keys("")).isEmpty());
    awaitConsistent(() -> assertThat(keys("x")).isEmpty());
  }

  @Test
  void keyAndPrefixOfTheSameName() {
    if (!supports(EdxCapability.STORAGE_KEY_AND_PREFIX_SAME_NAME)) {
      storage().put(ref("a"), bytes("object a"));
      assertThatThrownBy(() -> storage().put(ref("a/b"), bytes("under a")))
          .isInstanceOf(ProviderException.class).hasMessageContaining("a/b");
      storage().put(ref("c/d"), bytes("object c/d"));
      assertThatThrownBy(() -> storage().put(ref("c"), bytes("over a prefix")))
          .isInstanceOf(ProviderException.class).hasMessageContaining(bucket() + "/c");
      assertThat(storage().readAllBytes(ref("a"))).isEqualTo(bytes("object a"));
      assertThat(storage().readAllBytes(ref("c/d"))).isEqualTo(bytes("object c/d"));
      assertThat(keys("")).containsExactly("a", "c/d");
      return;
    }
    storage().put(ref("a"), bytes("object a"));
    storage().put(ref("a/b"), bytes("under a"));
    awaitConsistent(() -> assertThat(keys("")).containsExactly("a", "a/b"));
    assertThat(storage().readAllBytes(ref("a"))).isEqualTo(bytes("object a"));
    assertThat(storage().readAllBytes(ref("a/b"))).isEqualTo(bytes("under a"));
  }

  // ------------------------------------------------------------------------------ delete, copy

  @Test
  void deleteIsIdempotent() {
    storage().put(ref("d/x"), bytes("x"));
    storage().put(ref("d/y"), bytes("y"));
    storage().delete(ref("d/x"));
    storage().delete(ref("d/x"));
    storage().delete(ref("never/existed"));
    storage().delete(ref("d"));

    assertThat(storage().stat(ref("d/x"))).isEmpty();
    assertThatThrownBy(() -> read(storage().open(ref("d/x"))))
        .isInstanceOf(NoSuchObjectException.class);
    awaitConsistent(() -> assertThat(keys("")).containsExactly("d/y"));
  }

  @Test
  void deleteAllIgnoresMissingKeys() {
    for (String key : List.of("m/1", "m/2", "m/3", "n")) {
      storage().put(ref(key), bytes(key));
    }
    storage().deleteAll(bucket(), List.of("m/1", "m/3", "missing", "n"));
    awaitConsistent(() -> assertThat(keys("")).containsExactly("m/2"));
  }

  @Test
  void copyWithinAndAcrossBuckets() {
    storage().put(ref("src"), bytes("content"));
    storage().put(ref("dst"), bytes("old content to replace"));

    ObjectInfo copied = storage().copy(ref("src"), ref("dst"));
    assertThat(copied.ref()).isEqualTo(ref("dst"));
    assertThat(copied.size()).isEqualTo(7);
    assertThat(storage().readAllBytes(ref("dst"))).isEqualTo(bytes("content"));
    assertThat(storage().readAllBytes(ref("src"))).as("the source stays")
        .isEqualTo(bytes("content"));

    String other = newBucket();
    storage().copy(ref("src"), ObjectRef.of(other, "deep/copy"));
    assertThat(storage().readAllBytes(ObjectRef.of(other, "deep/copy")))
        .isEqualTo(bytes("content"));

    String missing = missingBucketName();
    assertThatThrownBy(() -> storage().copy(ref("src"), ObjectRef.of(missing, "k")))
        .isInstanceOfSatisfying(NoSuchBucketException.class,
            e -> assertThat(e.name()).isEqualTo(missing));
  }

  @Test
  void uriNamesTheObjectForEngines() {
    storage().put(ref("events/year=2015/part-0.parquet"), bytes("PAR1"));
    var uri = storage().uri(ref("events/year=2015/part-0.parquet"));
    assertThat(uri).isNotNull();
    assertThat(uri.getScheme()).isNotBlank();
    assertThat(uri.toString()).contains(bucket()).endsWith("events/year=2015/part-0.parquet");
    assertThat(storage().uri(ref("events/year=2015/part-0.parquet"))).isEqualTo(uri);
  }

  // ------------------------------------------------------------------------------ atomicity

  @Test
  @Timeout(120)
  void readersNeverSeeAPartialObject() throws Exception {
    int size = 4 * MIB;
    storage().put(ref("atomic"), new FilledInputStream(size, (byte) 'a'));
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicInteger reads = new AtomicInteger();
    Thread reader = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try {
        while (writing.get() || reads.get() == 0) {
          try (InputStream in = storage().open(ref("atomic"))) {
            long total = 0;
            int first = -1;
            int n;
            while ((n = in.read(buffer)) > 0) {
              for (int i = 0; i < n; i++) {
                if (first < 0) {
                  first = buffer[i];
                } else if (buffer[i] != first) {
                  throw new AssertionError("read a mix of two versions at byte " + (total + i));
                }
              }
              total += n;
            }
            if (total != size) {
              throw new AssertionError("read " + total + " bytes, not " + size);
            }
          }
          reads.incrementAndGet();
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "contract-reader");
    reader.start();
    try {
      for (int round = 0; round < 20 && failure.get() == null; round++) {
        byte fill = (byte) (round % 2 == 0 ? 'b' : 'a');
        storage().put(ref("atomic"), new FilledInputStream(size, fill));
      }
    } finally {
      writing.set(false);
      reader.join();
    }
    if (failure.get() != null) {
      throw new AssertionError("a concurrent reader failed", failure.get());
    }
    assertThat(reads.get()).isPositive();
    assertThat(storage().readAllBytes(ref("atomic"))).hasSize(size).containsOnly((byte) 'a');
  }

  // ------------------------------------------------------------------------------ large objects

  /**
   * Streams a 64 MiB object in and out. The bytes come from a generator, never an array, and the
   * digests are compared. To show the storage does not hold the object in memory, the generator
   * forces a garbage collection at 16, 32, 48 and 60 MiB into the put and measures the heap still
   * in use: an implementation buffering the object would keep at least that much reachable. The
   * same check runs after the first read of the download. The bound, {@link
   * #maxRetainedHeapForLargeObjects()}, leaves room for multipart buffers.
   */
  @Test
  @Timeout(300)
  void largeObjectIsStreamedNotHeldInMemory() throws IOException {
    long size = 64L * MIB + 12_345;
    ObjectRef ref = ref("large/object.bin");
    MemoryProbe probe = new MemoryProbe();
    GeneratedInputStream data = new GeneratedInputStream(size, 42);
    data.onReach(List.of(16L * MIB, 32L * MIB, 48L * MIB, 60L * MIB), probe::sample);

    ObjectInfo info = storage().put(ref, data);

    assertThat(info.size()).isEqualTo(size);
    assertThat(storage().stat(ref)).hasValueSatisfying(s -> assertThat(s.size()).isEqualTo(size));
    probe.assertRetainedBelow(maxRetainedHeapForLargeObjects(), "while putting " + size + " bytes");

    MemoryProbe readProbe = new MemoryProbe();
    MessageDigest read = sha256();
    try (InputStream in = storage().open(ref)) {
      byte[] buffer = new byte[64 * 1024];
      int n = in.read(buffer);
      readProbe.sample();
      while (n >= 0) {
        read.update(buffer, 0, n);
        n = in.read(buffer);
      }
    }
    readProbe.assertRetainedBelow(maxRetainedHeapForLargeObjects(), "while reading it back");
    assertThat(read.digest()).isEqualTo(digest(new GeneratedInputStream(size, 42)));
  }

  /**
   * Streams a 64 MiB object of a declared length in, as {@link
   * #largeObjectIsStreamedNotHeldInMemory} does for one of unknown length: a store that knows the
   * length holds no part either, so the bound is {@link #maxRetainedHeapForKnownLength()}.
   */
  @Test
  @Timeout(300)
  void largeObjectOfAKnownLengthIsStreamedWithoutParts() throws IOException {
    long size = 64L * MIB + 12_345;
    ObjectRef ref = ref("large/known.bin");
    MemoryProbe probe = new MemoryProbe();
    GeneratedInputStream data = new GeneratedInputStream(size, 43);
    data.onReach(List.of(16L * MIB, 32L * MIB, 48L * MIB, 60L * MIB), probe::sample);

    ObjectInfo info = storage().put(ref, data, size);

    assertThat(info.size()).isEqualTo(size);
    probe.assertRetainedBelow(maxRetainedHeapForKnownLength(), "while putting " + size + " bytes");
    try (InputStream in = storage().open(ref)) {
      assertThat(digest(in)).isEqualTo(digest(new GeneratedInputStream(size, 43)));
    }
  }

  /** Heap a put of 64 MiB of a declared length may keep reachable. */
  protected long maxRetainedHeapForKnownLength() {
    return 12L * MIB;
  }

  /** Heap the large-object test lets the storage keep reachable while streaming 64 MiB. */
  protected long maxRetainedHeapForLargeObjects() {
    return 40L * MIB;
  }

  // ------------------------------------------------------------------------------ helpers

  private static String randomSuffix() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
