package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.ServiceSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * What every AWS service section shares: region, credentials, endpoint and retries, parsed once.
 * {@link #toString()} names the credentials' source, never a key.
 *
 * @param region the region requests are signed for
 * @param credentials where credentials come from
 * @param endpoint an endpoint to use instead of AWS's
 * @param maxAttempts attempts per call
 * @param retryBaseDelay the first retry's base delay
 */
record AwsSettings(Region region, Credentials credentials, Optional<URI> endpoint, int maxAttempts,
    Duration retryBaseDelay) {

  AwsSettings {
    requireNonNull(region, "region is null");
    requireNonNull(credentials, "credentials is null");
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(retryBaseDelay, "retryBaseDelay is null");
  }

  /** The credentials' source: the SDK's default chain, a named profile, or static keys. */
  record Credentials(Optional<String> profile, Optional<AwsCredentials> keys) {
    Credentials {
      requireNonNull(profile, "profile is null");
      requireNonNull(keys, "keys is null");
    }

    AwsCredentialsProvider provider() {
      if (keys.isPresent()) {
        return StaticCredentialsProvider.create(keys.get());
      }
      if (profile.isPresent()) {
        return ProfileCredentialsProvider.builder().profileName(profile.get()).build();
      }
      return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public String toString() {
      return keys.isPresent() ? "static keys (****)"
          : profile.map(p -> "profile " + p).orElse("the default chain");
    }
  }

  /** Reads the shared settings ({@link AwsProperties}) of a spec edx has checked. */
  static AwsSettings parse(ServiceSpec spec) {
    Optional<String> accessKey = AwsProperties.ACCESS_KEY_ID.find(spec).filter(s -> !s.isEmpty());
    Optional<String> secretKey = AwsProperties.SECRET_ACCESS_KEY.find(spec)
        .filter(s -> !s.isEmpty());
    Optional<String> token = AwsProperties.SESSION_TOKEN.find(spec).filter(s -> !s.isEmpty());
    Optional<String> profile = AwsProperties.PROFILE.find(spec).filter(s -> !s.isBlank());
    String accessKeyId = AwsProperties.ACCESS_KEY_ID.key();
    String secretAccessKey = AwsProperties.SECRET_ACCESS_KEY.key();
    if (accessKey.isPresent() != secretKey.isPresent()) {
      throw spec.error(accessKey.isPresent() ? secretAccessKey : accessKeyId, "is required when"
          + " the other static key is set; give " + accessKeyId + " and " + secretAccessKey
          + " together, or neither");
    }
    if (token.isPresent() && accessKey.isEmpty()) {
      throw spec.error(AwsProperties.SESSION_TOKEN.key(), "needs " + accessKeyId + " and "
          + secretAccessKey);
    }
    if (profile.isPresent() && accessKey.isPresent()) {
      throw spec.error(AwsProperties.PROFILE.key(), "cannot be combined with static keys; give a"
          + " profile or " + accessKeyId + "/" + secretAccessKey);
    }
    Optional<AwsCredentials> keys = accessKey.map(id -> token.isPresent()
        ? AwsSessionCredentials.create(id, secretKey.get(), token.get())
        : AwsBasicCredentials.create(id, secretKey.get()));
    return new AwsSettings(region(spec, profile), new Credentials(profile, keys),
        AwsProperties.ENDPOINT.find(spec), AwsProperties.MAX_ATTEMPTS.get(spec),
        AwsProperties.RETRY_BASE_DELAY.get(spec));
  }

  private static Region region(ServiceSpec spec, Optional<String> profile) {
    Optional<String> name = AwsProperties.REGION.find(spec).filter(s -> !s.isEmpty());
    if (name.isPresent()) {
      return Region.of(name.get());
    }
    try {
      DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
      profile.ifPresent(chain::profileName);
      return chain.build().getRegion();
    } catch (SdkClientException e) {
      throw spec.error(AwsProperties.REGION.key(), "is not set and the SDK's region chain found"
          + " none (AWS_REGION, the profile's region): set it", e);
    }
  }

  /**
   * Configures a client builder: region, credentials, endpoint, the URL-connection HTTP client
   * (closed with the client) and the retry strategy. Throttling is retried with exponential
   * backoff and jitter, and without the SDK's retry quota, so a burst of "Rate exceeded" answers
   * slows a caller down instead of failing it.
   */
  <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
    return build(builder, List.of());
  }

  /**
   * The interceptors, after one that drops {@code Expect: 100-continue}: the URL-connection HTTP
   * client edx uses handles that handshake poorly (an S3-compatible store answering before the
   * body is sent makes it fail with "Error writing request body to server", even on success
   * paths under load). Without the header the body is simply sent; a store that rejects a request
   * early is still reported by the error mapping.
   */
  private static List<ExecutionInterceptor> withoutExpectContinue(
      List<ExecutionInterceptor> interceptors) {
    List<ExecutionInterceptor> all = new java.util.ArrayList<>();
    all.add(new ExecutionInterceptor() {
      @Override
      public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(
          software.amazon.awssdk.core.interceptor.Context.ModifyHttpRequest context,
          software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
        return context.httpRequest().toBuilder().removeHeader("Expect").build();
      }
    });
    all.addAll(interceptors);
    return List.copyOf(all);
  }

  /** As {@link #build(AwsClientBuilder)}, with interceptors (tests observe requests with them). */
  <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder,
      List<ExecutionInterceptor> interceptors) {
    builder.region(region)
        .credentialsProvider(credentials.provider())
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(30))
            .socketTimeout(Duration.ofMinutes(5)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy()
            .toBuilder()
            .maxAttempts(maxAttempts)
            .backoffStrategy(BackoffStrategy.exponentialDelay(retryBaseDelay,
                AwsProperties.RETRY_MAX_DELAY))
            .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(retryBaseDelay,
                AwsProperties.RETRY_MAX_DELAY))
            .circuitBreakerEnabled(false)
            .build())
            .executionInterceptors(withoutExpectContinue(interceptors)));
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /** Where requests go, for messages. */
  String where() {
    return endpoint.map(URI::toString).orElse("AWS " + region.id());
  }

  @Override
  public String toString() {
    return "region " + region.id() + ", credentials from " + credentials
        + endpoint.map(e -> ", endpoint " + e).orElse("");
  }
}
