/**
 * Will hold the AWS providers: {@code s3} storage, {@code secretsmanager} secrets, {@code glue}
 * metastore and {@code emr-eks} compute, through the AWS SDK for Java v2. Not implemented yet:
 * this module holds only its build until the AWS issue lands, and ships no provider.
 */
package dev.edx.provider.aws;
