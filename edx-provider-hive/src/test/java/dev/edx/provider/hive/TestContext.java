package dev.edx.provider.hive;

import dev.edx.api.Environment;
import dev.edx.api.spi.ProviderContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** A provider context for tests: environment {@code test}, no environment variables. */
record TestContext(String environmentName) implements ProviderContext {
  TestContext() {
    this("test");
  }

  @Override
  public Path baseDirectory() {
    return Path.of(".");
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
