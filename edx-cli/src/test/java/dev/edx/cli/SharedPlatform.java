package dev.edx.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@code edx up} platform for the test classes of a run that only need a running platform
 * (its start, a PostgreSQL, an S3 endpoint and a Hive Metastore, takes most of such a class's
 * time): {@code @ExtendWith(SharedPlatform.class)} and a {@link Handle} parameter. The first
 * {@link Handle#dataDirectory()} starts it; JUnit's root store stops it ({@code edx down}) and
 * deletes its data directory at the end of the run. Classes that test the platform's start or
 * stop start their own.
 */
final class SharedPlatform implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedPlatform.class);

  /** The running platform: its data directory, for {@code --data-dir}. */
  private record Running(Path dataDirectory) implements AutoCloseable {
    static Running start() {
      try {
        Path dir = Files.createTempDirectory("edx-shared-platform").resolve("data");
        CliRuns.edxInProcess("up", "--data-dir", dir.toString());
        return new Running(dir);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        CliRuns.edxInProcess("down", "--data-dir", dataDirectory.toString());
      } finally {
        CliRuns.deleteTree(dataDirectory.getParent());
      }
    }
  }

  /** The shared platform, started when first asked for. */
  static final class Handle {
    private final ExtensionContext.Store store;

    private Handle(ExtensionContext.Store store) {
      this.store = store;
    }

    /** Its data directory, for {@code --data-dir}; starts it unless it runs. */
    Path dataDirectory() {
      return store.getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class)
          .dataDirectory();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Handle.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return new Handle(context.getRoot().getStore(NAMESPACE));
  }
}
