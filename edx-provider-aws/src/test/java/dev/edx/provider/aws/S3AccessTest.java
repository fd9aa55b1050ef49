package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.ObjectStorage;
import dev.edx.api.S3Access;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * How engines reach {@code s3} storage ({@link ObjectStorage#s3Access}): the spec's endpoint,
 * region and addressing, and its static keys with the keys they came from; none with a profile or
 * the default chain. Creating the storage calls no service.
 */
class S3AccessTest {

  private static S3Access access(ServiceSpec.Builder spec) {
    try (S3ObjectStorage storage = (S3ObjectStorage) Specs.create(new S3StorageProvider(),
        spec.build(), new TestProviderContext())) {
      return storage.s3Access().orElseThrow();
    }
  }

  @Test
  void staticKeysAndTheirSpecKeysWithAnEndpoint() {
    S3Access access = access(ServiceSpec.builder("storage", "s3")
        .set("endpoint", "http://127.0.0.1:9000").set("region", "eu-west-1")
        .set("pathStyle", true)
        .setSensitive("accessKeyId", "AKIAS3ACCESSTEST")
        .setSensitive("secretAccessKey", "s3-access-secret")
        .setSensitive("sessionToken", "s3-access-token"));

    assertThat(access.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
    assertThat(access.region()).contains("eu-west-1");
    assertThat(access.pathStyle()).isTrue();
    S3Access.Credentials keys = access.credentials().orElseThrow();
    assertThat(keys.accessKeyId()).isEqualTo("AKIAS3ACCESSTEST");
    assertThat(keys.secretAccessKey()).isEqualTo("s3-access-secret");
    assertThat(keys.sessionToken()).contains("s3-access-token");
    assertThat(keys.accessKeyIdKey()).isEqualTo("accessKeyId");
    assertThat(keys.secretAccessKeyKey()).isEqualTo("secretAccessKey");
    assertThat(keys.sessionTokenKey()).contains("sessionToken");
    assertThat(access.toString()).doesNotContain("s3-access-secret")
        .doesNotContain("AKIAS3ACCESSTEST").doesNotContain("s3-access-token");
  }

  @Test
  void onAwsWithAProfileThereAreNoKeysToHandOn() {
    S3Access access = access(ServiceSpec.builder("storage", "s3").set("region", "us-east-2")
        .set("profile", "analytics"));

    assertThat(access.endpoint()).isEmpty();
    assertThat(access.region()).contains("us-east-2");
    assertThat(access.pathStyle()).isFalse();
    assertThat(access.credentials()).isEmpty();
  }
}
