package dev.edx.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.PropertyDescriptor.Type;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingTest {

  /** A provider's settings, declared once. */
  public static final class ExampleProperties {
    public static final Setting<String> ENDPOINT =
        Setting.string("endpoint", "The URL.").required();
    public static final Setting<String> SECRET_KEY =
        Setting.string("secretKey", "The secret key.").sensitive();
    public static final Setting<Integer> THREADS = Setting.integer("threads", "Worker threads.")
        .check(n -> n >= 1, "must be at least 1").withDefault(2);
    public static final Setting<Duration> TIMEOUT = Setting.duration("timeout", "How long.")
        .withDefault(Duration.ofSeconds(30), "30s");
    public static final Setting<Long> PART_SIZE = Setting.size("partSize", "Part size.")
        .check(n -> n >= 5L << 20, "must be at least 5MiB").withDefault(16L << 20, "16MiB");
    public static final Setting<List<DeclaredResource>> BUCKETS = Setting.resources("buckets",
        "bucket", name -> {
          if (name.contains("_")) {
            throw new IllegalArgumentException("bucket names have no '_'");
          }
        }, "Buckets.");
    /** Not a setting: ignored by declaredIn. */
    public static final String NOT_A_SETTING = "x";

    private ExampleProperties() {}
  }

  private static ServiceSpec spec(Object... keyValues) {
    ServiceSpec.Builder builder = ServiceSpec.builder("storage", "example").setSource("dev.yaml");
    for (int i = 0; i < keyValues.length; i += 2) {
      builder.set((String) keyValues[i], keyValues[i + 1]).setLine((String) keyValues[i], i + 3);
    }
    return builder.build();
  }

  @Test
  void descriptorsComeFromTheDeclarationsInOrder() {
    List<PropertyDescriptor> descriptors = Setting.descriptors(ExampleProperties.class);

    assertThat(descriptors).extracting(PropertyDescriptor::name)
        .containsExactly("endpoint", "secretKey", "threads", "timeout", "partSize", "buckets");
    assertThat(descriptors.get(0)).isEqualTo(new PropertyDescriptor("endpoint", Type.STRING, true,
        Optional.empty(), false, "The URL."));
    assertThat(descriptors.get(1).sensitive()).isTrue();
    assertThat(descriptors.get(2).defaultValue()).contains("2");
    assertThat(descriptors.get(3).defaultValue()).contains("30s");
    assertThat(descriptors.get(4).defaultValue()).contains("16MiB");
    assertThat(descriptors.get(5).type()).isEqualTo(Type.RESOURCE_LIST);
    assertThat(descriptors.get(5).defaultValue()).isEmpty();
  }

  @Test
  void valuesAreReadTypedWithDefaults() {
    ServiceSpec spec = spec("endpoint", "http://x", "threads", 4, "partSize", "32MiB",
        "buckets", List.of("a", java.util.Map.of("name", "b", "adopt", true)));

    assertThat(ExampleProperties.ENDPOINT.get(spec)).isEqualTo("http://x");
    assertThat(ExampleProperties.THREADS.get(spec)).isEqualTo(4);
    assertThat(ExampleProperties.TIMEOUT.get(spec)).isEqualTo(Duration.ofSeconds(30));
    assertThat(ExampleProperties.PART_SIZE.get(spec)).isEqualTo(32L << 20);
    assertThat(ExampleProperties.SECRET_KEY.find(spec)).isEmpty();
    assertThat(ExampleProperties.BUCKETS.get(spec))
        .containsExactly(new DeclaredResource("a", false), new DeclaredResource("b", true));
    assertThat(ExampleProperties.BUCKETS.get(spec("endpoint", "x"))).isEmpty();
  }

  @Test
  void errorsNameTheKeyTheLineAndTheRule() {
    assertThatThrownBy(() -> ExampleProperties.THREADS.get(spec("threads", 0)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("Invalid spec.storage.threads (dev.yaml line 3): must be at least 1, not 0");
    assertThatThrownBy(() -> ExampleProperties.ENDPOINT.get(spec("threads", 1)))
        .hasMessageContaining("spec.storage.endpoint")
        .hasMessageContaining("is required and missing; add it to spec.storage (The URL.)");
    assertThatThrownBy(() -> ExampleProperties.ENDPOINT.get(spec("endpoint", "  ")))
        .hasMessageContaining("is required and missing");
    assertThatThrownBy(() -> ExampleProperties.BUCKETS.get(spec("buckets", List.of("ok", "n_o"))))
        .hasMessageContaining("spec.storage.buckets[1]")
        .hasMessageContaining("bucket names have no '_'");
    assertThatThrownBy(() -> ExampleProperties.PART_SIZE.get(spec("partSize", "1MiB")))
        .hasMessageContaining("must be at least 5MiB");
    assertThatThrownBy(() -> ExampleProperties.SECRET_KEY.get(spec()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("use find()");
  }

  @Test
  void aSensitiveValueIsNeverShownInAnError() {
    Setting<String> pin = Setting.string("pin", "A PIN.").sensitive()
        .check(p -> p.length() == 4, "must have 4 digits");
    ServiceSpec spec = ServiceSpec.builder("secrets", "x").set("pin", "123456789").build();

    assertThatThrownBy(() -> pin.get(spec)).hasMessageContaining("must have 4 digits")
        .hasMessageNotContaining("123456789");
    assertThat(pin.toString()).doesNotContain("123456789");
  }

  @Test
  void mapConvertsAndReportsWhatIsWrong() {
    Setting<java.net.URI> endpoint = Setting.string("endpoint", "URL").map(text -> {
      if (!text.startsWith("http")) {
        throw new IllegalArgumentException("must be an http:// or https:// URL");
      }
      return java.net.URI.create(text);
    });

    assertThat(endpoint.get(spec("endpoint", "http://h:9000"))).hasPort(9000);
    assertThatThrownBy(() -> endpoint.get(spec("endpoint", "ftp://h")))
        .hasMessage("Invalid spec.storage.endpoint (dev.yaml line 3): must be an http:// or"
            + " https:// URL");
  }

  @Test
  void specsCreateChecksTheSpecAgainstTheDeclarationsFirst() {
    StorageProvider provider = new StorageProvider() {
      @Override
      public String name() {
        return "example";
      }

      @Override
      public List<PropertyDescriptor> properties() {
        return Setting.descriptors(ExampleProperties.class);
      }

      @Override
      public dev.edx.api.ObjectStorage create(ServiceSpec spec, ProviderContext context) {
        throw new AssertionError("create must not be reached with a bad spec");
      }
    };

    assertThat(provider.sensitivePropertyNames()).containsExactly("secretKey");
    assertThatThrownBy(() -> Specs.create(provider, spec("endpoint", "x", "thread", 2), null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.storage.thread (dev.yaml line 5)")
        .hasMessageContaining("did you mean 'threads'?");
    assertThatThrownBy(() -> Specs.create(provider, spec("threads", 2), null))
        .hasMessageContaining("spec.storage.endpoint").hasMessageContaining("required");
  }

  @Test
  void aHolderWithoutSettingsIsAMistake() {
    assertThatThrownBy(() -> Setting.declaredIn(String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("declares no public static final Setting field");
  }
}
