package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.toolkit.s3.OwnedBuckets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;

/**
 * The declared buckets of an {@code s3} storage: the shared ownership algorithm ({@link
 * OwnedBuckets}; tags, or the marker object where the store has no bucket tagging), and, on each
 * bucket this environment creates or adopts, the default encryption, the public-access block and
 * the lifecycle rule the spec asks for. A new bucket that cannot be configured is removed again.
 */
final class S3BucketProvisioner extends OwnedBuckets {
  private static final Logger LOG = LoggerFactory.getLogger(S3BucketProvisioner.class);

  static final String LIFECYCLE_RULE_ID = "edx-expire";

  private final S3Settings settings;
  private final S3Client client;
  private final S3Calls calls;

  S3BucketProvisioner(S3ObjectStorage storage, S3Settings settings, S3Client client,
      S3Calls calls, String environment) {
    super(storage, environment, settings.buckets());
    this.settings = requireNonNull(settings, "settings is null");
    this.client = requireNonNull(client, "client is null");
    this.calls = requireNonNull(calls, "calls is null");
  }

  @Override
  protected String describeCreate(String name) {
    List<String> parts = new ArrayList<>();
    parts.add("on " + settings.aws().where());
    if (!settings.sse().equals("none")) {
      parts.add("default encryption " + settings.sse());
    }
    if (settings.blockPublicAccess()) {
      parts.add("public access blocked");
    }
    settings.lifecycleExpireDays().ifPresent(days -> parts.add("objects under '"
        + settings.lifecyclePrefix() + "' expire after " + days + " days"));
    return String.join(", ", parts);
  }

  @Override
  protected void deleted(String bucket, long versions) {
    LOG.info("Deleted bucket {} on {} ({} object versions)", bucket, settings.aws().where(),
        versions);
  }

  /** Default encryption, public-access block and the lifecycle rule, as the spec says. */
  @Override
  protected void configure(String bucket, boolean created) {
    if (!settings.sse().equals("none")) {
      calls.call("set the default encryption of bucket '" + bucket + "'", bucket, null,
          () -> client.putBucketEncryption(b -> b.bucket(bucket)
              .serverSideEncryptionConfiguration(c -> c.rules(r -> r
                  .applyServerSideEncryptionByDefault(d -> {
                    d.sseAlgorithm(settings.sse());
                    settings.sseKmsKeyId().ifPresent(d::kmsMasterKeyID);
                  })))));
    }
    if (settings.blockPublicAccess()) {
      calls.call("block public access to bucket '" + bucket + "'", bucket, null,
          () -> client.putPublicAccessBlock(b -> b.bucket(bucket)
              .publicAccessBlockConfiguration(PublicAccessBlockConfiguration.builder()
                  .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true)
                  .restrictPublicBuckets(true).build())));
    }
    if (settings.lifecycleExpireDays().isPresent()) {
      LifecycleRule rule = LifecycleRule.builder().id(LIFECYCLE_RULE_ID)
          .status(ExpirationStatus.ENABLED)
          .filter(LifecycleRuleFilter.builder().prefix(settings.lifecyclePrefix()).build())
          .expiration(LifecycleExpiration.builder()
              .days(settings.lifecycleExpireDays().getAsInt()).build())
          .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(7))
          .build();
      calls.call("set the lifecycle of bucket '" + bucket + "'", bucket, null,
          () -> client.putBucketLifecycleConfiguration(b -> b.bucket(bucket)
              .lifecycleConfiguration(BucketLifecycleConfiguration.builder().rules(rule)
                  .build())));
    }
  }
}
