package dev.edx.testkit;

/**
 * What a provider can do, for the contract tests. Each capability has a default; a provider's
 * contract subclass overrides {@code supports(EdxCapability)} where it differs. For an unsupported
 * capability the contract asserts the documented failure instead of skipping.
 */
public enum EdxCapability {
  /** Storage: buckets can be created and deleted through the API. */
  STORAGE_CREATE_BUCKETS(true),
  /** Storage: an object {@code a} and an object {@code a/b} can exist at once (S3 can; folders cannot). */
  STORAGE_KEY_AND_PREFIX_SAME_NAME(true),
  /** Storage: {@code stat} reports an etag. */
  STORAGE_ETAGS(true),
  /** Compute: runs {@code TaskJob}s. */
  COMPUTE_TASK_JOBS(true),
  /** Compute: runs {@code ContainerJob}s. */
  COMPUTE_CONTAINER_JOBS(true),
  /** Compute: runs {@code SparkJob}s. */
  COMPUTE_SPARK_JOBS(false),
  /** Secrets: put and delete work (a read-only provider refuses them). */
  SECRETS_WRITE(true);

  private final boolean defaultSupported;

  EdxCapability(boolean defaultSupported) {
    this.defaultSupported = defaultSupported;
  }

  /** Whether a provider has this capability unless its contract subclass says otherwise. */
  public boolean defaultSupported() {
    return defaultSupported;
  }
}
