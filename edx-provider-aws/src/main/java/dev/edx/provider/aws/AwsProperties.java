package dev.edx.provider.aws;

import java.time.Duration;

/**
 * Spec keys of the AWS providers, each with its default. The first group is shared by every AWS
 * service section; the others belong to one provider. {@code docs/providers/aws.md} describes them.
 */
public final class AwsProperties {
  // ------------------------------------------------------------------ every AWS service section
  /** The region; when absent, the SDK's region chain ({@code AWS_REGION}, the profile). */
  public static final String REGION = "region";
  /** A named profile of {@code ~/.aws/config} to take credentials from. */
  public static final String PROFILE = "profile";
  /** A static access key id. Sensitive; give it with {@code ${secret:...}}. */
  public static final String ACCESS_KEY_ID = "accessKeyId";
  /** The static secret access key. Sensitive. */
  public static final String SECRET_ACCESS_KEY = "secretAccessKey";
  /** A session token to go with static keys. Sensitive. */
  public static final String SESSION_TOKEN = "sessionToken";
  /** An endpoint to use instead of AWS's ({@code http://127.0.0.1:4566}, an S3-compatible store). */
  public static final String ENDPOINT = "endpoint";
  /** Attempts per call, retries of throttling and server errors included. */
  public static final String MAX_ATTEMPTS = "maxAttempts";
  public static final int MAX_ATTEMPTS_DEFAULT = 8;
  /** The first retry's base delay; it doubles each attempt (with jitter), up to 20 s. */
  public static final String RETRY_BASE_DELAY = "retryBaseDelay";
  public static final Duration RETRY_BASE_DELAY_DEFAULT = Duration.ofMillis(200);
  static final Duration RETRY_MAX_DELAY = Duration.ofSeconds(20);

  // ------------------------------------------------------------------------------- s3 storage
  /** Path-style addressing ({@code endpoint/bucket/key}), for S3-compatible stores. */
  public static final String PATH_STYLE = "pathStyle";
  public static final boolean PATH_STYLE_DEFAULT = false;
  /** The part size of multipart uploads, in bytes or with a unit ({@code 16MiB}); 5MiB to 5GiB. */
  public static final String PART_SIZE = "partSize";
  public static final long PART_SIZE_DEFAULT = 8L * 1024 * 1024;
  static final long PART_SIZE_MIN = 5L * 1024 * 1024;
  static final long PART_SIZE_MAX = 5L * 1024 * 1024 * 1024;
  /** Server-side encryption of written objects and new buckets: {@code none}, {@code AES256}, {@code aws:kms}. */
  public static final String SSE = "sse";
  public static final String SSE_DEFAULT = "none";
  /** The KMS key for {@code sse: aws:kms}; the account's default key when absent. */
  public static final String SSE_KMS_KEY_ID = "sseKmsKeyId";
  /** Checksums of uploads: {@code when_supported} (CRC32 on every upload) or {@code when_required}. */
  public static final String CHECKSUMS = "checksums";
  public static final String CHECKSUMS_DEFAULT = "when_supported";
  /** The buckets the provisioner manages: names, or {@code {name, adopt}} maps. */
  public static final String BUCKETS = "buckets";
  /** Whether new buckets block all public access. */
  public static final String BLOCK_PUBLIC_ACCESS = "blockPublicAccess";
  public static final boolean BLOCK_PUBLIC_ACCESS_DEFAULT = true;
  /** Days after which objects under {@link #LIFECYCLE_PREFIX} expire in the managed buckets. */
  public static final String LIFECYCLE_EXPIRE_DAYS = "lifecycleExpireDays";
  /** The key prefix the lifecycle rule applies to ("" for all). */
  public static final String LIFECYCLE_PREFIX = "lifecyclePrefix";
  public static final String LIFECYCLE_PREFIX_DEFAULT = "";

  // -------------------------------------------------------------------- secretsmanager secrets
  /** Days a deleted secret can be restored (7 to 30). */
  public static final String RECOVERY_WINDOW_DAYS = "recoveryWindowDays";
  public static final int RECOVERY_WINDOW_DAYS_DEFAULT = 30;
  /** Delete secrets at once, without a recovery window. */
  public static final String FORCE_DELETE = "forceDelete";
  public static final boolean FORCE_DELETE_DEFAULT = false;
  /** The KMS key new secrets are encrypted with; the account's {@code aws/secretsmanager} key when absent. */
  public static final String KMS_KEY_ID = "kmsKeyId";
  /** The secrets the provisioner manages (created empty, filled with put). */
  public static final String SECRETS = "secrets";

  // ------------------------------------------------------------------------- glue metastore
  /** The Glue catalog (account id); the caller's account when absent. */
  public static final String CATALOG_ID = "catalogId";
  /** The databases the provisioner manages. */
  public static final String DATABASES = "databases";

  // ------------------------------------------------------------------------ emr-eks compute
  /** The EMR on EKS virtual cluster id. Required. */
  public static final String VIRTUAL_CLUSTER_ID = "virtualClusterId";
  /** The IAM role job runs execute as. Required. */
  public static final String EXECUTION_ROLE_ARN = "executionRoleArn";
  /** The EMR release of job runs. */
  public static final String RELEASE_LABEL = "releaseLabel";
  public static final String RELEASE_LABEL_DEFAULT = "emr-7.5.0-latest";
  /** {@code s3://bucket/prefix} where job runs write their logs (monitoring configuration). */
  public static final String LOG_URI = "logUri";
  /** How often {@code await} polls DescribeJobRun. */
  public static final String POLL_INTERVAL = "pollInterval";
  public static final Duration POLL_INTERVAL_DEFAULT = Duration.ofSeconds(10);

  private AwsProperties() {}
}
