package dev.edx.testkit.local;

import dev.edx.api.Compute;
import dev.edx.api.Environment;
import dev.edx.api.Metastore;
import dev.edx.api.ObjectStorage;
import dev.edx.api.Secrets;
import dev.edx.api.exceptions.ConfigurationException;

/** A minimal environment for compute tests: a name and no services. */
final class TestEnvironment implements Environment {
  private final String name;

  TestEnvironment(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ObjectStorage storage() {
    throw none("storage");
  }

  @Override
  public Compute compute() {
    throw none("compute");
  }

  @Override
  public Metastore metastore() {
    throw none("metastore");
  }

  @Override
  public Secrets secrets() {
    throw none("secrets");
  }

  @Override
  public void close() {}

  private ConfigurationException none(String service) {
    return new ConfigurationException("Cannot use " + service + " of test environment " + name
        + ": it declares none");
  }
}
