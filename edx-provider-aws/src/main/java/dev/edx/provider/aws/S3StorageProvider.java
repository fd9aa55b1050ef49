package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectStorage;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code s3} storage provider: Amazon S3, or an S3-compatible store with {@code endpoint} and
 * {@code pathStyle: true}, through the AWS SDK's {@code S3Client}. The storage it creates is also
 * a {@link dev.edx.api.spi.Provisioner} of the declared buckets. Settings: {@link AwsProperties}
 * and {@link S3Properties}.
 *
 * <pre>{@code
 * storage:
 *   provider: s3
 *   region: eu-west-1
 *   sse: aws:kms
 *   buckets: [gha-raw, gha-lake, {name: gha-datamart, adopt: true}]
 * }</pre>
 */
public final class S3StorageProvider implements StorageProvider {
  private static final Logger LOG = LoggerFactory.getLogger(S3StorageProvider.class);

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public S3StorageProvider() {}

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public List<PropertyDescriptor> properties() {
    return AwsProperties.descriptors(S3Properties.class);
  }

  @Override
  public ObjectStorage create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    S3Settings settings = S3Settings.parse(spec);
    LOG.info("S3 storage on {}", settings);
    return new S3ObjectStorage(settings, context.environmentName());
  }
}
