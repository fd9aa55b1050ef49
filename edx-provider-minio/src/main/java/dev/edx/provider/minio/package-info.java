/**
 * The {@code minio} storage provider: buckets (versioning, policies, lifecycle rules) and objects
 * on MinIO or any S3-compatible store through minio-java, with TLS verified by default, presigned
 * URLs and versioned reads, and a provisioner of the declared buckets. Its settings are in {@link
 * dev.edx.provider.minio.MinioProperties}.
 */
package dev.edx.provider.minio;
