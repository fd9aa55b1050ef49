package dev.edx.provider.minio;

import java.util.List;

/**
 * Spec keys of the {@code minio} storage provider ({@code spec.storage}), with their defaults. The
 * provider's page ({@code docs/providers/minio.md}) describes each one.
 */
public final class MinioProperties {
  /** The S3 endpoint URL, {@code http://host:9000} or {@code https://...}. Required. */
  public static final String ENDPOINT = "endpoint";
  /** The access key. Sensitive. Without keys, requests are anonymous. */
  public static final String ACCESS_KEY = "accessKey";
  /** The secret key. Sensitive. */
  public static final String SECRET_KEY = "secretKey";
  /** The region requests are signed for and buckets are created in. */
  public static final String REGION = "region";
  public static final String REGION_DEFAULT = "us-east-1";
  /** The buckets the provisioner manages: names, or maps with settings (see {@link BucketSpec}). */
  public static final String BUCKETS = "buckets";
  /** The part size of multipart uploads, in bytes or with a unit ({@code 16MiB}). */
  public static final String PART_SIZE = "partSize";
  public static final long PART_SIZE_DEFAULT = 16L * 1024 * 1024;
  /** S3's limits for a part size. */
  static final long PART_SIZE_MIN = 5L * 1024 * 1024;
  static final long PART_SIZE_MAX = 5L * 1024 * 1024 * 1024;
  /** A PEM file of the CA certificates to trust instead of the JVM's. */
  /** Retries of an idempotent call after a transient failure (I/O error, 5xx, cut answer). */
  public static final int RETRIES_DEFAULT = 5;
  /** The first retry's delay; each next one doubles it. */
  public static final long RETRY_BACKOFF_MILLIS_DEFAULT = 50;

  public static final String CA_FILE = "caFile";
  /** A trust store (PKCS12 or JKS) of the certificates to trust instead of the JVM's. */
  public static final String TRUST_STORE = "trustStore";
  /** The trust store's password. Sensitive. */
  public static final String TRUST_STORE_PASSWORD = "trustStorePassword";
  /** Turns certificate and host name checks off; logs a warning each time. Never in production. */
  public static final String INSECURE_SKIP_TLS_VERIFY = "insecureSkipTlsVerify";
  public static final boolean INSECURE_SKIP_TLS_VERIFY_DEFAULT = false;

  /** Keys of one bucket's map in {@link #BUCKETS}. */
  public static final String BUCKET_NAME = "name";
  /** Take over the bucket when it exists but edx did not create it. */
  public static final String BUCKET_ADOPT = "adopt";
  public static final boolean BUCKET_ADOPT_DEFAULT = false;
  public static final String BUCKET_VERSIONING = "versioning";
  public static final String BUCKET_POLICY = "policy";
  public static final String BUCKET_LIFECYCLE = "lifecycle";
  /** Keys of a bucket's {@link #BUCKET_LIFECYCLE} map. */
  public static final String LIFECYCLE_EXPIRE_DAYS = "expireDays";
  public static final String LIFECYCLE_PREFIX = "prefix";
  public static final String LIFECYCLE_PREFIX_DEFAULT = "";

  static final List<String> KEYS = List.of(ENDPOINT, ACCESS_KEY, SECRET_KEY, REGION, BUCKETS,
      PART_SIZE, CA_FILE, TRUST_STORE, TRUST_STORE_PASSWORD, INSECURE_SKIP_TLS_VERIFY);
  /**
   * The key of the object that marks a bucket as owned by an environment: it holds the
   * environment's name. Hidden from listings and not counted as data.
   */
  public static final String OWNER_KEY = ".edx/owner";

  private MinioProperties() {}
}
