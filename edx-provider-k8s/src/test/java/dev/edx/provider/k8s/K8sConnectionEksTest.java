package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.api.Environment;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.MotoServer;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A {@code k8s} connection to an Amazon EKS cluster ({@code eks: {cluster, region}}): the fabric8
 * client built from such a spec sends {@code Authorization: Bearer k8s-aws-v1.…} (recorded by
 * fabric8's mock API server), the token is made anew before it expires, and the presigned STS
 * GetCallerIdentity URL inside it is answered by <b>moto's STS</b> (skipped when moto is not
 * installed; moto does not check the signature, {@link EksTokenTest} does against a vector).
 */
class K8sConnectionEksTest {
  private static final String KEY_ID = "AKIDEKSTEST";
  private static final Map<String, String> AWS_ENV = Map.of("AWS_ACCESS_KEY_ID", KEY_ID,
      "AWS_SECRET_ACCESS_KEY", "eks-test-secret");

  private static ServiceSpec.Builder spec(String masterUrl) {
    return ServiceSpec.builder("compute", "k8s").set("namespace", "edx-dev")
        .set("masterUrl", masterUrl)
        .set("eks", Map.of("cluster", "gha-prod", "region", "eu-west-1"));
  }

  @Test
  void theClientFromAnEksSpecSendsAnEksBearerToken() throws Exception {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    try {
      server.expect().get().withPath("/api/v1/namespaces/edx-dev/pods")
          .andReturn(200, new PodListBuilder().build()).always();
      K8sConnection connection = K8sConnection.from(spec(server.url("/")).build(),
          context(AWS_ENV));
      try (KubernetesClient client = connection.connect()) {
        client.pods().list();
        client.pods().list();
      }
      RecordedRequest first = server.takeRequest();
      RecordedRequest second = server.takeRequest();

      String authorization = first.getHeader("Authorization");
      assertThat(authorization).startsWith("Bearer k8s-aws-v1.");
      assertThat(second.getHeader("Authorization")).as("one token until it is due")
          .isEqualTo(authorization);
      URI url = decode(authorization.substring("Bearer ".length()));
      assertThat(url.getHost()).isEqualTo("sts.eu-west-1.amazonaws.com");
      Map<String, String> query = query(url);
      assertThat(query).containsEntry("Action", "GetCallerIdentity")
          .containsEntry("X-Amz-SignedHeaders", "host;x-k8s-aws-id");
      assertThat(query.get("X-Amz-Credential")).startsWith(KEY_ID + "/")
          .endsWith("/eu-west-1/sts/aws4_request");
      assertThat(connection.toString()).contains("eks cluster gha-prod in eu-west-1")
          .doesNotContain("k8s-aws-v1");
    } finally {
      server.destroy();
    }
  }

  @Test
  void theTokenIsMadeAnewBeforeTheClusterStopsAcceptingIt() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T10:00:00Z"));
    Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    K8sConnectionEks tokens = new K8sConnectionEks(
        new K8sConnectionProperties.Eks("gha-prod", "eu-west-1", Optional.empty()),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, "secret")), clock);

    String first = tokens.getToken();
    now.set(now.get().plus(K8sConnectionEks.REFRESH_AFTER).minusSeconds(1));
    assertThat(tokens.getToken()).isEqualTo(first);
    now.set(now.get().plusSeconds(1));
    String second = tokens.getToken();

    assertThat(K8sConnectionEks.REFRESH_AFTER).isLessThan(Duration.ofMinutes(15));
    assertThat(second).isNotEqualTo(first);
    assertThat(query(decode(first))).containsEntry("X-Amz-Date", "20261130T100000Z");
    assertThat(query(decode(second))).containsEntry("X-Amz-Date", "20261130T101000Z");
  }

  @Test
  void theTokensPresignedUrlIsAGetCallerIdentityThatStsOnMotoAnswers() throws Exception {
    Optional<MotoServer> started = MotoServer.start();
    assumeTrue(started.isPresent(), "moto is not installed (python3 -m moto.server)");
    try (MotoServer moto = started.get()) {
      K8sConnection connection = K8sConnection.from(spec("https://eks.example.org").build(),
          context(AWS_ENV));
      String token = connection.config().getOauthTokenProvider().getToken();
      URI url = decode(token);

      // The URL as the EKS cluster sends it to STS: its path and query, its signed Host header
      // and the cluster header; sent to moto's port instead of sts.<region>.amazonaws.com.
      // moto's server picks the service of a request from its Authorization header only (an
      // unsigned GET goes to S3), so the query's credential scope is repeated there; moto checks
      // no signature (EksTokenTest checks it against a vector).
      Map<String, String> query = query(url);
      String response = get(moto.endpoint(), url, Map.of("Host", url.getHost(),
          "x-k8s-aws-id", "gha-prod", "Authorization", "AWS4-HMAC-SHA256 Credential="
              + query.get("X-Amz-Credential") + ", SignedHeaders="
              + query.get("X-Amz-SignedHeaders") + ", Signature=" + query.get("X-Amz-Signature")));

      assertThat(response).startsWith("HTTP/1.1 200");
      assertThat(query.get("X-Amz-Credential")).endsWith("/eu-west-1/sts/aws4_request");
      assertThat(response).contains("<GetCallerIdentityResponse")
          .contains("<GetCallerIdentityResult>").contains("<Account>").contains("<Arn>");
    }
  }

  @Test
  void eksSpecErrorsNameTheKey() {
    ProviderContext context = context(AWS_ENV);
    assertThatThrownBy(() -> K8sConnection.from(spec("https://eks.example.org")
        .set("token", "static-token").build(), context))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("token")
        .hasMessageContaining("eks").hasMessageNotContaining("static-token");
    assertThatThrownBy(() -> K8sConnection.from(spec("https://eks.example.org")
        .set("eks", Map.of("cluster", "gha-prod")).build(), context))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("eks")
        .hasMessageContaining("needs region");
    assertThatThrownBy(() -> K8sConnection.from(spec("https://eks.example.org")
        .set("eks", Map.of("cluster", "gha-prod", "region", "eu-west-1", "role", "x")).build(),
        context))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("eks")
        .hasMessageContaining("role");
    assertThatThrownBy(() -> K8sConnection.from(spec("https://eks.example.org")
        .set("eks", Map.of("cluster", "gha-prod", "region", "Ireland")).build(), context))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("eks")
        .hasMessageContaining("Ireland");
  }

  @Test
  void eksIsDeclaredOnceForBothK8sProviders() {
    assertThat(new K8sComputeProvider().properties()).extracting(PropertyDescriptor::name)
        .contains("eks");
    assertThat(new K8sSecretsProvider().properties()).extracting(PropertyDescriptor::name)
        .contains("eks");
  }

  /** The presigned URL inside a token. */
  private static URI decode(String token) {
    assertThat(token).startsWith(EksToken.PREFIX);
    return URI.create(new String(Base64.getUrlDecoder().decode(
        token.substring(EksToken.PREFIX.length())), StandardCharsets.UTF_8));
  }

  private static Map<String, String> query(URI url) {
    Map<String, String> query = new TreeMap<>();
    for (String pair : url.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return query;
  }

  /**
   * A GET of {@code url}'s path and query to {@code server}, with the given headers (a Host
   * header other than the server's, which Java's HTTP clients do not send), as raw HTTP/1.1.
   */
  private static String get(URI server, URI url, Map<String, String> headers)
      throws IOException {
    try (Socket socket = new Socket(server.getHost(), server.getPort())) {
      socket.setSoTimeout(30_000);
      StringBuilder request = new StringBuilder("GET " + url.getRawPath() + "?"
          + url.getRawQuery() + " HTTP/1.1\r\n");
      headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      request.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static ProviderContext context(Map<String, String> env) {
    return new ProviderContext() {
      @Override
      public String environmentName() {
        return "test";
      }

      @Override
      public Path baseDirectory() {
        return Path.of(".");
      }

      @Override
      public ClassLoader classLoader() {
        return getClass().getClassLoader();
      }

      @Override
      public Optional<String> environmentVariable(String name) {
        return Optional.ofNullable(env.get(name));
      }

      @Override
      public Environment environment() {
        throw new IllegalStateException("no environment");
      }
    };
  }
}
