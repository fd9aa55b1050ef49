package dev.edx.provider.minio;

import dev.edx.api.Environment;
import dev.edx.api.spi.ProviderContext;
import java.nio.file.Path;
import java.util.Optional;

/** A provider context for tests: an environment name, a base directory, no variables. */
record TestContext(Path baseDirectory, String environmentName) implements ProviderContext {
  TestContext() {
    this(Path.of("."));
  }

  TestContext(Path baseDirectory) {
    this(baseDirectory, "test");
  }

  TestContext(String environmentName) {
    this(Path.of("."), environmentName);
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
  public Environment environment() {
    throw new IllegalStateException("no environment in this test");
  }
}
