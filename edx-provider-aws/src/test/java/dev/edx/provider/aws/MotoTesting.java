package dev.edx.provider.aws;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.MotoServer;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/** Specs and plain SDK clients for tests on moto's server ({@link MotoServer}). */
final class MotoTesting {
  static final String REGION = "us-east-1";

  private MotoTesting() {}

  /** Starts moto for a test class, or skips the class where moto is not installed. */
  static MotoServer start() {
    Optional<MotoServer> moto = MotoServer.start();
    assumeTrue(moto.isPresent(), "moto is not installed (python3 -m moto.server)");
    return moto.get();
  }

  /** A spec section of {@code provider} on moto: its endpoint, a region, static keys. */
  static ServiceSpec.Builder spec(MotoServer moto, String service, String provider) {
    return ServiceSpec.builder(service, provider)
        .set(AwsProperties.ENDPOINT.key(), moto.endpoint().toString())
        .set(AwsProperties.REGION.key(), REGION)
        .set(AwsProperties.RETRY_BASE_DELAY.key(), "10ms")
        .setSensitive(AwsProperties.ACCESS_KEY_ID.key(), MotoServer.ACCESS_KEY)
        .setSensitive(AwsProperties.SECRET_ACCESS_KEY.key(), MotoServer.SECRET_KEY);
  }

  /** A plain SDK client on moto, to look at what the provider did (or do it behind its back). */
  static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(
      MotoServer moto, B builder) {
    return builder.endpointOverride(moto.endpoint()).region(Region.of(REGION))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
        .build();
  }
}
