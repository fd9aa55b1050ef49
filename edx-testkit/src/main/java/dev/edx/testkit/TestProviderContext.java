package dev.edx.testkit;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Environment;
import dev.edx.api.spi.ProviderContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A provider context for a provider's own tests, outside any environment: an environment name
 * (which marks what a provisioner owns), a base directory, and no environment variables, so a
 * test never depends on the shell that runs it. {@link #environment()} throws.
 *
 * @param environmentName the environment the provider acts for
 * @param baseDirectory where relative paths resolve
 */
public record TestProviderContext(String environmentName, Path baseDirectory)
    implements ProviderContext {
  public TestProviderContext {
    requireNonNull(environmentName, "environmentName is null");
    requireNonNull(baseDirectory, "baseDirectory is null");
  }

  /** Environment {@code environmentName}, paths relative to the working directory. */
  public TestProviderContext(String environmentName) {
    this(environmentName, Path.of("").toAbsolutePath());
  }

  /** Environment {@code test}. */
  public TestProviderContext() {
    this("test");
  }

  @Override
  public ClassLoader classLoader() {
    return getClass().getClassLoader();
  }

  @Override
  public Optional<String> environmentVariable(String name) {
    return Optional.empty();
  }

  @Override
  public Map<String, String> environmentVariables() {
    return Map.of();
  }

  @Override
  public Environment environment() {
    throw new IllegalStateException("no environment in this test");
  }
}
