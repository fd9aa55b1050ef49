package dev.edx.sparkit;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The child JVM's main: a local Spark session with Hive support on the platform's metastore and
 * S3 endpoint runs each query of its arguments and prints its rows as {@code ROW\tv1\tv2...}.
 *
 * <p>Arguments: the metastore URI, the S3 endpoint, the region, then the queries. The S3 keys come
 * from the environment ({@code EDX_S3_ACCESS_KEY}, {@code EDX_S3_SECRET_KEY}), never from the
 * command line.
 */
public final class SparkCount {
  private SparkCount() {}

  public static void main(String[] args) {
    if (args.length < 4) {
      System.err.println("usage: SparkCount METASTORE_URI S3_ENDPOINT REGION QUERY...");
      System.exit(2);
    }
    String accessKey = System.getenv("EDX_S3_ACCESS_KEY");
    String secretKey = System.getenv("EDX_S3_SECRET_KEY");
    if (accessKey == null || secretKey == null) {
      System.err.println("SparkCount: EDX_S3_ACCESS_KEY and EDX_S3_SECRET_KEY must be set");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder()
        .appName("edx-spark-it")
        .master("local[2]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.catalogImplementation", "hive")
        .config("spark.hadoop.hive.metastore.uris", args[0])
        .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir")
            + "/spark-warehouse")
        .config("spark.hadoop.fs.s3a.endpoint", args[1])
        .config("spark.hadoop.fs.s3a.endpoint.region", args[2])
        .config("spark.hadoop.fs.s3a.path.style.access", "true")
        .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
        .config("spark.hadoop.fs.s3a.access.key", accessKey)
        .config("spark.hadoop.fs.s3a.secret.key", secretKey)
        .config("spark.hadoop.fs.s3a.aws.credentials.provider",
            "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
        .enableHiveSupport()
        .getOrCreate();
    try {
      System.out.println("SPARK\t" + spark.version());
      for (int i = 3; i < args.length; i++) {
        System.out.println("QUERY\t" + args[i]);
        List<Row> rows = spark.sql(args[i]).collectAsList();
        for (Row row : rows) {
          StringBuilder line = new StringBuilder("ROW");
          for (int c = 0; c < row.length(); c++) {
            line.append('\t').append(row.get(c));
          }
          System.out.println(line);
        }
      }
    } finally {
      spark.stop();
    }
  }
}
