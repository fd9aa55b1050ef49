package dev.edx.provider.aws;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import dev.edx.embedded.S3Endpoint;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/** Opens the {@code s3} provider, found as a spec would find it, on a test endpoint. */
final class S3Testing {
  private S3Testing() {}

  static StorageProvider provider() {
    return ServiceLoader.load(StorageProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("s3"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no 's3' StorageProvider on the class path"));
  }

  /** A spec for the endpoint: path-style, its credentials marked sensitive as edx-core would. */
  static ServiceSpec.Builder spec(S3Endpoint endpoint) {
    return ServiceSpec.builder("storage", "s3")
        .set(AwsProperties.ENDPOINT.key(), endpoint.endpoint().toString())
        .set(AwsProperties.REGION.key(), endpoint.region())
        .set(S3Properties.PATH_STYLE.key(), true)
        .setSensitive(AwsProperties.ACCESS_KEY_ID.key(), endpoint.accessKey())
        .setSensitive(AwsProperties.SECRET_ACCESS_KEY.key(), endpoint.secretKey());
  }

  static S3ObjectStorage open(S3Endpoint endpoint) {
    return open(endpoint, b -> b);
  }

  static S3ObjectStorage open(S3Endpoint endpoint, UnaryOperator<ServiceSpec.Builder> more) {
    return (S3ObjectStorage) Specs.create(provider(), more.apply(spec(endpoint)).build(),
        new TestProviderContext());
  }
}
