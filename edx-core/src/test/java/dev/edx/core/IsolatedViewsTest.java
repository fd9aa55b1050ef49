package dev.edx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.edx.api.Metastore;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.ObjectVersion;
import dev.edx.api.Secrets;
import dev.edx.api.SupportsPresignedUrls;
import dev.edx.api.SupportsVersioning;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The isolated views keep exactly the optional capabilities of what they wrap, and translate the
 * names in every method of them.
 */
class IsolatedViewsTest {
  private final Isolation isolation = new Isolation("pr1");
  /** The calls that reached the wrapped storage: method name and arguments. */
  private final List<String> calls = new CopyOnWriteArrayList<>();

  /** A storage implementing exactly {@code capabilities} that records the calls it gets. */
  private ObjectStorage storage(Class<?>... capabilities) {
    List<Class<?>> interfaces = new ArrayList<>(List.of(ObjectStorage.class));
    interfaces.addAll(List.of(capabilities));
    return (ObjectStorage) Proxy.newProxyInstance(getClass().getClassLoader(),
        interfaces.toArray(Class<?>[]::new), (proxy, method, args) -> {
          calls.add(method.getName() + Arrays.toString(args));
          return switch (method.getName()) {
            case "presignedGet", "presignedPut" ->
                URI.create("http://store/" + ((ObjectRef) args[0]).bucket());
            case "isVersioned" -> true;
            case "listVersions" -> Stream.of(new ObjectVersion(ObjectRef.of("pr1-raw", "k"), "v1",
                true, false, 1, Instant.EPOCH, Optional.empty()));
            case "open" -> new ByteArrayInputStream(new byte[] {1});
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "recording storage";
            default -> throw new UnsupportedOperationException(method.getName());
          };
        });
  }

  @Test
  void presignedUrlsAreKeptAndSignThePhysicalObject() {
    ObjectStorage view = IsolatedObjectStorage.of(storage(SupportsPresignedUrls.class), isolation);

    assertThat(view).isInstanceOf(SupportsPresignedUrls.class)
        .isNotInstanceOf(SupportsVersioning.class);
    SupportsPresignedUrls presigning = (SupportsPresignedUrls) view;
    assertThat(presigning.presignedGet(ObjectRef.of("raw", "k"), Duration.ofMinutes(1)))
        .hasToString("http://store/pr1-raw");
    assertThat(presigning.presignedPut(ObjectRef.of("raw", "k"), Duration.ofMinutes(2)))
        .hasToString("http://store/pr1-raw");
    assertThat(calls).containsExactly(
        "presignedGet[pr1-raw/k, PT1M]",
        "presignedPut[pr1-raw/k, PT2M]");
  }

  @Test
  void versioningIsKeptAndReadsThePhysicalBucket() throws IOException {
    ObjectStorage view = IsolatedObjectStorage.of(storage(SupportsVersioning.class), isolation);

    assertThat(view).isInstanceOf(SupportsVersioning.class)
        .isNotInstanceOf(SupportsPresignedUrls.class);
    SupportsVersioning versioning = (SupportsVersioning) view;
    assertThat(versioning.isVersioned("raw")).isTrue();
    try (Stream<ObjectVersion> versions = versioning.listVersions("raw", "k")) {
      assertThat(versions).extracting(ObjectVersion::ref, ObjectVersion::versionId)
          .containsExactly(tuple(ObjectRef.of("raw", "k"), "v1"));
    }
    try (InputStream in = versioning.open(ObjectRef.of("raw", "k"), "v1")) {
      assertThat(in.readAllBytes()).containsExactly(1);
    }
    assertThat(calls).containsExactly(
        "isVersioned[pr1-raw]",
        "listVersions[pr1-raw, k]",
        "open[pr1-raw/k, v1]");
  }

  @Test
  void bothCapabilitiesAreKeptTogether() {
    ObjectStorage view = IsolatedObjectStorage.of(
        storage(SupportsPresignedUrls.class, SupportsVersioning.class), isolation);

    assertThat(view).isInstanceOf(SupportsPresignedUrls.class)
        .isInstanceOf(SupportsVersioning.class);
    ((SupportsVersioning) view).isVersioned("raw");
    ((SupportsPresignedUrls) view).presignedGet(ObjectRef.of("raw", "k"), Duration.ofSeconds(5));
    assertThat(calls).containsExactly("isVersioned[pr1-raw]",
        "presignedGet[pr1-raw/k, PT5S]");
  }

  @Test
  void aStorageWithoutCapabilitiesGetsAViewWithoutThem() {
    ObjectStorage view = IsolatedObjectStorage.of(storage(), isolation);

    assertThat(view).isNotInstanceOf(SupportsPresignedUrls.class)
        .isNotInstanceOf(SupportsVersioning.class);
    assertThat(view.open(ObjectRef.of("raw", "k"))).isNotNull();
    assertThat(calls).containsExactly("open[pr1-raw/k]");
  }

  /**
   * A guard: every optional interface edx-api declares for a service the views wrap is one the
   * views keep, so a new {@code Supports*} cannot silently disappear behind a name prefix.
   */
  @Test
  void everyOptionalInterfaceOfTheApiIsKeptByTheViews() throws Exception {
    List<Class<?>> optional = optionalInterfaces();
    assertThat(optional).contains(SupportsPresignedUrls.class, SupportsVersioning.class);

    Class<?>[] storageCapabilities = optional.stream()
        .filter(ObjectStorage.class::isAssignableFrom).toArray(Class<?>[]::new);
    ObjectStorage view = IsolatedObjectStorage.of(storage(storageCapabilities), isolation);
    for (Class<?> capability : storageCapabilities) {
      assertThat(view).isInstanceOf(capability);
    }
    // No optional interface of Metastore or Secrets exists yet: IsolatedMetastore and
    // IsolatedSecrets implement the base interfaces only. Adding one needs a view that keeps it.
    assertThat(optional).noneMatch(Metastore.class::isAssignableFrom)
        .noneMatch(Secrets.class::isAssignableFrom);
  }

  /** The interfaces of {@code dev.edx.api} that extend a service interface. */
  private static List<Class<?>> optionalInterfaces() throws Exception {
    Path location = Path.of(ObjectStorage.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    List<Class<?>> result = new ArrayList<>();
    if (Files.isDirectory(location)) {
      collect(location.resolve("dev/edx/api"), result);
    } else {
      try (FileSystem jar = FileSystems.newFileSystem(location)) {
        collect(jar.getPath("dev/edx/api"), result);
      }
    }
    return result;
  }

  private static void collect(Path folder, List<Class<?>> result) throws Exception {
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".class"))
          .filter(p -> !p.getFileName().toString().contains("$")).toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString().replace(".class", "");
      Class<?> type = Class.forName("dev.edx.api." + name);
      if (type.isInterface() && type != ObjectStorage.class && type != Metastore.class
          && type != Secrets.class && (ObjectStorage.class.isAssignableFrom(type)
          || Metastore.class.isAssignableFrom(type) || Secrets.class.isAssignableFrom(type))) {
        result.add(type);
      }
    }
  }
}
