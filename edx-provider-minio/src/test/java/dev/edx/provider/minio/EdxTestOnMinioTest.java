package dev.edx.provider.minio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.api.SupportsPresignedUrls;
import dev.edx.embedded.EmbeddedEnvironments;
import dev.edx.testkit.EdxTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With this provider on the class path, {@code @EdxTest} storage speaks S3 through it. */
@EdxTest
class EdxTestOnMinioTest {

  @Test
  void edxTestStorageIsMinioOnTheEmbeddedEndpoint(Environment env) {
    assertThat(env.storage()).isInstanceOf(MinioObjectStorage.class)
        .isInstanceOf(SupportsPresignedUrls.class);
    env.storage().createBucket("edxtest-raw");
    ObjectRef ref = ObjectRef.of("edxtest-raw", "2015/01/01/15.json.gz");
    env.storage().put(ref, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(env.storage().uri(ref)).hasToString("s3a://edxtest-raw/2015/01/01/15.json.gz");
    assertThat(env.storage().readAllBytes(ref)).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void embeddedEnvironmentDataSurvivesAReopen(@TempDir Path dir) {
    ObjectRef ref = ObjectRef.of("kept", "object");
    try (Environment env = EmbeddedEnvironments.open(dir)) {
      env.storage().createBucket("kept");
      env.storage().put(ref, new byte[] {4, 2});
    }
    assertThat(Files.isDirectory(dir.resolve("s3"))).isTrue();
    try (Environment env = EmbeddedEnvironments.open(dir)) {
      assertThat(env.storage()).isInstanceOf(MinioObjectStorage.class);
      assertThat(env.storage().readAllBytes(ref)).containsExactly(4, 2);
    }
  }
}
