package dev.edx.core;

import dev.edx.api.Environment;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.ServiceSpec;
import java.io.Reader;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens, plans, applies and destroys environments with the default seams (the context class
 * loader, {@link System#getenv}). Use {@link EnvironmentLoader#builder()} to set them.
 *
 * <pre>{@code
 * try (Environment env = Environments.open(Path.of("envs/local.yaml"))) {
 *   env.storage().put(ObjectRef.of("gha-raw", "2015/01/01/15.json.gz"), file);
 * }
 * }</pre>
 */
public final class Environments {
  private static final String EMBEDDED = "<embedded>";

  private Environments() {}

  /** Opens the environment a spec file declares. */
  public static Environment open(Path specFile) {
    return EnvironmentLoader.builder().build().open(specFile);
  }

  /** Opens a spec read from {@code reader}; {@code source} names it in messages. */
  public static Environment open(Reader reader, String source) {
    return EnvironmentLoader.builder().build().open(reader, source);
  }

  public static Environment open(EnvironmentSpec spec) {
    return EnvironmentLoader.builder().build().open(spec);
  }

  public static List<Change> plan(EnvironmentSpec spec) {
    return EnvironmentLoader.builder().build().plan(spec);
  }

  public static List<Change> apply(EnvironmentSpec spec) {
    return EnvironmentLoader.builder().build().apply(spec);
  }

  public static List<Change> destroy(EnvironmentSpec spec, DataPolicy policy) {
    return EnvironmentLoader.builder().build().destroy(spec, policy);
  }

  /** The changes {@link #destroy} would make, without making them. */
  public static List<Change> planDestroy(EnvironmentSpec spec, DataPolicy policy) {
    return EnvironmentLoader.builder().build().planDestroy(spec, policy);
  }

  /**
   * The embedded environment's spec: every service local and in-process, its data in folders
   * under {@code dataDirectory} ({@code storage/}, {@code metastore/}, {@code secrets/}), so a
   * second run sees the first run's data.
   */
  public static EnvironmentSpec embeddedSpec(Path dataDirectory) {
    Path dir = dataDirectory.toAbsolutePath().normalize();
    return EnvironmentSpec.of("embedded", dir,
        local("secrets").set("directory", "secrets").build(),
        local("storage").set("root", "storage").build(),
        local("metastore").set("directory", "metastore").build(),
        local("compute")
            .set("threads", Math.max(2, Runtime.getRuntime().availableProcessors())).build());
  }

  private static ServiceSpec.Builder local(String service) {
    return ServiceSpec.builder(service, "local").setSource(EMBEDDED);
  }

  /** Opens the embedded environment ({@link #embeddedSpec}). */
  public static Environment embedded(Path dataDirectory) {
    return open(embeddedSpec(dataDirectory));
  }
}
