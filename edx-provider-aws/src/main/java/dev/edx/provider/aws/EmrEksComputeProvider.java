package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Compute;
import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code emr-eks} compute provider: {@code SparkJob}s as Amazon EMR on EKS job runs. {@code
 * TaskJob}s and {@code ContainerJob}s run on the EKS cluster through the {@code k8s} compute
 * provider, authenticated by its {@code eks} setting. Settings: {@link AwsProperties}
 * and {@link EmrEksProperties}.
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
    return AwsProperties.descriptors(EmrEksProperties.class);
  }

  @Override
  public Compute create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    EmrEksSettings settings = EmrEksSettings.parse(spec);
    LOG.info("EMR on EKS compute on {}", settings);
    return new EmrEksCompute(settings, context, clock);
  }
}
