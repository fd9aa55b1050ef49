package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

/**
 * The two spellings of an S3 location. edx's storage names objects {@code s3a://bucket/key}
 * (what open-source Spark and Hadoop read through S3A); the Glue Data Catalog, and Athena, EMR
 * and Trino reading it, expect {@code s3://bucket/key}. The {@code glue} metastore stores the
 * second and gives back the first, so the rest of edx sees one form. Other schemes ({@code
 * file:}, {@code hdfs://}) pass unchanged.
 */
final class S3Locations {
  private static final String S3 = "s3://";
  private static final String S3A = "s3a://";
  private static final String S3N = "s3n://";

  private S3Locations() {}

  /** {@code s3a://} and {@code s3n://} as {@code s3://}; anything else unchanged. */
  static String toGlue(String location) {
    requireNonNull(location, "location is null");
    if (location.regionMatches(true, 0, S3A, 0, S3A.length())) {
      return S3 + location.substring(S3A.length());
    }
    if (location.regionMatches(true, 0, S3N, 0, S3N.length())) {
      return S3 + location.substring(S3N.length());
    }
    return location;
  }

  /** {@code s3://} as {@code s3a://}, edx's form; anything else unchanged. */
  static String fromGlue(String location) {
    requireNonNull(location, "location is null");
    if (location.regionMatches(true, 0, S3, 0, S3.length())) {
      return S3A + location.substring(S3.length());
    }
    return location;
  }
}
