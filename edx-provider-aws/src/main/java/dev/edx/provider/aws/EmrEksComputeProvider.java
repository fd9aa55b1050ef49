package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Compute;
import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code emr-eks} compute provider: {@code SparkJob}s as Amazon EMR on EKS job runs. {@code
 * TaskJob}s and {@code ContainerJob}s run on the EKS cluster through the {@code k8s} compute
 * provider, authenticated with {@link EksToken}. Settings: {@link AwsProperties}.
 *
 * <pre>{@code
 * compute:
 *   provider: emr-eks
 *   region: eu-west-1
 *   virtualClusterId: abcdefghijklmnopqrstuvwxy
 *   executionRoleArn: arn:aws:iam::123456789012:role/edx-job-runner
 *   logUri: s3://gha-logs/emr
 * }</pre>
 */
public final class EmrEksComputeProvider implements ComputeProvider {
  private static final Logger LOG = LoggerFactory.getLogger(EmrEksComputeProvider.class);

  private final InstantSource clock;

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public EmrEksComputeProvider() {
    this(InstantSource.system());
  }

  /** A provider whose computes measure await timeouts on {@code clock}: for tests. */
  EmrEksComputeProvider(InstantSource clock) {
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public String name() {
    return "emr-eks";
  }

  @Override
  public List<PropertyDescriptor> properties() {
    PropertyDescriptor.Type string = PropertyDescriptor.Type.STRING;
    List<PropertyDescriptor> all = new ArrayList<>(AwsSettings.properties());
    all.addAll(List.of(
        PropertyDescriptor.required(AwsProperties.VIRTUAL_CLUSTER_ID, string,
            "The EMR on EKS virtual cluster id."),
        PropertyDescriptor.required(AwsProperties.EXECUTION_ROLE_ARN, string,
            "The IAM role job runs execute as."),
        PropertyDescriptor.optional(AwsProperties.RELEASE_LABEL, string,
            AwsProperties.RELEASE_LABEL_DEFAULT, "The EMR release of job runs."),
        PropertyDescriptor.optional(AwsProperties.LOG_URI, string, null,
            "s3://bucket/prefix where job runs write their logs; logs() reads them there"
                + " through the environment's storage."),
        PropertyDescriptor.optional(AwsProperties.POLL_INTERVAL,
            PropertyDescriptor.Type.DURATION,
            AwsProperties.POLL_INTERVAL_DEFAULT.toSeconds() + "s",
            "How often await() polls DescribeJobRun.")));
    return List.copyOf(all);
  }

  @Override
  public Compute create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    Specs.validate(spec, properties());
    EmrEksSettings settings = EmrEksSettings.parse(spec);
    LOG.info("EMR on EKS compute on {}", settings);
    return new EmrEksCompute(settings, context, clock);
  }
}
