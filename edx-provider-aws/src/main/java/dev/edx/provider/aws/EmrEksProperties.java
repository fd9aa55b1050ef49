package dev.edx.provider.aws;

import dev.edx.api.ObjectRef;
import dev.edx.toolkit.Setting;
import java.net.URI;
import java.time.Duration;

/**
 * The settings of the {@code emr-eks} compute provider ({@code spec.compute}) besides the shared
 * ones of {@link AwsProperties}, each declared once.
 */
public final class EmrEksProperties {
  /** The EMR on EKS virtual cluster id. Required. */
  public static final Setting<String> VIRTUAL_CLUSTER_ID = Setting.string("virtualClusterId",
          "The EMR on EKS virtual cluster id.").required()
      .map(String::trim)
      .check(id -> id.matches("[0-9a-z]+"),
          "must be a virtual cluster id (lowercase letters and digits)");

  /** The IAM role job runs execute as. Required. */
  public static final Setting<String> EXECUTION_ROLE_ARN = Setting.string("executionRoleArn",
          "The IAM role job runs execute as.").required()
      .map(String::trim)
      .check(role -> role.startsWith("arn:aws") && role.contains(":role/"),
          "must be an IAM role ARN such as arn:aws:iam::123456789012:role/edx-job-runner");

  /** The EMR release of job runs. */
  public static final Setting<String> RELEASE_LABEL = Setting.string("releaseLabel",
      "The EMR release of job runs.").map(String::trim).withDefault("emr-7.5.0-latest");

  /** {@code s3://bucket/prefix} where job runs write their logs (monitoring configuration). */
  public static final Setting<URI> LOG_URI = Setting.string("logUri",
          "s3://bucket/prefix where job runs write their logs; logs() reads them there"
              + " through the environment's storage.")
      .map(text -> text.isBlank() ? null : s3Uri(text.trim()));

  /** How often {@code await} polls DescribeJobRun. */
  public static final Setting<Duration> POLL_INTERVAL = Setting.duration("pollInterval",
          "How often await() polls DescribeJobRun.")
      .check(d -> d.toMillis() >= 10, "must be at least 10ms")
      .withDefault(Duration.ofSeconds(10), "10s");

  private EmrEksProperties() {}

  private static URI s3Uri(String text) {
    URI uri;
    try {
      uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be s3://bucket/prefix, not '" + text + "'", e);
    }
    if (!"s3".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("must be s3://bucket/prefix, not '" + text + "'");
    }
    ObjectRef.of(uri.getHost(), "x"); // checks the bucket name
    return uri;
  }
}
