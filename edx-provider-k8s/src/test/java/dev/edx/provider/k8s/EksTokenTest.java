package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * The EKS bearer token against a vector derived here, step by step, from the SigV4 rules for
 * presigned URLs (canonical request, string to sign, signing key), with a fixed clock and the
 * static example credentials of AWS's SigV4 documentation.
 */
class EksTokenTest {
  private static final String ACCESS_KEY = "AKIDEXAMPLE";
  private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"),
      ZoneOffset.UTC);
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void tokenIsThePrefixAndTheUnpaddedBase64UrlOfAPresignedGetCallerIdentityUrl()
      throws Exception {
    String token = EksToken.create("gha-prod", Region.US_EAST_1,
        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY), CLOCK);

    assertThat(token).startsWith("k8s-aws-v1.").doesNotContain("=").doesNotContain("+")
        .doesNotContain("/");
    URI url = URI.create(new String(Base64.getUrlDecoder().decode(
        token.substring("k8s-aws-v1.".length())), StandardCharsets.UTF_8));
    assertThat(url.getScheme()).isEqualTo("https");
    assertThat(url.getHost()).isEqualTo("sts.us-east-1.amazonaws.com");
    assertThat(url.getPath()).isEqualTo("/");

    Map<String, String> query = query(url);
    assertThat(query).containsEntry("Action", "GetCallerIdentity")
        .containsEntry("Version", "2011-06-15")
        .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
        .containsEntry("X-Amz-Credential", "AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request")
        .containsEntry("X-Amz-Date", "20150830T123600Z")
        .containsEntry("X-Amz-Expires", "60")
        .containsEntry("X-Amz-SignedHeaders", "host;x-k8s-aws-id");
    assertThat(query.get("X-Amz-Signature"))
        .isEqualTo(expectedSignature(query, "sts.us-east-1.amazonaws.com", "gha-prod",
            "us-east-1"));
  }

  @Test
  void sessionCredentialsAddTheSecurityTokenToTheSignedQuery() throws Exception {
    URI url = EksToken.presignedUrl("c1", Region.EU_WEST_1,
        AwsSessionCredentials.create(ACCESS_KEY, SECRET_KEY, "session/token+1"), CLOCK);
    Map<String, String> query = query(url);

    assertThat(url.getHost()).isEqualTo("sts.eu-west-1.amazonaws.com");
    assertThat(query).containsEntry("X-Amz-Security-Token", "session/token+1");
    assertThat(query.get("X-Amz-Signature")).isEqualTo(expectedSignature(query,
        "sts.eu-west-1.amazonaws.com", "c1", "eu-west-1"));
  }

  @Test
  void aBlankClusterIsRefused() {
    assertThatThrownBy(() -> EksToken.create(" ", Region.US_EAST_1,
        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY), CLOCK))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster");
  }

  /** The SigV4 signature of the presigned GET, derived from the query it carries. */
  private static String expectedSignature(Map<String, String> query, String host,
      String cluster, String region) throws Exception {
    Map<String, String> signed = new TreeMap<>(query);
    signed.remove("X-Amz-Signature");
    String canonicalQuery = signed.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    String canonicalRequest = String.join("\n",
        "GET",
        "/",
        canonicalQuery,
        "host:" + host,
        "x-k8s-aws-id:" + cluster,
        "",
        "host;x-k8s-aws-id",
        EMPTY_SHA256);
    String scope = "20150830/" + region + "/sts/aws4_request";
    String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", "20150830T123600Z", scope,
        hex(MessageDigest.getInstance("SHA-256").digest(
            canonicalRequest.getBytes(StandardCharsets.UTF_8))));
    byte[] key = hmac(("AWS4" + SECRET_KEY).getBytes(StandardCharsets.UTF_8), "20150830");
    key = hmac(key, region);
    key = hmac(key, "sts");
    key = hmac(key, "aws4_request");
    return hex(hmac(key, stringToSign));
  }

  /** RFC 3986 encoding, as SigV4 wants it. */
  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
        .replace("%7E", "~");
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

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
