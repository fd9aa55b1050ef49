package dev.edx.toolkit;

import static java.util.Objects.requireNonNull;

import dev.edx.api.S3Access;
import dev.edx.api.SparkJob;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a compute adds to a {@link SparkJob} so that Spark's S3A reaches the environment's storage
 * ({@link dev.edx.api.ObjectStorage#s3Access()}): the endpoint, region and addressing as {@code
 * spark.hadoop.fs.s3a.*} conf, and the names of the environment variables that carry the
 * credentials. Credentials never go into the conf (it is logged, shown by Spark's UI and written
 * into manifests): each compute hands them to the driver and executors its own way (a child
 * process's environment, {@code secretKeyRef}s, a job role). S3A's default credential chain reads
 * these variables.
 */
public final class SparkS3a {
  /** The access key id's variable. */
  public static final String ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
  /** The secret access key's variable. */
  public static final String SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";
  /** The session token's variable. */
  public static final String SESSION_TOKEN_ENV = "AWS_SESSION_TOKEN";

  private static final String PREFIX = "spark.hadoop.fs.s3a.";

  private SparkS3a() {}

  /** The S3A conf of a storage, without credentials, ordered by key. */
  public static Map<String, String> conf(S3Access access) {
    requireNonNull(access, "access is null");
    Map<String, String> conf = new TreeMap<>();
    conf.put(PREFIX + "impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    conf.put(PREFIX + "path.style.access", Boolean.toString(access.pathStyle()));
    access.endpoint().ifPresent(endpoint -> {
      conf.put(PREFIX + "endpoint", endpoint.toString());
      conf.put(PREFIX + "connection.ssl.enabled", Boolean.toString(!"http".equals(
          endpoint.getScheme())));
    });
    access.region().ifPresent(region -> conf.put(PREFIX + "endpoint.region", region));
    return conf;
  }

  /**
   * The job with the storage's S3A conf added under its own: a key the job's conf sets keeps the
   * job's value.
   */
  public static SparkJob withConf(SparkJob job, S3Access access) {
    requireNonNull(job, "job is null");
    Map<String, String> conf = new TreeMap<>(conf(access));
    conf.putAll(job.conf());
    return new SparkJob(job.name(), job.mainClass(), job.applicationResource(), job.args(), conf,
        job.driver(), job.executor(), job.executorInstances());
  }

  /**
   * The credentials as environment variables ({@link #ACCESS_KEY_ENV}, {@link #SECRET_KEY_ENV},
   * {@link #SESSION_TOKEN_ENV}), for a compute that starts the driver as a process of its own.
   * The values are secrets: never log them.
   */
  public static Map<String, String> environment(S3Access.Credentials credentials) {
    requireNonNull(credentials, "credentials is null");
    Map<String, String> env = new LinkedHashMap<>();
    env.put(ACCESS_KEY_ENV, credentials.accessKeyId());
    env.put(SECRET_KEY_ENV, credentials.secretAccessKey());
    credentials.sessionToken().ifPresent(token -> env.put(SESSION_TOKEN_ENV, token));
    return env;
  }
}
