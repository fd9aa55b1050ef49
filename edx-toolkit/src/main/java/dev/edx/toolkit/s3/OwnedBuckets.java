package dev.edx.toolkit.s3;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectVersion;
import dev.edx.api.exceptions.BucketAlreadyExistsException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.OwnedResourceProvisioner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The shared ownership algorithm ({@link OwnedResourceProvisioner}) over the buckets of an S3
 * store, marked as {@link BucketOwnership} says. A provider subclasses it for the settings it
 * manages ({@link #configure}, {@link #describeCreate}, {@link #settingsDifferences}).
 *
 * <p>S3 cannot mark a bucket in the call that creates it, so {@link #create} makes the bucket,
 * marks it and configures it at once; if marking or configuring fails, the new empty bucket is
 * removed again and the next apply starts over. Only a process killed between the requests
 * leaves an empty unmarked bucket, which a plan then reports as not managed by edx ({@code adopt:
 * true} takes it over).
 *
 * <p>Settings: each existing declared bucket this environment owns, or adopts, is compared with
 * the spec ({@link #settingsDifferences}, as the shared {@link #drift}); a bucket whose settings
 * differ is an {@code UPDATE} naming the differences, and {@code apply} makes them so. Buckets
 * edx does not own keep their settings.
 *
 * <p>Data is counted in object versions (on a store that lists no versions, objects), the marker
 * not included; deleting a bucket deletes every version, the marker's last. Not public API.
 */
public class OwnedBuckets extends OwnedResourceProvisioner {
  private final S3Store store;

  /**
   * @param environment the environment whose buckets these are
   * @param declared the buckets the spec declares
   */
  public OwnedBuckets(S3Store store, String environment, List<DeclaredResource> declared) {
    super("storage", "bucket", environment, declared);
    this.store = requireNonNull(store, "store is null");
  }

  protected final S3Store store() {
    return store;
  }

  /** Configures a bucket this environment has just created or adopted; nothing by default. */
  protected void configure(String bucket, boolean created) {}

  /** Whether the spec declares settings {@link #settingsDifferences} compares; false by default. */
  protected boolean hasSettings(String bucket) {
    return false;
  }

  /**
   * How an existing bucket this environment owns differs from the spec's settings, each as
   * {@code "what current -> wanted"}, and made so as well when {@code apply}; none by default.
   */
  protected List<String> settingsDifferences(String bucket, boolean apply) {
    return List.of();
  }

  /** The bucket's settings differences, through the shared drift mechanism. */
  @Override
  protected Optional<String> drift(String name) {
    if (!hasSettings(name)) {
      return Optional.empty();
    }
    List<String> differences = settingsDifferences(name, false);
    return differences.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", differences));
  }

  @Override
  protected void update(String name) {
    settingsDifferences(name, true);
  }

  /** Called when a bucket was deleted with its {@code versions}; for logs. */
  protected void deleted(String bucket, long versions) {}

  @Override
  protected boolean exists(String name) {
    return store.bucketExists(name);
  }

  @Override
  protected Optional<String> owner(String name) {
    return BucketOwnership.owner(store, name);
  }

  @Override
  protected Collection<String> existing() {
    return store.listBuckets();
  }

  @Override
  protected void create(String name) {
    try {
      store.createBucket(name);
    } catch (BucketAlreadyExistsException e) {
      // Created since the plan read it: by whom is unknown, so it is not claimed.
      throw new ProviderException("Cannot create bucket '" + name + "' on " + store.where()
          + ": it appeared while applying; apply again to see whether edx manages it", e);
    }
    try {
      BucketOwnership.mark(store, name, environment());
      configure(name, true);
    } catch (RuntimeException e) {
      try {
        BucketOwnership.deleteBucket(store, name);
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  @Override
  protected void adopt(String name) {
    BucketOwnership.mark(store, name, environment());
    configure(name, false);
  }

  @Override
  protected long dataCount(String name) {
    try (Stream<ObjectVersion> versions = BucketOwnership.dataVersions(store, name)) {
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
    List<ObjectVersion> batch = new ArrayList<>();
    long deleted = 0;
    try (Stream<ObjectVersion> all = BucketOwnership.dataVersions(store, name)) {
      Iterator<ObjectVersion> versions = all.iterator();
      while (versions.hasNext()) {
        batch.add(versions.next());
        if (batch.size() == S3Limits.DELETE_BATCH) {
          store.deleteVersions(name, List.copyOf(batch));
          deleted += batch.size();
          batch.clear();
        }
      }
    }
    if (!batch.isEmpty()) {
      store.deleteVersions(name, List.copyOf(batch));
      deleted += batch.size();
    }
    BucketOwnership.removeMarker(store, name);
    store.removeBucket(name);
    deleted(name, deleted);
  }
}
