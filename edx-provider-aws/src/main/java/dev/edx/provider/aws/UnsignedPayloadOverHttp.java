package dev.edx.provider.aws;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 for S3 that sends request bodies as {@code UNSIGNED-PAYLOAD} over plain {@code http} too,
 * as the SDK does over {@code https} and as the {@code minio} provider does over both.
 *
 * <p>The SDK (2.x) always signs the body over {@code http}: a SHA-256 of every 128 KiB chunk plus
 * an HMAC chained through all of them ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}), which the
 * store recomputes; with {@code PAYLOAD_SIGNING_ENABLED} ignored there. That cost both ends about
 * as much CPU as the copy itself. This signer signs the request as the SDK signs an {@code https}
 * one: the method, path, query and headers are still signed (the SigV4 signature never covers the
 * scheme), the body is not. With {@code checksums: when_supported} the body still carries its
 * CRC32 trailer ({@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}), which the store checks: a corrupted
 * body is still refused; a body changed on purpose by someone on the path, with its CRC32, is not
 * (over {@code http} anything on the path can read the data anyway). A request on port 80 is
 * signed as the SDK does (its {@code Host} header would differ under {@code https}).
 */
final class UnsignedPayloadOverHttp implements AwsV4AuthScheme {
  private final AwsV4AuthScheme scheme = AwsV4AuthScheme.create();
  private final AwsV4HttpSigner signer = new Signer(scheme.signer());

  @Override
  public String schemeId() {
    return scheme.schemeId();
  }

  @Override
  public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
    return scheme.identityProvider(providers);
  }

  @Override
  public AwsV4HttpSigner signer() {
    return signer;
  }

  /** Whether a request is signed here as if it went over https. */
  static boolean appliesTo(SdkHttpRequest request) {
    return "http".equals(request.protocol()) && request.port() != 80;
  }

  private static SdkHttpRequest withProtocol(SdkHttpRequest request, String protocol) {
    return request.toBuilder().protocol(protocol).build();
  }

  private record Signer(AwsV4HttpSigner signer) implements AwsV4HttpSigner {
    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
      if (!appliesTo(request.request())) {
        return signer.sign(request);
      }
      SignedRequest signed = signer.sign(request.copy(b -> b
          .request(withProtocol(request.request(), "https"))
          .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)));
      return signed.copy(b -> b.request(withProtocol(signed.request(), "http")));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(
        AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
      // The storage's client is synchronous: asynchronous requests are signed as the SDK does.
      return signer.signAsync(request);
    }
  }
}
