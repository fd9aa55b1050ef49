/**
 * What the S3 providers ({@code minio} on minio-java, {@code s3} on the AWS SDK) share, written
 * once and free of any SDK: S3's limits and the {@code partSize} setting ({@link
 * dev.edx.toolkit.s3.S3Limits}), etags, URIs, presign expiries and delete batches ({@link
 * dev.edx.toolkit.s3.S3Objects}), the storage behaviour both providers have over their SDK's
 * calls ({@link dev.edx.toolkit.s3.S3Store}), bucket ownership ({@link
 * dev.edx.toolkit.s3.BucketOwnership}) and the bucket provisioner ({@link
 * dev.edx.toolkit.s3.OwnedBuckets}). Not public API: providers build on it, applications do not.
 */
package dev.edx.toolkit.s3;
