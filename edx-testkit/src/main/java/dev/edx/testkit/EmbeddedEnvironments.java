package dev.edx.testkit;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Environment;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.core.EnvironmentSpec;
import dev.edx.core.Environments;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment {@link EdxTest} injects, for tests that need one outside JUnit's lifecycle: every
 * service embedded and in-process, its data under a folder the caller owns.
 */
public final class EmbeddedEnvironments {
  private EmbeddedEnvironments() {}

  /** Opens an embedded environment whose data lives under {@code directory}. Close it. */
  public static Environment open(Path directory) {
    return Environments.embedded(directory);
  }

  /**
   * Opens an embedded environment whose data lives under {@code directory}, except its metastore:
   * the {@code postgres} provider on database {@code jdbcUrl} of {@code postgres}. Close it; the
   * server stays up.
   */
  public static Environment open(Path directory, PostgresEndpoint postgres, String jdbcUrl) {
    requireNonNull(postgres, "postgres is null");
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    EnvironmentSpec embedded = Environments.embeddedSpec(directory);
    Map<String, ServiceSpec> services = new LinkedHashMap<>(embedded.services());
    services.put("metastore", ServiceSpec.builder("metastore", "postgres")
        .setSource("<embedded>")
        .set("jdbcUrl", jdbcUrl)
        .set("user", postgres.user())
        .setSensitive("password", postgres.password())
        .build());
    return Environments.open(new EnvironmentSpec(embedded.name(), embedded.labels(), services,
        embedded.source(), embedded.baseDirectory(), embedded.namePrefix()));
  }
}
