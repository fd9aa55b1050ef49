package dev.edx.provider.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spec, parsed once: keys, TLS settings, bucket settings; errors name the key. */
class MinioSettingsTest {
  private static final String SECRET = "s3cr3t-never-shown";

  @TempDir
  Path dir;

  private ServiceSpec spec(UnaryOperator<ServiceSpec.Builder> more) {
    return more.apply(ServiceSpec.builder("storage", "minio").setSource("dev.yaml")
        .set("endpoint", "https://minio.example.com:9000")
        .setSensitive("accessKey", "edx").setSensitive("secretKey", SECRET)).build();
  }

  private MinioSettings parse(UnaryOperator<ServiceSpec.Builder> more) {
    return parse(spec(more));
  }

  /** Parses a spec as edx-core does: checked against the provider's settings first. */
  private MinioSettings parse(ServiceSpec spec) {
    return MinioSettings.parse(Specs.checked(MinioTesting.provider(), spec),
        new TestProviderContext("test", dir));
  }

  @Test
  void defaults() {
    MinioSettings settings = parse(b -> b);
    assertThat(settings.endpoint()).hasToString("https://minio.example.com:9000");
    assertThat(settings.region()).isEqualTo("us-east-1");
    assertThat(settings.partSize()).isEqualTo(16L * 1024 * 1024);
    assertThat(settings.tls().insecure()).isFalse();
    assertThat(settings.tls().trustManager()).isEmpty();
    assertThat(settings.toString()).doesNotContain(SECRET).doesNotContain("edx,");
  }

  @Test
  void unknownKeysAndMissingEndpointAreErrorsNamingTheKey() {
    assertThatThrownBy(() -> parse(b -> b.set("enpoint", "x")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.storage.enpoint")
        .hasMessageContaining("did you mean 'endpoint'");
    assertThatThrownBy(() -> parse(ServiceSpec.builder("storage", "minio").build()))
        .hasMessageContaining("spec.storage.endpoint")
        .hasMessageContaining("required");
    assertThatThrownBy(() -> parse(b -> b.set("endpoint", "minio:9000")))
        .hasMessageContaining("spec.storage.endpoint").hasMessageContaining("http://");
    assertThatThrownBy(() -> parse(ServiceSpec.builder("storage", "minio")
        .set("endpoint", "http://h:1").setSensitive("secretKey", SECRET).build()))
        .hasMessageContaining("spec.storage.accessKey")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void partSizeTakesUnitsWithinS3Limits() {
    assertThat(parse(b -> b.set("partSize", "64MiB")).partSize()).isEqualTo(64L << 20);
    assertThat(parse(b -> b.set("partSize", 8 * 1024 * 1024)).partSize()).isEqualTo(8L << 20);
    assertThatThrownBy(() -> parse(b -> b.set("partSize", "1MiB")))
        .hasMessageContaining("spec.storage.partSize").hasMessageContaining("5MiB");
    assertThatThrownBy(() -> parse(b -> b.set("partSize", "lots")))
        .hasMessageContaining("spec.storage.partSize");
  }

  @Test
  void bucketsAreNamesOrMapsOfSettings() {
    MinioSettings settings = parse(b -> b.set("buckets", List.of("raw",
        Map.of("name", "lake", "versioning", true,
            "policy", "{\"Version\": \"2012-10-17\", \"Statement\": []}",
            "lifecycle", Map.of("expireDays", 7, "prefix", "tmp/")))));
    assertThat(settings.buckets()).hasSize(2);
    assertThat(settings.buckets().get(0)).isEqualTo(BucketSpec.named("raw"));
    BucketSpec lake = settings.buckets().get(1);
    assertThat(lake.versioning()).hasValue(true);
    assertThat(lake.policy()).hasValueSatisfying(p -> assertThat(p).contains("2012-10-17"));
    assertThat(lake.lifecycle()).hasValue(new BucketSpec.Lifecycle(7, "tmp/"));

    assertThatThrownBy(() -> parse(b -> b.set("buckets", List.of(Map.of("name", "xyz",
        "policy", "{not json"))))).hasMessageContaining("spec.storage.buckets[0].policy");
    assertThatThrownBy(() -> parse(b -> b.set("buckets", List.of(Map.of("name", "xyz",
        "lifecycle", Map.of("expireDays", 0))))))
        .hasMessageContaining("spec.storage.buckets[0].lifecycle.expireDays");
    assertThatThrownBy(() -> parse(b -> b.set("buckets", List.of(Map.of("name", "xyz",
        "versioned", true))))).hasMessageContaining("spec.storage.buckets[0].versioned");
    assertThatThrownBy(() -> parse(b -> b.set("buckets", List.of("xyz", "xyz"))))
        .hasMessageContaining("spec.storage.buckets[1]").hasMessageContaining("twice");
    assertThatThrownBy(() -> parse(b -> b.set("buckets", List.of("Bad_Name"))))
        .hasMessageContaining("spec.storage.buckets[0]");
  }

  @Test
  void badCaFilePathIsAClearErrorNamingTheKey() {
    assertThatThrownBy(() -> parse(b -> b.set("caFile", "certs/missing-ca.pem")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("Invalid spec.storage.caFile (dev.yaml)")
        .hasMessageContaining(dir.resolve("certs/missing-ca.pem").toString())
        .hasMessageContaining("cannot read");
  }

  @Test
  void caFileThatIsNotPemIsAClearError() throws Exception {
    Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    assertThatThrownBy(() -> parse(b -> b.set("caFile", "ca.pem")))
        .hasMessageContaining("spec.storage.caFile");
  }

  @Test
  void trustStoreErrorsNameTheKeyNotThePassword() throws Exception {
    assertThatThrownBy(() -> parse(b -> b.set("trustStore", "missing.p12")))
        .hasMessageContaining("spec.storage.trustStore").hasMessageContaining("missing.p12");
    Files.write(dir.resolve("garbage.p12"), new byte[] {1, 2, 3, 4});
    assertThatThrownBy(() -> parse(b -> b.set("trustStore", "garbage.p12")
        .setSensitive("trustStorePassword", "pw-" + SECRET)))
        .hasMessageContaining("spec.storage.trustStore").hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> parse(b -> b.setSensitive("trustStorePassword", "x")))
        .hasMessageContaining("spec.storage.trustStorePassword");
  }

  @Test
  void trustStoreOfTheJvmLoads() throws Exception {
    Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    MinioSettings settings = parse(b -> b.set("trustStore", cacerts.toString())
        .setSensitive("trustStorePassword", "changeit"));
    assertThat(settings.tls().trustManager()).isPresent();
    assertThat(settings.tls().trustManager().get().getAcceptedIssuers()).isNotEmpty();
  }

  @Test
  void aPlainHttpEndpointNeverSetsUpTlsAndAnHttpsOneChecksWithTheJvmsCas() throws Exception {
    ServiceSpec http = spec(b -> b.set("endpoint", "http://127.0.0.1:9000"));
    try (MinioObjectStorage storage = (MinioObjectStorage) Specs.create(
        MinioTesting.provider(), http, new TestProviderContext("test", dir))) {
      assertThat(storage.httpClient().x509TrustManager().getAcceptedIssuers()).isEmpty();
      assertThatThrownBy(() -> storage.httpClient().sslSocketFactory()
          .createSocket("minio.example.com", 443))
          .hasMessageContaining("this storage's endpoint is plain http");
    }
    try (MinioObjectStorage storage = (MinioObjectStorage) Specs.create(
        MinioTesting.provider(), spec(b -> b), new TestProviderContext("test", dir))) {
      assertThat(storage.httpClient().x509TrustManager().getAcceptedIssuers()).isNotEmpty();
    }
  }

  @Test
  void insecureSkipTlsVerifyLogsAWarningEachTimeTheStorageOpens() {
    ServiceSpec insecure = spec(b -> b.set("insecureSkipTlsVerify", true));
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (int i = 0; i < 2; i++) {
        try (MinioObjectStorage storage = (MinioObjectStorage) Specs.create(
            MinioTesting.provider(), insecure, new TestProviderContext("test", dir))) {
          assertThat(storage.httpClient().hostnameVerifier().verify("any.host", null)).isTrue();
        }
      }
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log.split("WARN", -1)).as(log).hasSize(3);
    assertThat(log).contains("TLS certificate and host name checks are OFF for"
        + " https://minio.example.com:9000").doesNotContain(SECRET);
    assertThatThrownBy(() -> parse(b -> b.set("insecureSkipTlsVerify", true)
        .set("caFile", "ca.pem"))).hasMessageContaining("spec.storage.insecureSkipTlsVerify");
  }
}
