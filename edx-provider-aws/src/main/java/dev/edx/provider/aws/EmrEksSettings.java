package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectRef;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code emr-eks} provider's spec, parsed once. {@link #toString()} shows no credential.
 *
 * @param aws region, credentials, endpoint, retries
 * @param virtualClusterId the EMR on EKS virtual cluster
 * @param executionRoleArn the IAM role job runs execute as
 * @param releaseLabel the EMR release
 * @param logUri where job runs write their logs, {@code s3://bucket/prefix}
 * @param pollInterval how often {@code await} polls
 */
record EmrEksSettings(AwsSettings aws, String virtualClusterId, String executionRoleArn,
    String releaseLabel, Optional<URI> logUri, Duration pollInterval) {

  EmrEksSettings {
    requireNonNull(aws, "aws is null");
    requireNonNull(virtualClusterId, "virtualClusterId is null");
    requireNonNull(executionRoleArn, "executionRoleArn is null");
    requireNonNull(releaseLabel, "releaseLabel is null");
    requireNonNull(logUri, "logUri is null");
    requireNonNull(pollInterval, "pollInterval is null");
  }

  static EmrEksSettings parse(ServiceSpec spec) {
    AwsSettings aws = AwsSettings.parse(spec);
    String cluster = Specs.requireString(spec, AwsProperties.VIRTUAL_CLUSTER_ID).trim();
    if (!cluster.matches("[0-9a-z]+")) {
      throw spec.error(AwsProperties.VIRTUAL_CLUSTER_ID, "must be a virtual cluster id (lowercase"
          + " letters and digits), not '" + cluster + "'");
    }
    String role = Specs.requireString(spec, AwsProperties.EXECUTION_ROLE_ARN).trim();
    if (!role.startsWith("arn:aws") || !role.contains(":role/")) {
      throw spec.error(AwsProperties.EXECUTION_ROLE_ARN, "must be an IAM role ARN such as"
          + " arn:aws:iam::123456789012:role/edx-job-runner, not '" + role + "'");
    }
    String release = Specs.getString(spec, AwsProperties.RELEASE_LABEL,
        AwsProperties.RELEASE_LABEL_DEFAULT).trim();
    Optional<URI> logUri = Specs.getString(spec, AwsProperties.LOG_URI).map(String::trim)
        .filter(s -> !s.isEmpty()).map(text -> {
          URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
          if (!"s3".equals(uri.getScheme()) || uri.getHost() == null) {
            throw spec.error(AwsProperties.LOG_URI, "must be s3://bucket/prefix, not '" + text
                + "'");
          }
          ObjectRef.of(uri.getHost(), "x"); // checks the bucket name
          return uri;
        });
    Duration poll = Specs.getDuration(spec, AwsProperties.POLL_INTERVAL)
        .orElse(AwsProperties.POLL_INTERVAL_DEFAULT);
    if (poll.toMillis() < 10) {
      throw spec.error(AwsProperties.POLL_INTERVAL, "must be at least 10ms, not " + poll);
    }
    return new EmrEksSettings(aws, cluster, role, release, logUri, poll);
  }

  @Override
  public String toString() {
    return aws + ", virtual cluster " + virtualClusterId + ", release " + releaseLabel
        + logUri.map(u -> ", logs in " + u).orElse("");
  }
}
