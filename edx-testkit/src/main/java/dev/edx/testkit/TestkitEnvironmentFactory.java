package dev.edx.testkit;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Compute;
import dev.edx.api.Environment;
import dev.edx.api.Metastore;
import dev.edx.api.ObjectStorage;
import dev.edx.api.Secrets;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.spi.EnvironmentFactory;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.core.CoreEnvironmentFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link EnvironmentFactory} of the testkit, ranked above edx-core's: its embedded
 * environment keeps its metastore in a real, embedded PostgreSQL whose data lives in {@code
 * <dataDirectory>/postgres}, so a second run sees the first run's tables. The server stops when
 * the environment closes. Spec files open as with edx-core.
 */
public final class TestkitEnvironmentFactory implements EnvironmentFactory {
  /** The metastore database of the embedded environment. */
  static final String DATABASE = "edx";

  private final CoreEnvironmentFactory core = new CoreEnvironmentFactory();

  @Override
  public Environment open(Path specFile) {
    return core.open(specFile);
  }

  @Override
  public List<Change> plan(Path specFile) {
    return core.plan(specFile);
  }

  @Override
  public List<Change> apply(Path specFile) {
    return core.apply(specFile);
  }

  @Override
  public List<Change> destroy(Path specFile, DataPolicy policy) {
    return core.destroy(specFile, policy);
  }

  @Override
  public String render(Path specFile) {
    return core.render(specFile);
  }

  @Override
  public Path derive(Path base, String name, Optional<Duration> ttl, Path directory) {
    return core.derive(base, name, ttl, directory);
  }

  @Override
  public List<Path> expired(Path directory) {
    return core.expired(directory);
  }

  @Override
  public String schema() {
    return core.schema();
  }

  @Override
  public Environment openEmbedded(Path dataDirectory) {
    requireNonNull(dataDirectory, "dataDirectory is null");
    PostgresEndpoint postgres = PostgresEndpoint.persistent(dataDirectory.resolve("postgres"));
    try {
      String jdbcUrl = postgres.database(DATABASE);
      return EmbeddedEnvironments.open(dataDirectory, postgres, jdbcUrl, List.of(postgres));
    } catch (RuntimeException e) {
      try {
        postgres.close();
      } catch (IOException | RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  @Override
  public int priority() {
    return 100;
  }
}
