package dev.edx.gha.spark;

import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.core.Environments;
import dev.edx.gha.HourResult;
import dev.edx.gha.Results;
import dev.edx.gha.tables.TableBuilder;
import dev.edx.gha.tables.TableSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * The GH Archive pipeline's {@code convert} and {@code tables} steps as a Spark application. The
 * arguments, the result objects and what each step writes are described in the module README.
 */
public final class GhaSparkApp {
  /** Exit status: every hour or table done. */
  public static final int OK = 0;
  /** Exit status: an hour failed (its result object says why) or the tables failed. */
  public static final int FAILED = 1;
  /** Exit status: bad arguments. */
  public static final int USAGE = 2;

  private GhaSparkApp() {}

  /** The entry point of {@code spark-submit}: the session from its configuration. */
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder()
        .appName("edx-gha-" + (args.length == 0 ? "spark" : args[0])).getOrCreate();
    int status;
    try {
      status = run(spark, System.out, System.err, args);
    } finally {
      spark.stop();
    }
    System.exit(status);
  }

  /**
   * Runs one step on {@code spark} (whose {@code spark.hadoop.fs.s3a.*} configuration reaches
   * the environment's storage); answers the exit status.
   */
  public static int run(SparkSession spark, PrintStream out, PrintStream err, String... args) {
    AppArguments a;
    try {
      a = AppArguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return USAGE;
    }
    // The lake's timestamps are Parquet TIMESTAMP(MICROS, UTC), as the Java converter writes.
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    try (Environment env = openEnvironment(spark, a.env())) {
      if (a.step().equals("convert")) {
        List<HourResult> results = new SparkConvert(spark, env.storage(), a.run(),
            a.rawBucket(), a.lakeBucket(), a.force(), out).convert(a.hours());
        return results.stream().anyMatch(HourResult::failed) ? FAILED : OK;
      }
      List<TableSpec> specs = a.tables().isEmpty()
          ? TableSpec.parse(TableSpec.defaultYaml(), "default-tables.yaml")
          : TableSpec.parse(read(spark, a.tables().get(), "tables file"), a.tables().get());
      if (!env.storage().bucketExists(a.lakeBucket())) {
        env.storage().createBucket(a.lakeBucket());
      }
      List<TableBuilder.TableResult> results = TableBuilder.withEngine(env.storage(),
          env.metastore(), a.lakeBucket(), a.datamartBucket(), out::println,
          new SparkTables(spark, env.storage(), a.run())).build(specs);
      Results.write(env.storage(), ObjectRef.of(a.lakeBucket(),
          "_edx/runs/" + a.run() + "/tables.json"), results);
      for (TableBuilder.TableResult t : results) {
        out.printf("table %s: %d rows, %d partition(s), %d rebuilt%n", t.name(), t.rows(),
            t.partitions(), t.rebuilt());
      }
      return OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("GhaSparkApp " + a.step() + ": interrupted");
      return FAILED;
    } catch (Exception e) {
      err.println("GhaSparkApp " + a.step() + " failed: " + e.getMessage());
      e.printStackTrace(err);
      return FAILED;
    }
  }

  /** Opens the spec at {@code spec}: a local path, or a URI the driver's Hadoop can read. */
  static Environment openEnvironment(SparkSession spark, String spec) {
    Path local = localPath(spec);
    if (local != null) {
      if (!Files.isRegularFile(local)) {
        throw new IllegalArgumentException("Cannot open the environment: no spec file " + local
            + " (--env takes a local path or a file:/s3a:// URI of an edx environment spec)");
      }
      return Environments.open(local);
    }
    return Environments.open(new StringReader(read(spark, spec, "environment spec")), spec);
  }

  private static Path localPath(String location) {
    if (!location.contains(":/")) {
      return Path.of(location);
    }
    URI uri = URI.create(location);
    return "file".equals(uri.getScheme()) ? Path.of(uri) : null;
  }

  /** The text of a local file or of a URI read through the driver's Hadoop configuration. */
  static String read(SparkSession spark, String location, String what) {
    try {
      Path local = localPath(location);
      if (local != null) {
        return Files.readString(local);
      }
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (InputStream in = fs.open(path)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the " + what + " " + location + ": "
          + e.getMessage(), e);
    }
  }
}
