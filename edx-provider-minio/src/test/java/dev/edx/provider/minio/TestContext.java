package dev.edx.provider.minio;

import dev.edx.api.Environment;
import dev.edx.api.spi.ProviderContext;
import java.nio.file.Path;
import java.util.Optional;

/** A provider context for tests: a base directory and no environment variables. */
record TestContext(Path baseDirectory) implements ProviderContext {
  TestContext() {
    this(Path.of("."));
  }

  @Override
  public String environmentName() {
    return "test";
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
