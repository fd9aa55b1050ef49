package dev.edx.provider.minio;

import dev.edx.api.ObjectStorage;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import dev.edx.embedded.S3Endpoint;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/** Opens the {@code minio} provider, found as a spec would find it, on a test endpoint. */
final class MinioTesting {
  private MinioTesting() {}

  static StorageProvider provider() {
    return ServiceLoader.load(StorageProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("minio"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no 'minio' StorageProvider on the class path"));
  }

  /** A spec for the endpoint, with its credentials marked sensitive as edx-core would. */
  static ServiceSpec.Builder spec(S3Endpoint endpoint) {
    return ServiceSpec.builder("storage", "minio")
        .set(MinioProperties.ENDPOINT.key(), endpoint.endpoint().toString())
        .set(MinioProperties.REGION.key(), endpoint.region())
        .setSensitive(MinioProperties.ACCESS_KEY.key(), endpoint.accessKey())
        .setSensitive(MinioProperties.SECRET_KEY.key(), endpoint.secretKey());
  }

  static MinioObjectStorage open(S3Endpoint endpoint) {
    return open(endpoint, b -> b);
  }

  static MinioObjectStorage open(S3Endpoint endpoint, UnaryOperator<ServiceSpec.Builder> more) {
    return open(endpoint, "test", more);
  }

  /** The storage of the environment named {@code environment}, made as edx-core makes it. */
  static MinioObjectStorage open(S3Endpoint endpoint, String environment,
      UnaryOperator<ServiceSpec.Builder> more) {
    ObjectStorage storage = Specs.create(provider(), more.apply(spec(endpoint)).build(),
        new TestProviderContext(environment));
    return (MinioObjectStorage) storage;
  }
}
