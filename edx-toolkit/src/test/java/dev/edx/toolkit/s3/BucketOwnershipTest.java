package dev.edx.toolkit.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tags where the store has bucket tagging, the marker object only where it has not. */
class BucketOwnershipTest {

  /** A store of one bucket: its tags (null: no tagging), and its objects. */
  private static final class Fake {
    Map<String, String> tags;
    final Map<String, byte[]> objects = new HashMap<>();

    S3Store store() {
      return (S3Store) Proxy.newProxyInstance(S3Store.class.getClassLoader(),
          new Class<?>[] {S3Store.class}, (proxy, method, args) -> switch (method.getName()) {
            case "bucketTags" -> Optional.ofNullable(tags == null ? null : Map.copyOf(tags));
            case "setBucketTags" -> {
              if (tags == null) {
                yield false;
              }
              @SuppressWarnings("unchecked")
              Map<String, String> set = (Map<String, String>) args[1];
              tags = new HashMap<>(set);
              yield true;
            }
            case "stat" -> Optional.ofNullable(objects.get(((ObjectRef) args[0]).key()))
                .map(b -> new ObjectInfo((ObjectRef) args[0], b.length, Instant.now(),
                    Optional.empty()));
            case "readAllBytes" -> objects.get(((ObjectRef) args[0]).key());
            case "put" -> {
              objects.put(((ObjectRef) args[0]).key(), (byte[]) args[1]);
              yield null;
            }
            case "where" -> "http://fake";
            default -> throw new UnsupportedOperationException(method.getName());
          });
    }
  }

  @Test
  void withTaggingTheMarkIsTagsBesideTheOthersAndNoObject() {
    Fake fake = new Fake();
    fake.tags = new HashMap<>(Map.of("team", "analytics"));
    S3Store store = fake.store();
    assertThat(BucketOwnership.owner(store, "lake")).isEmpty();
    BucketOwnership.mark(store, "lake", "dev");
    assertThat(fake.tags).containsEntry("team", "analytics").containsEntry("managed-by", "edx")
        .containsEntry("edx.dev/environment", "dev");
    assertThat(fake.objects).isEmpty();
    assertThat(BucketOwnership.owner(store, "lake")).hasValue("dev");
  }

  @Test
  void withoutTaggingTheMarkIsTheObject() {
    Fake fake = new Fake();
    S3Store store = fake.store();
    BucketOwnership.mark(store, "lake", "dev");
    assertThat(new String(fake.objects.get(BucketOwnership.MARKER_KEY), StandardCharsets.UTF_8))
        .isEqualTo("dev\n");
    assertThat(BucketOwnership.owner(store, "lake")).hasValue("dev");
    assertThat(BucketOwnership.isMarker(".edx/owner")).isTrue();
    assertThat(BucketOwnership.isMarker("data/.edx/owner")).isFalse();
  }

  @Test
  void aMarkerOfAnOlderVersionStillOwnsABucketWithoutEdxsTags() {
    Fake fake = new Fake();
    fake.tags = new HashMap<>(Map.of("team", "analytics"));
    fake.objects.put(BucketOwnership.MARKER_KEY, "prod\n".getBytes(StandardCharsets.UTF_8));
    assertThat(BucketOwnership.owner(fake.store(), "lake")).hasValue("prod");
    fake.tags.putAll(Map.of("managed-by", "edx", "edx.dev/environment", "dev"));
    assertThat(BucketOwnership.owner(fake.store(), "lake")).as("tags first").hasValue("dev");
  }
}
