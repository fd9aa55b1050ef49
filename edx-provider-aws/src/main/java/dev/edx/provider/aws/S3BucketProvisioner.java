package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.toolkit.s3.OwnedBuckets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * The declared buckets of an {@code s3} storage: the shared ownership algorithm ({@link
 * OwnedBuckets}; tags, or the marker object where the store has no bucket tagging), and, on each
 * bucket this environment creates or adopts, the default encryption, the public-access block and
 * the lifecycle rule the spec asks for; existing buckets it owns are compared with the spec and
 * updated (the lifecycle rule {@code edx-expire} alone: the bucket's other rules are kept). A
 * new bucket that cannot be configured is removed again.
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
      applyEncryption(bucket);
    }
    if (settings.blockPublicAccess()) {
      applyPublicAccessBlock(bucket);
    }
    if (settings.lifecycleExpireDays().isPresent()) {
      applyLifecycle(bucket);
    }
    if (!created) {
      LOG.info("Adopted bucket {} on {} for environment {}", bucket, settings.aws().where(),
          environment());
    }
  }

  /**
   * Whether the spec asks for a setting of its buckets. With none (no {@code sse}, {@code
   * blockPublicAccess: false}, no lifecycle) existing buckets are not compared, so a store
   * without these APIs (s3proxy) can still be used; edx's lifecycle rule then stays as it is.
   */
  @Override
  protected boolean hasSettings(String bucket) {
    return !settings.sse().equals("none") || settings.blockPublicAccess()
        || settings.lifecycleExpireDays().isPresent();
  }

  @Override
  protected List<String> settingsDifferences(String bucket, boolean apply) {
    List<String> differences = new ArrayList<>();
    if (!settings.sse().equals("none")) {
      String current = encryption(bucket);
      String wanted = settings.sse() + settings.sseKmsKeyId().map(k -> " (" + k + ")").orElse("");
      if (!current.equals(wanted)) {
        differences.add("default encryption " + current + " -> " + wanted);
        if (apply) {
          applyEncryption(bucket);
        }
      }
    }
    if (settings.blockPublicAccess() && !publicAccessBlocked(bucket)) {
      differences.add("public access block off -> on");
      if (apply) {
        applyPublicAccessBlock(bucket);
      }
    }
    String current = lifecycle(bucket);
    String wanted = settings.lifecycleExpireDays().isPresent() ? describe(
        settings.lifecycleExpireDays().getAsInt(), settings.lifecyclePrefix()) : "none";
    if (!current.equals(wanted)) {
      differences.add("lifecycle " + current + " -> " + wanted);
      if (apply) {
        applyLifecycle(bucket);
      }
    }
    if (apply && !differences.isEmpty()) {
      LOG.info("Updated bucket {} on {}: {}", bucket, settings.aws().where(),
          String.join(", ", differences));
    }
    return differences;
  }

  private static String describe(int days, String prefix) {
    return "objects under '" + prefix + "' expire after " + days + " days";
  }

  private void applyEncryption(String bucket) {
    calls.call("set the default encryption of bucket '" + bucket + "'", bucket, null,
        () -> client.putBucketEncryption(b -> b.bucket(bucket)
            .serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> {
                  d.sseAlgorithm(settings.sse());
                  settings.sseKmsKeyId().ifPresent(d::kmsMasterKeyID);
                })))));
  }

  /** The bucket's default encryption as {@code ALGORITHM} or {@code ALGORITHM (key)}. */
  private String encryption(String bucket) {
    return calls.call("read the default encryption of bucket '" + bucket + "'", bucket, null,
        () -> {
          try {
            return client.getBucketEncryption(b -> b.bucket(bucket))
                .serverSideEncryptionConfiguration().rules().stream()
                .map(ServerSideEncryptionRule::applyServerSideEncryptionByDefault)
                .filter(Objects::nonNull)
                .map(d -> d.sseAlgorithmAsString() + (d.kmsMasterKeyID() == null
                    || settings.sseKmsKeyId().isEmpty() ? "" : " (" + d.kmsMasterKeyID() + ")"))
                .findFirst().orElse("none");
          } catch (S3Exception e) {
            if ("ServerSideEncryptionConfigurationNotFoundError".equals(code(e))) {
              return "none";
            }
            throw e;
          }
        });
  }

  private void applyPublicAccessBlock(String bucket) {
    calls.call("block public access to bucket '" + bucket + "'", bucket, null,
        () -> client.putPublicAccessBlock(b -> b.bucket(bucket)
            .publicAccessBlockConfiguration(PublicAccessBlockConfiguration.builder()
                .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true)
                .restrictPublicBuckets(true).build())));
  }

  private boolean publicAccessBlocked(String bucket) {
    return calls.call("read the public-access block of bucket '" + bucket + "'", bucket, null,
        () -> {
          try {
            PublicAccessBlockConfiguration c = client.getPublicAccessBlock(b -> b.bucket(bucket))
                .publicAccessBlockConfiguration();
            return Boolean.TRUE.equals(c.blockPublicAcls())
                && Boolean.TRUE.equals(c.ignorePublicAcls())
                && Boolean.TRUE.equals(c.blockPublicPolicy())
                && Boolean.TRUE.equals(c.restrictPublicBuckets());
          } catch (S3Exception e) {
            if ("NoSuchPublicAccessBlockConfiguration".equals(code(e))) {
              return false;
            }
            throw e;
          }
        });
  }

  /** The bucket's lifecycle rules, none when it has no lifecycle configuration. */
  private List<LifecycleRule> rules(String bucket) {
    return calls.call("read the lifecycle of bucket '" + bucket + "'", bucket, null, () -> {
      try {
        return client.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules();
      } catch (S3Exception e) {
        if ("NoSuchLifecycleConfiguration".equals(code(e))) {
          return List.<LifecycleRule>of();
        }
        throw e;
      }
    });
  }

  /** edx's rule on the bucket, described as the plan describes the spec's, or "none". */
  private String lifecycle(String bucket) {
    return rules(bucket).stream().filter(r -> LIFECYCLE_RULE_ID.equals(r.id()))
        .filter(r -> r.status() == ExpirationStatus.ENABLED && r.expiration() != null
            && r.expiration().days() != null)
        .findFirst()
        .map(r -> describe(r.expiration().days(),
            r.filter() == null || r.filter().prefix() == null ? "" : r.filter().prefix()))
        .orElse("none");
  }

  /** Sets edx's rule as the spec says (or removes it), keeping the bucket's other rules. */
  private void applyLifecycle(String bucket) {
    List<LifecycleRule> rules = new ArrayList<>(rules(bucket).stream()
        .filter(r -> !LIFECYCLE_RULE_ID.equals(r.id())).toList());
    if (settings.lifecycleExpireDays().isPresent()) {
      rules.add(LifecycleRule.builder().id(LIFECYCLE_RULE_ID)
          .status(ExpirationStatus.ENABLED)
          .filter(LifecycleRuleFilter.builder().prefix(settings.lifecyclePrefix()).build())
          .expiration(LifecycleExpiration.builder()
              .days(settings.lifecycleExpireDays().getAsInt()).build())
          .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(7))
          .build());
    }
    if (rules.isEmpty()) {
      calls.call("remove the lifecycle of bucket '" + bucket + "'", bucket, null,
          () -> client.deleteBucketLifecycle(b -> b.bucket(bucket)));
    } else {
      calls.call("set the lifecycle of bucket '" + bucket + "'", bucket, null,
          () -> client.putBucketLifecycleConfiguration(b -> b.bucket(bucket)
              .lifecycleConfiguration(BucketLifecycleConfiguration.builder().rules(rules)
                  .build())));
    }
  }

  private static String code(S3Exception e) {
    return e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
  }
}
