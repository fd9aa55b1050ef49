/**
 * The AWS providers, through the AWS SDK for Java v2 with its URL-connection HTTP client: {@code
 * s3} storage ({@link dev.edx.provider.aws.S3StorageProvider}), {@code secretsmanager} secrets
 * ({@link dev.edx.provider.aws.SecretsManagerProvider}), {@code glue} metastore ({@link
 * dev.edx.provider.aws.GlueMetastoreProvider}) and {@code emr-eks} compute ({@link
 * dev.edx.provider.aws.EmrEksComputeProvider}). (The bearer token of an EKS cluster, {@code
 * EksToken}, is in the {@code k8s} provider, whose {@code eks} setting uses it.) What edx creates
 * on AWS carries the tags (Glue databases: the parameters) {@code managed-by=edx} and {@code
 * edx.dev/environment=<name>}. Settings: {@link dev.edx.provider.aws.AwsProperties}.
 */
package dev.edx.provider.aws;
