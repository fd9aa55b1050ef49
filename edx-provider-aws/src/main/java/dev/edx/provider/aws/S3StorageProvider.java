package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectStorage;
import dev.edx.api.spi.PropertyDescriptor;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import dev.edx.toolkit.Specs;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code s3} storage provider: Amazon S3, or an S3-compatible store with {@code endpoint} and
 * {@code pathStyle: true}, through the AWS SDK's {@code S3Client}. The storage it creates is also
 * a {@link dev.edx.api.spi.Provisioner} of the declared buckets. Settings: {@link AwsProperties}.
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
    PropertyDescriptor.Type string = PropertyDescriptor.Type.STRING;
    List<PropertyDescriptor> all = new ArrayList<>(AwsSettings.properties());
    all.addAll(List.of(
        PropertyDescriptor.optional(AwsProperties.PATH_STYLE, PropertyDescriptor.Type.BOOLEAN,
            String.valueOf(AwsProperties.PATH_STYLE_DEFAULT),
            "Path-style addressing (endpoint/bucket/key), for S3-compatible stores."),
        PropertyDescriptor.optional(AwsProperties.PART_SIZE, string, "8MiB",
            "Part size of multipart uploads (5MiB to 5GiB); about one part is held in memory"
                + " per upload."),
        PropertyDescriptor.optional(AwsProperties.SSE, string, AwsProperties.SSE_DEFAULT,
            "Server-side encryption of objects and new buckets: none, AES256 or aws:kms."),
        PropertyDescriptor.optional(AwsProperties.SSE_KMS_KEY_ID, string, null,
            "The KMS key of sse: aws:kms; the account's default key when absent."),
        PropertyDescriptor.optional(AwsProperties.CHECKSUMS, string,
            AwsProperties.CHECKSUMS_DEFAULT,
            "when_supported: every upload carries a CRC32 checksum the store verifies;"
                + " when_required: only where S3 requires one."),
        PropertyDescriptor.optional(AwsProperties.BUCKETS, PropertyDescriptor.Type.RESOURCE_LIST,
            null, "Buckets apply creates (tagged as owned) and destroy removes."),
        PropertyDescriptor.optional(AwsProperties.BLOCK_PUBLIC_ACCESS,
            PropertyDescriptor.Type.BOOLEAN,
            String.valueOf(AwsProperties.BLOCK_PUBLIC_ACCESS_DEFAULT),
            "Whether managed buckets block all public access."),
        PropertyDescriptor.optional(AwsProperties.LIFECYCLE_EXPIRE_DAYS,
            PropertyDescriptor.Type.INTEGER, null,
            "Days after which objects under lifecyclePrefix expire in managed buckets."),
        PropertyDescriptor.optional(AwsProperties.LIFECYCLE_PREFIX, string, "",
            "The key prefix the lifecycle rule applies to (all keys when empty).")));
    return List.copyOf(all);
  }

  @Override
  public ObjectStorage create(ServiceSpec spec, ProviderContext context) {
    requireNonNull(spec, "spec is null");
    requireNonNull(context, "context is null");
    Specs.validate(spec, properties());
    S3Settings settings = S3Settings.parse(spec);
    LOG.info("S3 storage on {}", settings);
    return new S3ObjectStorage(settings, context.environmentName());
  }
}
