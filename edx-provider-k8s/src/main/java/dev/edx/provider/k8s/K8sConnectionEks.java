package dev.edx.provider.k8s;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.ProviderContext;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The bearer token of a connection to an Amazon EKS cluster ({@link K8sConnectionProperties#EKS}):
 * fabric8 asks for it before every request; an {@link EksToken} is made on the first request and
 * made anew once it is {@link #REFRESH_AFTER} old, well before the cluster stops accepting it (15
 * minutes after it was signed). The only class of this module that uses the AWS SDK, loaded only
 * for a spec with {@code eks}. Package-private: not public API.
 */
final class K8sConnectionEks implements OAuthTokenProvider {
  private static final Logger LOG = LoggerFactory.getLogger(K8sConnectionEks.class);
  /** How old a token may get before the next request gets a new one. */
  static final Duration REFRESH_AFTER = Duration.ofMinutes(10);

  private final K8sConnectionProperties.Eks eks;
  private final AwsCredentialsProvider credentials;
  private final Clock clock;
  private String token;
  private Instant signedAt;

  K8sConnectionEks(K8sConnectionProperties.Eks eks, AwsCredentialsProvider credentials,
      Clock clock) {
    this.eks = requireNonNull(eks, "eks is null");
    this.credentials = requireNonNull(credentials, "credentials is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * The token provider of a spec's {@code eks} setting, signing with the credentials of its
   * profile, else the context's {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (and
   * {@code AWS_SESSION_TOKEN}), else the AWS SDK's default chain.
   */
  static OAuthTokenProvider of(K8sConnectionProperties.Eks eks, ProviderContext context) {
    return new K8sConnectionEks(eks, credentials(eks, context), Clock.systemUTC());
  }

  private static AwsCredentialsProvider credentials(K8sConnectionProperties.Eks eks,
      ProviderContext context) {
    if (eks.profile().isPresent()) {
      return ProfileCredentialsProvider.builder().profileName(eks.profile().get()).build();
    }
    Optional<String> keyId = context.environmentVariable("AWS_ACCESS_KEY_ID")
        .filter(s -> !s.isBlank());
    Optional<String> secret = context.environmentVariable("AWS_SECRET_ACCESS_KEY")
        .filter(s -> !s.isBlank());
    if (keyId.isPresent() && secret.isPresent()) {
      Optional<String> session = context.environmentVariable("AWS_SESSION_TOKEN")
          .filter(s -> !s.isBlank());
      return StaticCredentialsProvider.create(session.isPresent()
          ? AwsSessionCredentials.create(keyId.get(), secret.get(), session.get())
          : AwsBasicCredentials.create(keyId.get(), secret.get()));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  @Override
  public synchronized String getToken() {
    Instant now = clock.instant();
    if (token == null || !now.isBefore(signedAt.plus(REFRESH_AFTER))) {
      token = EksToken.create(eks.cluster(), Region.of(eks.region()),
          credentials.resolveCredentials(), clock);
      signedAt = now;
      LOG.debug("Made an EKS token for cluster {} in {}", eks.cluster(), eks.region());
    }
    return token;
  }

  @Override
  public String toString() {
    return "EKS tokens for " + eks; // never the token
  }
}
