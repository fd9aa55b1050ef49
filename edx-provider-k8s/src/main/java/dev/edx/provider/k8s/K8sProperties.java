package dev.edx.provider.k8s;

/**
 * The labels and fixed object names of the {@code k8s} providers. Their settings are declared
 * once, as {@link dev.edx.toolkit.Setting}s: {@link K8sConnectionProperties} (both providers),
 * {@link K8sComputeProperties} and {@link K8sSecretsProperties}; the tables in {@code
 * docs/providers/k8s.md} describe them.
 */
public final class K8sProperties {
  /** The label edx puts on everything it creates, with value {@link #MANAGED_BY_VALUE}. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "edx";
  /** The label naming the environment that owns a provisioned object. */
  public static final String ENVIRONMENT_LABEL = "edx.dev/environment";
  /** The label carrying the edx job id on a job's objects and pods. */
  public static final String JOB_ID_LABEL = "edx.dev/job-id";

  /** The name of the ResourceQuota provisioned from {@code quota}. */
  public static final String QUOTA_NAME = "edx-quota";
  /** The name of the LimitRange provisioned from {@code limits}. */
  public static final String LIMIT_RANGE_NAME = "edx-limits";

  private K8sProperties() {}
}
