package dev.edx.testkit;

/**
 * What a provider can do, for the contract tests. Each capability has a default; a provider's
 * contract subclass overrides {@code supports(EdxCapability)} where it differs. For an unsupported
 * capability the contract asserts the documented failure instead of skipping.
 */
public enum EdxCapability {
  /** Storage: buckets can be created and deleted through the API. */
  STORAGE_CREATE_BUCKETS(true),
  /**
   * Storage: an object {@code a} and an object {@code a/b} can exist at once (S3 can; folders
   * cannot).
   */
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
  SECRETS_WRITE(true),
  /**
   * Provisioning: a spec declares a list of resources (buckets, databases, secrets), and one
   * dropped from the list is deleted when empty and kept when it holds data. Without it a spec
   * declares one resource (the {@code k8s} compute's namespace) and the provisioner knows only
   * that one: a resource no longer declared is left as it is, neither deleted nor reported.
   */
  PROVISION_RESOURCE_LIST(true),
  /**
   * Provisioning: creating one resource takes several requests (a bucket, then its ownership
   * mark; a namespace, then the objects in it), so an apply can stop inside it, and the contract
   * subclass can leave that state behind ({@code ProvisionerContract.interruptCreate}). Without
   * it a resource and its mark are made in one atomic request: there is no such state to test.
   */
  PROVISION_MULTI_STEP_CREATE(false),
  /**
   * Provisioning: the ownership mark is written before or with the first request of a create,
   * so a half-created resource is this environment's and the next apply completes it. Without
   * it (S3-style stores, where a bucket must exist before it can be marked) a half-created
   * resource is unmarked: plans report it as not managed by edx, apply leaves it alone, and
   * {@code adopt: true} takes it over.
   */
  PROVISION_MARKS_BEFORE_CREATE(true);

  private final boolean defaultSupported;

  EdxCapability(boolean defaultSupported) {
    this.defaultSupported = defaultSupported;
  }

  /** Whether a provider has this capability unless its contract subclass says otherwise. */
  public boolean defaultSupported() {
    return defaultSupported;
  }
}
