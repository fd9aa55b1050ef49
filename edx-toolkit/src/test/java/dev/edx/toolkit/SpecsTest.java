package dev.edx.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpecsTest {

  private final ServiceSpec spec = ServiceSpec.builder("storage", "minio")
      .setSource("envs/dev.yaml")
      .set("endpoint", "http://127.0.0.1:9000").setLine("endpoint", 7)
      .setSensitive("secretKey", "s3cr3t-value").setLine("secretKey", 9)
      .set("buckets", List.of("gha-raw", "gha-lake")).setLine("buckets", 10)
      .set("threads", "many").setLine("threads", 11)
      .set("timeout", "5m")
      .set("partSize", "16MiB")
      .build();

  @Test
  void unknownKeyNamesTheKeyTheLineAndASuggestion() {
    assertThatThrownBy(() -> Specs.requireOnlyKeys(spec, Set.of("endpoint", "secretKey", "bucket",
            "threads", "timeout", "partSize")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.storage.buckets (envs/dev.yaml line 10)")
        .hasMessageContaining("is not a setting of the 'minio' storage provider")
        .hasMessageContaining("did you mean 'bucket'?");
  }

  @Test
  void wrongTypeNamesKeyAndLine() {
    ConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
        ConfigurationException.class, () -> Specs.getInt(spec, "threads", 2));
    assertThat(e.getMessage()).isEqualTo(
        "Invalid spec.storage.threads (envs/dev.yaml line 11): must be a whole number, not 'many'");
    assertThat(e.key()).contains("spec.storage.threads");
    assertThat(e.line()).isEqualTo(11);
  }

  @Test
  void missingRequiredValueSaysWhereToAddIt() {
    assertThatThrownBy(() -> Specs.requireString(spec, "region"))
        .hasMessageContaining("spec.storage.region")
        .hasMessageContaining("is required and missing; add it to spec.storage");
  }

  @Test
  void typedGetters() {
    assertThat(Specs.getStringList(spec, "buckets")).containsExactly("gha-raw", "gha-lake");
    assertThat(Specs.getDuration(spec, "timeout")).contains(Duration.ofMinutes(5));
    assertThat(Specs.getBoolean(spec, "missing", true)).isTrue();
    assertThat(Specs.getSize(spec, "partSize")).contains(16L * 1024 * 1024);
    assertThatThrownBy(() -> Specs.getBoolean(spec, "endpoint", false))
        .hasMessageContaining("must be true or false");
    assertThatThrownBy(() -> Specs.getSize(spec, "endpoint"))
        .hasMessageContaining("must be a size in bytes or with a unit");
  }

  @Test
  void aSensitiveValueNeverAppearsInAnError() {
    ServiceSpec secret = ServiceSpec.builder("storage", "s3")
        .setSensitive("secretKey", "not-a-number-s3cr3t").build();
    assertThatThrownBy(() -> Specs.getLong(secret, "secretKey"))
        .hasMessageContaining("must be a whole number")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> Specs.getSize(secret, "secretKey"))
        .hasMessageNotContaining("s3cr3t");
  }
}
