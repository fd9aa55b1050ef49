/**
 * Will hold the {@code minio} storage provider: buckets (versioning, policies, lifecycle) and
 * objects on MinIO or any S3-compatible store through minio-java, with TLS verified by default, and
 * its provisioner. Not implemented yet: this module holds only its build until the MinIO issue
 * lands, and ships no provider.
 */
package dev.edx.provider.minio;
