package dev.edx.core.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.Provisioner;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour of the local storage that the contract leaves open. */
class LocalObjectStorageTest {

  @TempDir
  Path base;

  private ObjectStorage create(ServiceSpec.Builder spec) {
    return Specs.create(new LocalStorageProvider(), spec.build(), new TestProviderContext(base));
  }

  private ObjectStorage storage(String... buckets) {
    return create(ServiceSpec.builder("storage", "local").set("root", "data")
        .set("buckets", List.of(buckets)));
  }

  private static List<String> keys(ObjectStorage storage, String bucket, String prefix) {
    try (Stream<ObjectInfo> objects = storage.list(bucket, prefix)) {
      return objects.map(o -> o.ref().key()).collect(Collectors.toList());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a/../../x", "/abs", "a//b", "a/./b", ".", "..", "a/",
      "a\\b", "..\\x"})
  void keysThatEscapeOrCannotBePathsAreRejected(String key) {
    ObjectStorage storage = storage();
    storage.createBucket("bucket");
    ObjectRef ref = ObjectRef.of("bucket", key);

    assertThatThrownBy(() -> storage.put(ref, "x".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + key + "'")
        .hasMessageContaining("bucket");
    assertThatThrownBy(() -> storage.open(ref)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.stat(ref)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.delete(ref)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.uri(ref)).isInstanceOf(IllegalArgumentException.class);
    assertThat(base.resolve("x")).doesNotExist();
    assertThat(base.resolve("data/x")).doesNotExist();
  }

  @Test
  void rejectionSaysWhy() {
    ObjectStorage storage = storage();
    storage.createBucket("bucket");
    assertThatThrownBy(() -> storage.put(ObjectRef.of("bucket", "../x"), new byte[0]))
        .hasMessage("Cannot use key '../x' in bucket 'bucket': it has a '..' segment; the local"
            + " provider stores each key as a file path inside its bucket's folder");
    assertThatThrownBy(() -> storage.put(ObjectRef.of("bucket", "a//b"), new byte[0]))
        .hasMessageContaining("empty segment");
    assertThatThrownBy(() -> storage.put(ObjectRef.of("bucket", "/abs"), new byte[0]))
        .hasMessageContaining("starts with '/'");
  }

  @Test
  void objectsAreFilesInTheNaturalLayout() throws Exception {
    ObjectStorage storage = storage();
    storage.createBucket("lake");
    ObjectRef ref = ObjectRef.of("lake", "events/year=2015/part-0.parquet");
    storage.put(ref, "PAR1".getBytes(UTF_8));

    Path file = base.resolve("data/lake/events/year=2015/part-0.parquet");
    assertThat(file).hasContent("PAR1");
    URI uri = storage.uri(ref);
    assertThat(uri.getScheme()).isEqualTo("file");
    assertThat(Path.of(uri)).isEqualTo(file);
  }

  @Test
  void temporaryFilesAreNeverListed() throws Exception {
    ObjectStorage storage = storage();
    storage.createBucket("bucket");
    storage.put(ObjectRef.of("bucket", "k"), "v".getBytes(UTF_8));
    Files.writeString(base.resolve("data/.edx-tmp/object-leftover.tmp"), "partial");

    assertThat(storage.listBuckets()).containsExactly("bucket");
    assertThat(keys(storage, "bucket", "")).containsExactly("k");
    try (Stream<Path> temps = Files.list(base.resolve("data/.edx-tmp"))) {
      assertThat(temps).containsExactly(base.resolve("data/.edx-tmp/object-leftover.tmp"));
    }
  }

  @Test
  void deletePrunesEmptyFoldersUpToTheBucket() {
    ObjectStorage storage = storage();
    storage.createBucket("bucket");
    storage.put(ObjectRef.of("bucket", "a/b/c/d"), "1".getBytes(UTF_8));
    storage.put(ObjectRef.of("bucket", "a/x"), "2".getBytes(UTF_8));

    storage.delete(ObjectRef.of("bucket", "a/b/c/d"));
    assertThat(base.resolve("data/bucket/a/b")).doesNotExist();
    assertThat(base.resolve("data/bucket/a/x")).exists();

    storage.delete(ObjectRef.of("bucket", "a/x"));
    assertThat(base.resolve("data/bucket/a")).doesNotExist();
    assertThat(base.resolve("data/bucket")).isDirectory();
    storage.deleteBucket("bucket");
  }

  @Test
  void aKeyCannotBeBothAnObjectAndAPrefix() {
    ObjectStorage storage = storage();
    storage.createBucket("bucket");
    storage.put(ObjectRef.of("bucket", "a"), "file".getBytes(UTF_8));
    storage.put(ObjectRef.of("bucket", "p/q"), "file".getBytes(UTF_8));

    assertThatThrownBy(() -> storage.put(ObjectRef.of("bucket", "a/b/c"), new byte[0]))
        .isInstanceOf(ProviderException.class)
        .hasMessageStartingWith("Cannot put bucket/a/b/c: object bucket/a exists")
        .hasMessageContaining("a key cannot also be a folder of other keys");
    assertThatThrownBy(() -> storage.put(ObjectRef.of("bucket", "p"), new byte[0]))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("'p/' is a prefix of other objects");
    assertThatThrownBy(() -> storage.copy(ObjectRef.of("bucket", "a"),
        ObjectRef.of("bucket", "p"))).isInstanceOf(ProviderException.class);
    assertThat(keys(storage, "bucket", "")).containsExactly("a", "p/q");
    assertThat(base.resolve("data/.edx-tmp")).isEmptyDirectory();
  }

  @Test
  void providerNeedsRootAndRejectsUnknownKeys() {
    assertThatThrownBy(() -> create(ServiceSpec.builder("storage", "local")
        .setSource("dev.yaml").set("buckets", List.of("raw"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.storage.root")
        .hasMessageContaining("is required");
    assertThatThrownBy(() -> create(ServiceSpec.builder("storage", "local").setSource("dev.yaml")
        .set("root", "data").set("rot", "x").setLine("rot", 12)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.storage.rot (dev.yaml line 12)")
        .hasMessageContaining("is not a setting of the 'local' storage provider");
  }

  @Test
  void providerRejectsBadBucketsAndAFileAsRoot() throws Exception {
    assertThatThrownBy(() -> create(ServiceSpec.builder("storage", "local").set("root", "data")
        .set("buckets", List.of("raw", "Bad_Name"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.storage.buckets[1]")
        .hasMessageContaining("Invalid bucket name 'Bad_Name'");
    assertThatThrownBy(() -> create(ServiceSpec.builder("storage", "local").set("root", "data")
        .set("buckets", List.of("raw", "raw"))))
        .hasMessageContaining("listed twice");
    Files.writeString(base.resolve("file"), "");
    assertThatThrownBy(() -> create(ServiceSpec.builder("storage", "local").set("root", "file")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("must be a folder");
  }

  @Test
  void absoluteRootIsKept() {
    Path elsewhere = base.resolve("elsewhere");
    ObjectStorage storage = create(ServiceSpec.builder("storage", "local")
        .set("root", elsewhere.toString()));
    storage.createBucket("bucket");
    assertThat(elsewhere.resolve("bucket")).isDirectory();
  }

  @Test
  void provisionerPlansAppliesAndIsIdempotent() {
    ObjectStorage storage = storage("raw", "lake");
    Provisioner provisioner = (Provisioner) storage;
    storage.createBucket("lake");

    assertThat(provisioner.plan()).extracting(Change::resource, Change::action).containsExactly(
        org.assertj.core.groups.Tuple.tuple("bucket raw", Change.Action.CREATE),
        org.assertj.core.groups.Tuple.tuple("bucket lake", Change.Action.NONE));
    assertThat(storage.bucketExists("raw")).as("plan changes nothing").isFalse();

    assertThat(provisioner.apply()).extracting(Change::action)
        .containsExactly(Change.Action.CREATE, Change.Action.NONE);
    assertThat(storage.bucketExists("raw")).isTrue();
    assertThat(provisioner.apply()).extracting(Change::action)
        .containsOnly(Change.Action.NONE);
    assertThat(provisioner.plan()).allSatisfy(c -> {
      assertThat(c.service()).isEqualTo("storage");
      assertThat(c.action()).isEqualTo(Change.Action.NONE);
    });
  }

  @Test
  void destroyRetainsBucketsWithDataUnderRetain() {
    ObjectStorage storage = storage("raw", "lake", "gone");
    Provisioner provisioner = (Provisioner) storage;
    provisioner.apply();
    storage.deleteBucket("gone");
    storage.put(ObjectRef.of("lake", "a/1"), "1".getBytes(UTF_8));
    storage.put(ObjectRef.of("lake", "a/2"), "2".getBytes(UTF_8));

    List<Change> changes = provisioner.destroy(DataPolicy.RETAIN);

    assertThat(changes).extracting(Change::action).containsExactly(
        Change.Action.DELETE, Change.Action.RETAIN, Change.Action.NONE);
    assertThat(changes.get(1).detail()).contains("holds 2 objects");
    assertThat(storage.bucketExists("raw")).isFalse();
    assertThat(storage.bucketExists("lake")).isTrue();
    assertThat(storage.readAllBytes(ObjectRef.of("lake", "a/2"))).isEqualTo("2".getBytes(UTF_8));
  }

  @Test
  void destroyDeletesDataUnderPurge() {
    ObjectStorage storage = storage("lake");
    Provisioner provisioner = (Provisioner) storage;
    provisioner.apply();
    storage.put(ObjectRef.of("lake", "a/1"), "1".getBytes(UTF_8));
    storage.put(ObjectRef.of("lake", "b"), "2".getBytes(UTF_8));

    List<Change> changes = provisioner.destroy(DataPolicy.PURGE);

    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo(Change.Action.DELETE);
      assertThat(c.detail()).contains("purged with its 2 objects");
    });
    assertThat(storage.bucketExists("lake")).isFalse();
    assertThat(base.resolve("data/lake")).doesNotExist();
    assertThat(provisioner.destroy(DataPolicy.PURGE)).extracting(Change::action)
        .containsExactly(Change.Action.NONE);
  }

  @Test
  void missingRootMeansNoBuckets() {
    ObjectStorage storage = storage();
    assertThat(storage.listBuckets()).isEmpty();
    assertThat(storage.bucketExists("raw")).isFalse();
    assertThat(base.resolve("data")).doesNotExist();
  }
}
