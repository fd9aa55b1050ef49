package dev.edx.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceSpecTest {

  private final ServiceSpec spec = ServiceSpec.builder("storage", "minio")
      .setSource("envs/dev.yaml")
      .set("endpoint", "http://127.0.0.1:9000").setLine("endpoint", 7)
      .setSensitive("secretKey", "s3cr3t-value").setLine("secretKey", 9)
      .set("buckets", List.of("gha-raw", "gha-lake")).setLine("buckets", 10)
      .set("threads", "many").setLine("threads", 11)
      .set("timeout", "5m")
      .build();

  @Test
  void unknownKeyNamesTheKeyTheLineAndASuggestion() {
    assertThatThrownBy(() -> spec.requireOnlyKeys(Set.of("endpoint", "secretKey", "bucket",
            "threads", "timeout")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.storage.buckets (envs/dev.yaml line 10)")
        .hasMessageContaining("is not a setting of the 'minio' storage provider")
        .hasMessageContaining("did you mean 'bucket'?");
  }

  @Test
  void wrongTypeNamesKeyAndLine() {
    ConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
        ConfigurationException.class, () -> spec.getInt("threads", 2));
    assertThat(e.getMessage()).isEqualTo(
        "Invalid spec.storage.threads (envs/dev.yaml line 11): must be a whole number, not 'many'");
    assertThat(e.key()).contains("spec.storage.threads");
    assertThat(e.line()).isEqualTo(11);
  }

  @Test
  void missingRequiredValueSaysWhereToAddIt() {
    assertThatThrownBy(() -> spec.requireString("region"))
        .hasMessageContaining("spec.storage.region")
        .hasMessageContaining("is required and missing; add it to spec.storage");
  }

  @Test
  void toStringMasksSensitiveValues() {
    assertThat(spec.toString()).contains("secretKey=****").doesNotContain("s3cr3t-value")
        .contains("endpoint=http://127.0.0.1:9000");
    assertThat(spec.withSensitive(Set.of("endpoint")).toString())
        .doesNotContain("127.0.0.1");
  }

  @Test
  void typedGetters() {
    assertThat(spec.getStringList("buckets")).containsExactly("gha-raw", "gha-lake");
    assertThat(spec.getDuration("timeout")).contains(Duration.ofMinutes(5));
    assertThat(spec.getBoolean("missing", true)).isTrue();
    assertThatThrownBy(() -> spec.getBoolean("endpoint", false))
        .hasMessageContaining("must be true or false");
  }
}
