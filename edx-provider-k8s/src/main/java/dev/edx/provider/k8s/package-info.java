/**
 * Will hold the {@code k8s} providers: compute (TaskJob and ContainerJob as batch/v1 Jobs, SparkJob
 * as a spark-operator SparkApplication), secrets (Kubernetes Secrets) and provisioning (Namespace,
 * ServiceAccount, least-privilege Role and RoleBinding), through the fabric8 client. Not
 * implemented yet: this module holds only its build until the Kubernetes issue lands, and ships no
 * provider.
 */
package dev.edx.provider.k8s;
