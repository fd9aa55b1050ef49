package dev.edx.testkit;

import static java.util.Objects.requireNonNull;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects one server of type {@code T} per run into test methods, constructors and {@code
 * BeforeAll} methods: started on first use, kept in the root context's store and closed by JUnit
 * when the run ends, so every test class that asks for it shares it. For servers the testkit does
 * not start itself (a Neo4j, a MongoDB wire-protocol server), a test module declares its extension
 * as a subclass and registers it with {@code @ExtendWith}:
 *
 * <pre>{@code
 * static final class Extension extends RunSharedResolver<Neo4jServer> {
 *   Extension() {
 *     super(Neo4jServer.class, Neo4jServer::start);
 *   }
 * }
 * }</pre>
 *
 * @param <T> the server's type
 */
public abstract class RunSharedResolver<T extends AutoCloseable> implements ParameterResolver {
  private final Class<T> type;
  private final Starter<? extends T> starter;

  /** How a server starts. */
  @FunctionalInterface
  public interface Starter<T> {
    /** Starts a server and returns it once it serves. */
    T start() throws Exception;
  }

  /**
   * A resolver of parameters of exactly {@code type}.
   *
   * @param type the server's type
   * @param starter starts the run's server, on first use
   */
  protected RunSharedResolver(Class<T> type, Starter<? extends T> starter) {
    this.type = requireNonNull(type, "type is null");
    this.starter = requireNonNull(starter, "starter is null");
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == type;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.create(type))
        .getOrComputeIfAbsent("server", key -> start(), type);
  }

  private T start() {
    try {
      return starter.start();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Cannot start the test's " + type.getSimpleName() + ": "
          + e, e);
    }
  }
}
