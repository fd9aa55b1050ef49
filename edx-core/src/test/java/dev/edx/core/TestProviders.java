package dev.edx.core;

import dev.edx.api.DataStore;
import dev.edx.api.ObjectStorage;
import dev.edx.api.Secret;
import dev.edx.api.Secrets;
import dev.edx.api.spi.DataStoreProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import dev.edx.toolkit.DeclaredResource;
import dev.edx.toolkit.OwnedResourceProvisioner;
import dev.edx.toolkit.Setting;
import dev.edx.toolkit.Specs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Providers for edx-core's own tests, registered under names no real provider uses. */
public final class TestProviders {
  /** What the recording providers saw, in order; tests read and clear it. */
  static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  private TestProviders() {}

  /** Secrets held in memory, seeded from the spec's {@code values} map of maps. */
  public static final class MemorySecretsProvider implements SecretsProvider {
    @Override
    public String name() {
      return "memory";
    }

    @Override
    public Secrets create(ServiceSpec spec, ProviderContext context) {
      Specs.requireOnlyKeys(spec, Set.of("values"));
      Map<String, Secret> secrets = new TreeMap<>();
      spec.get("values").ifPresent(v -> ((Map<?, ?>) v).forEach((name, values) -> {
        Map<String, String> copy = new TreeMap<>();
        ((Map<?, ?>) values).forEach((k, val) -> copy.put(k.toString(), val.toString()));
        secrets.put(name.toString(), Secret.of(name.toString(), copy));
      }));
      EVENTS.add("create secrets");
      return new MemorySecrets(secrets);
    }
  }

  static final class MemorySecrets implements Secrets, AutoCloseable {
    private final Map<String, Secret> secrets;

    MemorySecrets(Map<String, Secret> secrets) {
      this.secrets = new TreeMap<>(secrets);
    }

    @Override
    public Optional<Secret> get(String name) {
      return Optional.ofNullable(secrets.get(name));
    }

    @Override
    public void put(Secret secret) {
      secrets.put(secret.name(), secret);
    }

    @Override
    public boolean delete(String name) {
      return secrets.remove(name) != null;
    }

    @Override
    public List<String> list() {
      return new ArrayList<>(secrets.keySet());
    }

    @Override
    public void close() {
      EVENTS.add("close secrets");
    }
  }

  /**
   * Storage that records the spec it was created from; a proxy whose {@link Supplier#get()}
   * returns that spec. Fails creation when the spec says {@code fail: true}.
   */
  /** The settings of the recording storage, declared once. */
  public static final class RecordingStorageProperties {
    public static final Setting<String> ENDPOINT = Setting.string("endpoint", "The endpoint.");
    public static final Setting<String> ACCESS_KEY = Setting.string("accessKey", "Access key.");
    public static final Setting<String> SECRET_KEY =
        Setting.string("secretKey", "Secret key.").sensitive();
    public static final Setting<List<String>> BUCKETS = Setting.stringList("buckets", "Buckets.");
    public static final Setting<Boolean> FAIL =
        Setting.bool("fail", "Fail on create.").withDefault(false);
    public static final Setting<Integer> THREADS = Setting.integer("threads", "Threads.")
        .check(n -> n >= 1, "must be at least 1").withDefault(1);

    private RecordingStorageProperties() {}
  }

  public static final class RecordingStorageProvider implements StorageProvider {
    @Override
    public String name() {
      return "recording";
    }

    @Override
    public List<PropertyDescriptor> properties() {
      return Setting.descriptors(RecordingStorageProperties.class);
    }

    @Override
    public ObjectStorage create(ServiceSpec spec, ProviderContext context) {
      RecordingStorageProperties.THREADS.get(spec);
      if (RecordingStorageProperties.FAIL.get(spec)) {
        throw new IllegalStateException("storage backend unreachable");
      }
      EVENTS.add("create storage");
      return (ObjectStorage) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {ObjectStorage.class, AutoCloseable.class, Supplier.class},
          (proxy, method, args) -> switch (method.getName()) {
            case "get" -> spec;
            case "close" -> {
              EVENTS.add("close storage");
              yield null;
            }
            case "toString" -> "RecordingStorage";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException(method.getName());
          });
    }
  }

  /** The settings of the folder data store, declared once. */
  public static final class FolderStoreProperties {
    public static final Setting<String> DIRECTORY =
        Setting.string("directory", "Where its resources are files.").required();
    public static final Setting<String> PASSWORD =
        Setting.string("password", "A password.").sensitive();
    public static final Setting<List<DeclaredResource>> TOPICS = Setting.resources("topics",
        "topic", name -> { }, "Topics apply creates.");

    private FolderStoreProperties() {}
  }

  /**
   * A data store whose resources are files in a folder, each holding the name of the environment
   * that owns it (an empty file is unowned); a second line is data.
   */
  public static final class FolderStoreProvider implements DataStoreProvider {
    @Override
    public String name() {
      return "folder";
    }

    @Override
    public List<PropertyDescriptor> properties() {
      return Setting.descriptors(FolderStoreProperties.class);
    }

    @Override
    public DataStore create(ServiceSpec spec, ProviderContext context) {
      EVENTS.add("create " + spec.service());
      Path folder = context.baseDirectory().resolve(FolderStoreProperties.DIRECTORY.get(spec));
      return new FolderStore(spec, folder, context.environmentName());
    }
  }

  /** See {@link FolderStoreProvider}. */
  public static final class FolderStore extends OwnedResourceProvisioner
      implements DataStore, AutoCloseable {
    private final ServiceSpec spec;
    private final Path folder;

    FolderStore(ServiceSpec spec, Path folder, String environment) {
      super(spec.service(), "topic", environment, FolderStoreProperties.TOPICS.get(spec));
      this.spec = spec;
      this.folder = folder;
    }

    /** The spec it was created from, references resolved. */
    public ServiceSpec spec() {
      return spec;
    }

    @Override
    public String name() {
      return spec.service().substring("datastores.".length());
    }

    @Override
    public String provider() {
      return "folder";
    }

    @Override
    protected boolean exists(String name) {
      return Files.exists(folder.resolve(name));
    }

    @Override
    protected Optional<String> owner(String name) {
      return lines(name).stream().findFirst().filter(s -> !s.isEmpty());
    }

    @Override
    protected Collection<String> existing() {
      try (Stream<Path> files = Files.list(folder)) {
        return files.map(f -> f.getFileName().toString()).toList();
      } catch (NoSuchFileException e) {
        return List.of();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    protected void create(String name) {
      write(name, environment());
    }

    @Override
    protected void adopt(String name) {
      write(name, environment());
    }

    @Override
    protected long dataCount(String name) {
      return Math.max(0, lines(name).size() - 1);
    }

    @Override
    protected void delete(String name) {
      try {
        Files.deleteIfExists(folder.resolve(name));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private List<String> lines(String name) {
      try {
        return Files.readAllLines(folder.resolve(name));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void write(String name, String text) {
      try {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(name), text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      EVENTS.add("close " + spec.service());
    }
  }

  /** Two different classes that both claim the name {@code twin}. */
  public static final class TwinA extends Twin {}

  /** See {@link TwinA}. */
  public static final class TwinB extends Twin {}

  abstract static class Twin implements StorageProvider {
    @Override
    public String name() {
      return "twin";
    }

    @Override
    public ObjectStorage create(ServiceSpec spec, ProviderContext context) {
      throw new UnsupportedOperationException();
    }
  }
}
