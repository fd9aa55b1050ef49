package dev.edx.provider.aws;

import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.toolkit.Endpoints;
import dev.edx.toolkit.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings every AWS service section shares (region, credentials, endpoint, retries), each
 * declared once. Each provider adds its own holder: {@link S3Properties}, {@link
 * SecretsManagerProperties}, {@link GlueProperties}, {@link EmrEksProperties}. {@code
 * docs/providers/aws.md} describes them.
 */
public final class AwsProperties {
  static final Duration RETRY_MAX_DELAY = Duration.ofSeconds(20);

  /** The region; when absent, the SDK's region chain ({@code AWS_REGION}, the profile). */
  public static final Setting<String> REGION = Setting.string("region",
          "The region; the SDK's region chain (AWS_REGION, the profile) when absent.")
      .map(String::trim)
      .check(r -> r.isEmpty() || r.matches("[a-z0-9-]+"),
          "must be a region name such as eu-west-1");

  /** A named profile of {@code ~/.aws/config} to take credentials from. */
  public static final Setting<String> PROFILE = Setting.string("profile",
      "A named profile to take credentials from; the SDK's default chain when neither a"
          + " profile nor static keys are given.");

  /** A static access key id. Sensitive; give it with {@code ${secret:...}}. */
  public static final Setting<String> ACCESS_KEY_ID = Setting.string("accessKeyId",
      "A static access key id; use ${secret:...}.").sensitive();

  /** The static secret access key. Sensitive. */
  public static final Setting<String> SECRET_ACCESS_KEY = Setting.string("secretAccessKey",
      "The static secret access key; use ${secret:...}.").sensitive();

  /** A session token to go with static keys. Sensitive. */
  public static final Setting<String> SESSION_TOKEN = Setting.string("sessionToken",
      "A session token to go with static keys.").sensitive();

  /**
   * An endpoint to use instead of AWS's ({@code http://127.0.0.1:4566}, an S3-compatible store);
   * blank is absent.
   */
  public static final Setting<URI> ENDPOINT = Setting.string("endpoint",
          "An endpoint to use instead of AWS's (LocalStack, an S3-compatible store).")
      .map(text -> text.isBlank() ? null : Endpoints.http(text.trim(), "http://127.0.0.1:4566"));

  /** Attempts per call, retries of throttling and server errors included. */
  public static final Setting<Integer> MAX_ATTEMPTS = Setting.integer("maxAttempts",
          "Attempts per call; throttling and server errors are retried with backoff.")
      .check(n -> n >= 1, "must be at least 1").withDefault(8);

  /** The first retry's base delay; it doubles each attempt (with jitter), up to 20 s. */
  public static final Setting<Duration> RETRY_BASE_DELAY = Setting.duration("retryBaseDelay",
          "The first retry's base delay, doubling each attempt (with jitter) up to 20s.")
      .check(d -> !d.isNegative() && d.compareTo(RETRY_MAX_DELAY) <= 0,
          "must be between 0 and 20s")
      .withDefault(Duration.ofMillis(200), "200ms");

  private AwsProperties() {}

  /** The descriptors of a provider: these shared settings, then those of its {@code holder}. */
  static List<PropertyDescriptor> descriptors(Class<?> holder) {
    List<PropertyDescriptor> all = new ArrayList<>(Setting.descriptors(AwsProperties.class));
    all.addAll(Setting.descriptors(holder));
    return List.copyOf(all);
  }
}
