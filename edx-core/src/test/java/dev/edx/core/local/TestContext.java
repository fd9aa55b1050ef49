package dev.edx.core.local;

import dev.edx.api.Environment;
import dev.edx.api.spi.ProviderContext;
import java.nio.file.Path;
import java.util.Optional;

/** A provider context over a folder, with no environment variables. */
record TestContext(Path baseDirectory) implements ProviderContext {
  @Override
  public String environmentName() {
    return "test";
  }

  @Override
  public ClassLoader classLoader() {
    return TestContext.class.getClassLoader();
  }

  @Override
  public Optional<String> environmentVariable(String name) {
    return Optional.empty();
  }

  @Override
  public Environment environment() {
    throw new IllegalStateException("the environment is still being opened");
  }
}
