package dev.edx.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ServiceSpec;
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
  void errorNamesTheKeyTheSourceAndTheLine() {
    ConfigurationException e = spec.error("threads", "must be a whole number, not 'many'");
    assertThat(e.getMessage()).isEqualTo(
        "Invalid spec.storage.threads (envs/dev.yaml line 11): must be a whole number, not 'many'");
    assertThat(e.key()).contains("spec.storage.threads");
    assertThat(e.line()).isEqualTo(11);
    assertThat(spec.error("buckets[1]", "x").line()).isEqualTo(10);
  }

  @Test
  void toStringMasksSensitiveValues() {
    assertThat(spec.toString()).contains("secretKey=****").doesNotContain("s3cr3t-value")
        .contains("endpoint=http://127.0.0.1:9000");
    assertThat(spec.withSensitive(Set.of("endpoint")).toString())
        .doesNotContain("127.0.0.1");
  }
}
