package dev.edx.testkit;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/**
 * {@link ProvisionerContract} for a storage's buckets: the primitives go through the {@link
 * ObjectStorage} API of a storage that belongs to no environment ({@link #bareStorage()}). A
 * subclass supplies the provisioner, that bare storage, and how its backend marks ownership
 * ({@link #owner}: a marker file, a marker object, bucket tags).
 */
public abstract class BucketProvisionerContract extends ProvisionerContract {
  private static final String DATA_KEY = "data/object.txt";

  /** A storage of the same backend that belongs to no environment: edx's "behind its back". */
  protected abstract ObjectStorage bareStorage();

  @Override
  protected String kind() {
    return "bucket";
  }

  @Override
  protected void createUnowned(String name) {
    bareStorage().createBucket(name);
  }

  @Override
  protected void putData(String name) {
    bareStorage().put(ObjectRef.of(name, DATA_KEY), "data".getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected boolean holdsData(String name) {
    return bareStorage().stat(ObjectRef.of(name, DATA_KEY)).isPresent();
  }

  @Override
  protected void deleteBehindBack(String name) {
    ObjectStorage bare = bareStorage();
    try (Stream<ObjectInfo> objects = bare.list(name, "")) {
      bare.deleteAll(name, objects.map(o -> o.ref().key()).toList());
    }
    bare.deleteBucket(name);
  }

  @Override
  protected boolean exists(String name) {
    return bareStorage().bucketExists(name);
  }
}
