package dev.edx.provider.k8s;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * The bearer token a Kubernetes client presents to an Amazon EKS cluster, as {@code aws eks
 * get-token} and aws-iam-authenticator make it: a presigned STS {@code GetCallerIdentity} URL
 * (SigV4 in the query string, valid 60 seconds, the header {@code x-k8s-aws-id: <cluster>}
 * signed with it), base64url-encoded without padding, after the prefix {@code k8s-aws-v1.}. The
 * cluster asks STS who signed it and maps that IAM identity to a Kubernetes user. The token is a
 * credential: never log it.
 *
 * <pre>{@code
 * String token = EksToken.create("gha-prod", Region.EU_WEST_1, credentialsProvider);
 * // fabric8: new ConfigBuilder().withMasterUrl(endpoint).withOauthToken(token)...
 * }</pre>
 *
 * <p>Tokens expire after about 15 minutes on the cluster side: create a new one before then. The
 * {@code k8s} providers' {@code eks} connection setting does ({@link K8sConnectionProperties#EKS}).
 * Needs the AWS SDK's {@code auth}, {@code http-auth-aws} and {@code regions} artifacts, optional
 * dependencies of this module.
 */
public final class EksToken {
  /** The prefix of every EKS token. */
  public static final String PREFIX = "k8s-aws-v1.";
  /** The header naming the cluster, signed into the URL. */
  public static final String CLUSTER_HEADER = "x-k8s-aws-id";
  /** How long the presigned URL is valid: what aws-iam-authenticator uses. */
  public static final Duration PRESIGN_EXPIRY = Duration.ofSeconds(60);

  private EksToken() {}

  /** A token for {@code cluster} in {@code region}, signed with the provider's credentials now. */
  public static String create(String cluster, Region region, AwsCredentialsProvider credentials) {
    requireNonNull(credentials, "credentials is null");
    return create(cluster, region, credentials.resolveCredentials(), Clock.systemUTC());
  }

  /**
   * A token for {@code cluster} in {@code region}, signed with {@code credentials} at the time of
   * {@code clock}.
   */
  public static String create(String cluster, Region region, AwsCredentials credentials,
      Clock clock) {
    URI url = presignedUrl(cluster, region, credentials, clock);
    return PREFIX + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(url.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The presigned STS GetCallerIdentity URL a token encodes. */
  public static URI presignedUrl(String cluster, Region region, AwsCredentials credentials,
      Clock clock) {
    requireNonNull(cluster, "cluster is null");
    requireNonNull(region, "region is null");
    requireNonNull(credentials, "credentials is null");
    requireNonNull(clock, "clock is null");
    if (cluster.isBlank()) {
      throw new IllegalArgumentException("Cannot make an EKS token: the cluster name is blank");
    }
    SdkHttpRequest request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.GET)
        .protocol("https")
        .host("sts." + region.id() + ".amazonaws.com")
        .encodedPath("/")
        .putRawQueryParameter("Action", "GetCallerIdentity")
        .putRawQueryParameter("Version", "2011-06-15")
        .putHeader(CLUSTER_HEADER, cluster)
        .build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(credentials)
        .request(request)
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
        .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION,
            AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, PRESIGN_EXPIRY)
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
        .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    return signed.request().getUri();
  }
}
