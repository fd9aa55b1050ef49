package dev.edx.testkit;

import dev.edx.api.Environment;
import dev.edx.embedded.EmbeddedEnvironments;
import dev.edx.embedded.PostgresEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link EdxTest}: injects an {@link Environment} parameter (and a
 * {@link PostgresEndpoint} one: the run's shared server, for provider tests; and a {@link
 * KafkaBroker} one: the run's Kafka broker, started on first use). The
 * environment lives in the test class's {@link ExtensionContext.Store} as an {@link
 * AutoCloseable}, so JUnit closes it (and deletes its folder) after the class. Its metastore is
 * the {@code postgres} provider on a fresh database of one PostgreSQL server per JVM ({@link
 * PostgresEndpoint#start()}: embedded, or {@code EDX_TEST_JDBC_URL}), kept in the root store so
 * JUnit stops it when the run ends.
 */
public final class EdxExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EdxExtension.class);
  private static final String KAFKA_BROKER = "dev.edx.testkit.KafkaBroker";

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Environment.class || type == PostgresEndpoint.class
        || type.getName().equals(KAFKA_BROKER);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == PostgresEndpoint.class) {
      return postgres(context);
    }
    if (parameter.getParameter().getType().getName().equals(KAFKA_BROKER)) {
      return kafka(context);
    }
    ExtensionContext classContext = classContext(context);
    return classContext.getStore(NAMESPACE)
        .getOrComputeIfAbsent(EmbeddedEnvironment.class,
            key -> EmbeddedEnvironment.start(classContext.getRequiredTestClass(),
                postgres(context)),
            EmbeddedEnvironment.class)
        .environment();
  }

  /** The run's PostgreSQL server, started on first use and closed by JUnit after the run. */
  private static PostgresEndpoint postgres(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(PostgresEndpoint.class,
        key -> PostgresEndpoint.start(), PostgresEndpoint.class);
  }

  /**
   * The run's Kafka broker, started on first use and closed by JUnit after the run. Named, not
   * referenced, in {@link #supportsParameter}, so that a test class path without Kafka's broker
   * (an optional dependency of the testkit) never loads it.
   */
  private static Object kafka(ExtensionContext context) {
    try {
      Class.forName("dev.edx.kafka.broker.KafkaBrokerServer", false,
          EdxExtension.class.getClassLoader());
      Class.forName("kafka.server.KafkaRaftServer", false, EdxExtension.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Cannot start a Kafka broker for the test: Kafka's broker is"
          + " not on the test class path; add dev.edx:edx-kafka-broker (test scope, the version"
          + " of edx-testkit)", e);
    }
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(KafkaBroker.class,
        key -> KafkaBroker.start(), KafkaBroker.class);
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
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path directory;
    private final Environment environment;
    private final PostgresEndpoint postgres;
    private final String database;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedEnvironment(Path directory, Environment environment, PostgresEndpoint postgres,
        String database) {
      this.directory = directory;
      this.environment = environment;
      this.postgres = postgres;
      this.database = database;
    }

    static EmbeddedEnvironment start(Class<?> testClass, PostgresEndpoint postgres) {
      Path directory;
      try {
        directory = Files.createTempDirectory("edx-" + testClass.getSimpleName() + "-");
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create a folder for the embedded environment", e);
      }
      // A fresh metastore database per test class; the suffix keeps runs on a shared server apart.
      String name =
          testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
      String database = "edx_" + name.substring(0, Math.min(name.length(), 40)) + "_"
          + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid();
      String jdbcUrl = postgres.createDatabase(database);
      return new EmbeddedEnvironment(directory,
          EmbeddedEnvironments.open(directory, postgres, jdbcUrl), postgres, database);
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
        postgres.dropDatabase(database);
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
