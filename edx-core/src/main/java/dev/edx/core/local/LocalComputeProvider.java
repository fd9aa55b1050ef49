package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Compute;
import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Setting;
import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code local} compute provider: builds a {@link LocalCompute}. Settings: {@link
 * LocalComputeProperties} ({@code threads}, {@code maxLogBytes}, and how Spark jobs find Spark).
 */
public final class LocalComputeProvider implements ComputeProvider {

  @Override
  public String name() {
    return "local";
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return Setting.descriptors(LocalComputeProperties.class);
  }

  @Override
  public Compute create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    Settings settings = Settings.from(spec, context.baseDirectory(),
        Path.of(System.getProperty("user.home")));
    LocalSpark spark = new LocalSpark(settings.spark(), context.classLoader(),
        context::environmentVariable, LocalSpark.currentJava());
    return new LocalCompute(settings.threads(), settings.maxLogBytes(), spark,
        context.classLoader(), context::environmentVariable, context::environment,
        InstantSource.system());
  }

  /** The typed settings of a {@code local} compute spec. */
  record Settings(int threads, long maxLogBytes, LocalSpark.Settings spark) {
    Settings {
      requireNonNull(spark, "spark is null");
    }

    /**
     * Reads a spec: relative paths resolve against {@code base}, a leading {@code ~/} against
     * {@code home}.
     */
    static Settings from(ServiceSpec spec, Path base, Path home) {
      Optional<String> classPath = LocalComputeProperties.SPARK_CLASS_PATH.find(spec)
          .map(c -> Arrays.stream(c.trim().split(File.pathSeparator))
              .filter(e -> !e.isBlank())
              .map(e -> path(spec, LocalComputeProperties.SPARK_CLASS_PATH.key(), e, base, home))
              .collect(Collectors.joining(File.pathSeparator)));
      LocalSpark.Settings spark = new LocalSpark.Settings(
          LocalComputeProperties.SPARK_MASTER.get(spec),
          LocalComputeProperties.SPARK_VERSION.get(spec),
          classPath,
          LocalComputeProperties.SPARK_REPOSITORY.get(spec),
          LocalComputeProperties.SPARK_OFFLINE.get(spec),
          Path.of(path(spec, LocalComputeProperties.SPARK_LOCAL_REPOSITORY.key(),
              LocalComputeProperties.SPARK_LOCAL_REPOSITORY.get(spec), base, home)),
          Path.of(path(spec, LocalComputeProperties.SPARK_CACHE_DIRECTORY.key(),
              LocalComputeProperties.SPARK_CACHE_DIRECTORY.get(spec), base, home)));
      return new Settings(LocalComputeProperties.THREADS.get(spec),
          LocalComputeProperties.MAX_LOG_BYTES.get(spec), spark);
    }

    /** An absolute path: {@code ~/x} in {@code home}, a relative one in {@code base}. */
    private static String path(ServiceSpec spec, String key, String value, Path base,
        Path home) {
      String trimmed = value.trim();
      try {
        Path path;
        if (trimmed.equals("~")) {
          path = home;
        } else if (trimmed.startsWith("~/")) {
          path = home.resolve(trimmed.substring(2));
        } else {
          path = base.resolve(trimmed);
        }
        // A trailing "*" (all jars of a folder, for the JVM) survives normalize().
        return path.toAbsolutePath().normalize().toString();
      } catch (InvalidPathException e) {
        throw spec.error(key, "is not a valid path: " + e.getReason(), e);
      }
    }
  }
}
