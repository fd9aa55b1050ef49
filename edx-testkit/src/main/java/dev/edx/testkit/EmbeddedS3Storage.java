package dev.edx.testkit;

import dev.edx.api.Compute;
import dev.edx.api.Environment;
import dev.edx.api.Metastore;
import dev.edx.api.ObjectStorage;
import dev.edx.api.Secrets;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import dev.edx.core.EnvironmentSpec;
import dev.edx.core.Environments;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Puts an embedded environment's storage on S3: when the {@code minio} storage provider is on the
 * class path, the environment's storage is that provider against an {@link S3Endpoint} (embedded
 * in {@code <data>/s3}, or the external one of {@code EDX_TEST_S3_ENDPOINT}), so tests speak the
 * real S3 protocol. The testkit does not depend on the provider: a provider's tests or an
 * application bring it. Without it, storage stays local.
 */
final class EmbeddedS3Storage {
  static final String MINIO = "minio";

  private EmbeddedS3Storage() {}

  /** Whether a {@code minio} storage provider is on the class path. */
  static boolean available() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return ServiceLoader.load(StorageProvider.class, loader).stream()
        .anyMatch(p -> MINIO.equals(p.get().name()));
  }

  /** Opens {@code spec} with its storage replaced by {@code minio} on a started endpoint. */
  static Environment open(EnvironmentSpec spec, Path dataDirectory) {
    S3Endpoint endpoint = S3Endpoint.start(Optional.of(dataDirectory.resolve("s3")));
    try {
      Map<String, ServiceSpec> services = new LinkedHashMap<>(spec.services());
      services.put("storage", ServiceSpec.builder("storage", MINIO)
          .setSource(spec.source())
          .set("endpoint", endpoint.endpoint().toString())
          .set("region", endpoint.region())
          .setSensitive("accessKey", endpoint.accessKey())
          .setSensitive("secretKey", endpoint.secretKey())
          .build());
      EnvironmentSpec s3 = new EnvironmentSpec(spec.name(), spec.labels(), services,
          spec.source(), spec.baseDirectory());
      return new WithEndpoint(Environments.open(s3), endpoint);
    } catch (RuntimeException | Error e) {
      endpoint.close();
      throw e;
    }
  }

  /** The environment, and the endpoint it stops after closing. */
  private static final class WithEndpoint implements Environment {
    private final Environment environment;
    private final S3Endpoint endpoint;
    private final AtomicBoolean closed = new AtomicBoolean();

    WithEndpoint(Environment environment, S3Endpoint endpoint) {
      this.environment = environment;
      this.endpoint = endpoint;
    }

    @Override
    public String name() {
      return environment.name();
    }

    @Override
    public ObjectStorage storage() {
      return environment.storage();
    }

    @Override
    public Compute compute() {
      return environment.compute();
    }

    @Override
    public Metastore metastore() {
      return environment.metastore();
    }

    @Override
    public Secrets secrets() {
      return environment.secrets();
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try {
        environment.close();
      } finally {
        endpoint.close();
      }
    }

    @Override
    public String toString() {
      return environment + " on " + endpoint;
    }
  }
}
