package dev.edx.spark.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * What makes up a Spark runtime: Spark SQL (with Spark core) and the S3A connector ({@code
 * hadoop-aws}) with the AWS SDK's S3 modules instead of its 600 MB shaded bundle, as a pom would
 * declare them.
 *
 * @param roots the dependencies resolved with their runtime dependencies, in class path order
 */
record SparkArtifacts(List<Root> roots) {
  /**
   * One declared dependency.
   *
   * @param coordinates {@code group:artifact:version}
   * @param exclusions {@code group:artifact} of transitive dependencies left out
   */
  record Root(String coordinates, List<String> exclusions) {
    Root {
      requireNonNull(coordinates, "coordinates is null");
      exclusions = List.copyOf(exclusions);
    }
  }

  SparkArtifacts {
    roots = List.copyOf(roots);
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("no artifacts");
    }
  }

  /**
   * Spark {@code version} (Scala 2.13) with {@code hadoop-aws} and the AWS SDK at the versions
   * this build was made with (hadoop-aws 3.4.1, the Hadoop of Spark 4.0).
   */
  static SparkArtifacts forSpark(String version) {
    requireNonNull(version, "version is null");
    Properties versions = new Properties();
    try (InputStream in = SparkArtifacts.class.getResourceAsStream("versions.properties")) {
      if (in == null) {
        throw new IllegalStateException("versions.properties is missing from edx-spark-runtime");
      }
      versions.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String sdk = versions.getProperty("awssdk");
    return new SparkArtifacts(List.of(
        new Root("org.apache.spark:spark-sql_2.13:" + version, List.of()),
        new Root("org.apache.hadoop:hadoop-aws:" + versions.getProperty("hadoop-aws"),
            List.of("software.amazon.awssdk:bundle")),
        new Root("software.amazon.awssdk:s3:" + sdk, List.of()),
        new Root("software.amazon.awssdk:s3-transfer-manager:" + sdk, List.of()),
        new Root("software.amazon.awssdk:apache-client:" + sdk, List.of()),
        new Root("software.amazon.awssdk:sts:" + sdk, List.of())));
  }

  /** A stable text of the whole set, for the cache key. */
  String describe() {
    StringBuilder text = new StringBuilder();
    for (Root root : roots) {
      text.append(root.coordinates());
      root.exclusions().forEach(e -> text.append(" -").append(e));
      text.append('\n');
    }
    return text.toString();
  }
}
