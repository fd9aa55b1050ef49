package dev.edx.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ServiceSpec;
import java.net.URI;
import org.junit.jupiter.api.Test;

class EndpointsTest {
  private static final String EXAMPLE = "http://127.0.0.1:9000";

  @Test
  void httpTakesHttpAndHttpsUrlsWithAHostAsWritten() {
    assertThat(Endpoints.http("https://s3.example.com/base", EXAMPLE))
        .isEqualTo(URI.create("https://s3.example.com/base"));
    assertThatThrownBy(() -> Endpoints.http("minio:9000", EXAMPLE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("must be an http:// or https:// URL with a host, such as " + EXAMPLE
            + ", not 'minio:9000'");
    assertThatThrownBy(() -> Endpoints.http("http://bad host", EXAMPLE))
        .hasMessageStartingWith("is not a URL: ");
  }

  @Test
  void httpRootRefusesAPathAndDropsATrailingSlash() {
    assertThat(Endpoints.httpRoot("HTTP://127.0.0.1:9000/", EXAMPLE))
        .isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThatThrownBy(() -> Endpoints.httpRoot("http://h:1/bucket", EXAMPLE))
        .hasMessage("must not have a path or query: 'http://h:1/bucket'");
    assertThatThrownBy(() -> Endpoints.httpRoot("http://h:1?x=1", EXAMPLE))
        .hasMessageContaining("path or query");
  }

  @Test
  void asASettingTheErrorNamesTheKey() {
    Setting<URI> endpoint = Setting.string("endpoint", "The endpoint.").required()
        .map(s -> Endpoints.httpRoot(s.trim(), EXAMPLE));
    ServiceSpec spec = ServiceSpec.builder("storage", "minio").set("endpoint", "ftp://h").build();
    assertThatThrownBy(() -> endpoint.get(spec)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.storage.endpoint").hasMessageContaining("http://");
  }
}
