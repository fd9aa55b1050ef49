/**
 * The {@code k8s} providers, through the fabric8 client: compute ({@link
 * dev.edx.provider.k8s.K8sCompute}: TaskJob and ContainerJob as {@code batch/v1} Jobs, SparkJob as
 * a spark-operator {@code SparkApplication}), which also provisions its namespace, quota, limit
 * range, service accounts and least-privilege Roles (or renders them for GitOps), and secrets
 * ({@link dev.edx.provider.k8s.K8sSecrets}: Kubernetes Secrets). The pod side of a TaskJob is
 * {@link dev.edx.provider.k8s.runner.EdxRunner}. See {@code docs/providers/k8s.md}.
 */
package dev.edx.provider.k8s;
