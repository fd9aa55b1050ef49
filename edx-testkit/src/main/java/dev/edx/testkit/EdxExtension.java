package dev.edx.testkit;

import dev.edx.api.Environment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link EdxTest}: injects an {@link Environment} parameter. The
 * environment lives in the test class's {@link ExtensionContext.Store} as an {@link
 * AutoCloseable}, so JUnit closes it (and deletes its folder) after the class.
 */
public final class EdxExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EdxExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Environment.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    return classContext.getStore(NAMESPACE)
        .getOrComputeIfAbsent(EmbeddedEnvironment.class,
            key -> EmbeddedEnvironment.start(classContext.getRequiredTestClass()),
            EmbeddedEnvironment.class)
        .environment();
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  /** An embedded environment in a temporary folder; closing it closes and deletes both. */
  static final class EmbeddedEnvironment implements AutoCloseable {
    private final Path directory;
    private final Environment environment;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedEnvironment(Path directory, Environment environment) {
      this.directory = directory;
      this.environment = environment;
    }

    static EmbeddedEnvironment start(Class<?> testClass) {
      try {
        Path directory = Files.createTempDirectory("edx-" + testClass.getSimpleName() + "-");
        return new EmbeddedEnvironment(directory, EmbeddedEnvironments.open(directory));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create a folder for the embedded environment", e);
      }
    }

    Environment environment() {
      return environment;
    }

    @Override
    public void close() throws IOException {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try {
        environment.close();
      } finally {
        deleteRecursively(directory);
      }
    }

    private static void deleteRecursively(Path root) throws IOException {
      if (!Files.exists(root)) {
        return;
      }
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    }
  }
}
