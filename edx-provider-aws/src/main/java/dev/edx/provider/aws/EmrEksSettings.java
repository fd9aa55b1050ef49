package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.spi.ServiceSpec;
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

  /** Reads a spec edx has checked against {@link AwsProperties} and {@link EmrEksProperties}. */
  static EmrEksSettings parse(ServiceSpec spec) {
    return new EmrEksSettings(AwsSettings.parse(spec),
        EmrEksProperties.VIRTUAL_CLUSTER_ID.get(spec),
        EmrEksProperties.EXECUTION_ROLE_ARN.get(spec), EmrEksProperties.RELEASE_LABEL.get(spec),
        EmrEksProperties.LOG_URI.find(spec), EmrEksProperties.POLL_INTERVAL.get(spec));
  }

  @Override
  public String toString() {
    return aws + ", virtual cluster " + virtualClusterId + ", release " + releaseLabel
        + logUri.map(u -> ", logs in " + u).orElse("");
  }
}
