package dev.edx.testkit.local;

import dev.edx.api.Environment;
import dev.edx.api.spi.ProviderContext;
import java.nio.file.Path;
import java.util.Map;

/** A provider context for an environment of a given name: a base directory, no variables. */
record NamedProviderContext(String environmentName, Path baseDirectory) implements ProviderContext {
  @Override
  public ClassLoader classLoader() {
    return getClass().getClassLoader();
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
