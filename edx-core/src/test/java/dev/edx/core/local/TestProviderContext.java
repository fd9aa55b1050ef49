package dev.edx.core.local;

import dev.edx.api.Environment;
import dev.edx.api.spi.ProviderContext;
import java.nio.file.Path;
import java.util.Map;

/** A provider context for tests: a base directory and the environment variables given. */
record TestProviderContext(Path baseDirectory, Map<String, String> environmentVariables)
    implements ProviderContext {

  TestProviderContext(Path baseDirectory) {
    this(baseDirectory, Map.of());
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
  public Environment environment() {
    throw new IllegalStateException("no environment in this test");
  }
}
