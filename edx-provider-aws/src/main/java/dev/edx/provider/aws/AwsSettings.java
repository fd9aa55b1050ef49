package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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

  /** The settings of the shared keys, for {@link dev.edx.api.spi.ServiceProvider#properties()}. */
  static List<PropertyDescriptor> properties() {
    PropertyDescriptor.Type string = PropertyDescriptor.Type.STRING;
    return List.of(
        PropertyDescriptor.optional(AwsProperties.REGION, string, null,
            "The region; the SDK's region chain (AWS_REGION, the profile) when absent."),
        PropertyDescriptor.optional(AwsProperties.PROFILE, string, null,
            "A named profile to take credentials from; the SDK's default chain when neither a"
                + " profile nor static keys are given."),
        PropertyDescriptor.optional(AwsProperties.ACCESS_KEY_ID, string, null,
            "A static access key id; use ${secret:...}.").asSensitive(),
        PropertyDescriptor.optional(AwsProperties.SECRET_ACCESS_KEY, string, null,
            "The static secret access key; use ${secret:...}.").asSensitive(),
        PropertyDescriptor.optional(AwsProperties.SESSION_TOKEN, string, null,
            "A session token to go with static keys.").asSensitive(),
        PropertyDescriptor.optional(AwsProperties.ENDPOINT, string, null,
            "An endpoint to use instead of AWS's (LocalStack, an S3-compatible store)."),
        PropertyDescriptor.optional(AwsProperties.MAX_ATTEMPTS, PropertyDescriptor.Type.INTEGER,
            String.valueOf(AwsProperties.MAX_ATTEMPTS_DEFAULT),
            "Attempts per call; throttling and server errors are retried with backoff."),
        PropertyDescriptor.optional(AwsProperties.RETRY_BASE_DELAY,
            PropertyDescriptor.Type.DURATION,
            AwsProperties.RETRY_BASE_DELAY_DEFAULT.toMillis() + "ms",
            "The first retry's base delay, doubling each attempt (with jitter) up to 20s."));
  }

  static AwsSettings parse(ServiceSpec spec) {
    Optional<String> accessKey = Specs.getString(spec, AwsProperties.ACCESS_KEY_ID)
        .filter(s -> !s.isEmpty());
    Optional<String> secretKey = Specs.getString(spec, AwsProperties.SECRET_ACCESS_KEY)
        .filter(s -> !s.isEmpty());
    Optional<String> token = Specs.getString(spec, AwsProperties.SESSION_TOKEN).filter(s -> !s.isEmpty());
    Optional<String> profile = Specs.getString(spec, AwsProperties.PROFILE).filter(s -> !s.isBlank());
    if (accessKey.isPresent() != secretKey.isPresent()) {
      String missing = accessKey.isPresent() ? AwsProperties.SECRET_ACCESS_KEY
          : AwsProperties.ACCESS_KEY_ID;
      throw spec.error(missing, "is required when the other static key is set; give "
          + AwsProperties.ACCESS_KEY_ID + " and " + AwsProperties.SECRET_ACCESS_KEY
          + " together, or neither");
    }
    if (token.isPresent() && accessKey.isEmpty()) {
      throw spec.error(AwsProperties.SESSION_TOKEN, "needs " + AwsProperties.ACCESS_KEY_ID
          + " and " + AwsProperties.SECRET_ACCESS_KEY);
    }
    if (profile.isPresent() && accessKey.isPresent()) {
      throw spec.error(AwsProperties.PROFILE, "cannot be combined with static keys; give a"
          + " profile or " + AwsProperties.ACCESS_KEY_ID + "/" + AwsProperties.SECRET_ACCESS_KEY);
    }
    Optional<AwsCredentials> keys = accessKey.map(id -> token.isPresent()
        ? AwsSessionCredentials.create(id, secretKey.get(), token.get())
        : AwsBasicCredentials.create(id, secretKey.get()));
    Region region = region(spec, profile);
    Optional<URI> endpoint = Specs.getString(spec, AwsProperties.ENDPOINT).map(String::trim)
        .filter(s -> !s.isEmpty()).map(text -> endpoint(spec, text));
    int maxAttempts = Specs.getInt(spec, AwsProperties.MAX_ATTEMPTS, AwsProperties.MAX_ATTEMPTS_DEFAULT,
        1);
    Duration baseDelay = Specs.getDuration(spec, AwsProperties.RETRY_BASE_DELAY)
        .orElse(AwsProperties.RETRY_BASE_DELAY_DEFAULT);
    if (baseDelay.isNegative() || baseDelay.compareTo(AwsProperties.RETRY_MAX_DELAY) > 0) {
      throw spec.error(AwsProperties.RETRY_BASE_DELAY, "must be between 0 and 20s, not "
          + baseDelay);
    }
    return new AwsSettings(region, new Credentials(profile, keys), endpoint, maxAttempts,
        baseDelay);
  }

  private static Region region(ServiceSpec spec, Optional<String> profile) {
    Optional<String> text = Specs.getString(spec, AwsProperties.REGION).map(String::trim)
        .filter(s -> !s.isEmpty());
    if (text.isPresent()) {
      if (!text.get().matches("[a-z0-9-]+")) {
        throw spec.error(AwsProperties.REGION, "must be a region name such as eu-west-1, not '"
            + text.get() + "'");
      }
      return Region.of(text.get());
    }
    try {
      DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
      profile.ifPresent(chain::profileName);
      return chain.build().getRegion();
    } catch (SdkClientException e) {
      throw spec.error(AwsProperties.REGION, "is not set and the SDK's region chain found none"
          + " (AWS_REGION, the profile's region): set it", e);
    }
  }

  private static URI endpoint(ServiceSpec spec, String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw spec.error(AwsProperties.ENDPOINT, "is not a URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw spec.error(AwsProperties.ENDPOINT, "must be an http:// or https:// URL with a host,"
          + " such as http://127.0.0.1:4566, not '" + text + "'");
    }
    return uri;
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
