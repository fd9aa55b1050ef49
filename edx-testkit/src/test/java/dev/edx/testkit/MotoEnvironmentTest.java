package dev.edx.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.core.EnvironmentSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.Bucket;

/** {@link MotoEnvironment} on moto's server; skipped where moto is not installed. */
class MotoEnvironmentTest {
  @TempDir
  Path dir;

  @Test
  void storesTheStorageKeysInSecretsManagerAndWritesASpecThatReadsThemFromThere() {
    Optional<MotoServer> moto = MotoServer.start();
    assumeTrue(moto.isPresent(), "moto is not installed (python3 -m moto.server)");
    try (MotoServer server = moto.get();
        MotoEnvironment aws = MotoEnvironment.builder(server, dir).setName("fixture-test")
            .setStorageKeys("store-keys", "store-access", "store-secret")
            .setBuckets("raw", "lake").setDatabases("db").build()) {
      assertThat(aws.secrets().getSecretValue(b -> b.secretId("store-keys")).secretString())
          .isEqualTo("{\"accessKey\":\"store-access\",\"secretKey\":\"store-secret\"}");
      assertThat(dir.resolve("keys/access")).hasContent(MotoServer.ACCESS_KEY);
      assertThat(dir.resolve("keys/secret")).hasContent(MotoServer.SECRET_KEY);

      EnvironmentSpec spec = EnvironmentSpec.parse(aws.spec());
      assertThat(spec.name()).isEqualTo("fixture-test");
      ServiceSpec secrets = spec.service("secrets").orElseThrow();
      assertThat(secrets.provider()).isEqualTo("secretsmanager");
      assertThat(secrets.get("endpoint")).contains(server.endpoint().toString());
      assertThat(secrets.get("accessKeyId")).contains("${file:keys/access}");
      ServiceSpec storage = spec.service("storage").orElseThrow();
      assertThat(storage.provider()).isEqualTo("s3");
      assertThat(storage.get("buckets")).contains(List.of("raw", "lake"));
      assertThat(storage.get("accessKeyId")).contains("${secret:store-keys/accessKey}");
      assertThat(storage.get("secretAccessKey")).contains("${secret:store-keys/secretKey}");
      ServiceSpec metastore = spec.service("metastore").orElseThrow();
      assertThat(metastore.provider()).isEqualTo("glue");
      assertThat(metastore.get("databases")).contains(List.of("db"));
      assertThat(spec.service("compute")).map(ServiceSpec::provider).contains("local");

      aws.s3().createBucket(b -> b.bucket("probe"));
      assertThat(aws.s3().listBuckets().buckets()).extracting(Bucket::name)
          .containsExactly("probe");
      assertThat(aws.glue().getDatabases(b -> { }).databaseList()).isEmpty();
    }
  }
}
