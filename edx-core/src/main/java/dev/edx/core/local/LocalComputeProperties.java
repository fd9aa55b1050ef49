package dev.edx.core.local;

import dev.edx.toolkit.Setting;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The settings of the {@code local} compute provider ({@code spec.compute}). */
public final class LocalComputeProperties {
  private static final Pattern VERSION =
      Pattern.compile("\\d+\\.\\d+\\.\\d+([-.][A-Za-z0-9.-]+)?");
  private static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

  /** Worker threads: how many jobs run at once; more wait in PENDING. */
  public static final Setting<Integer> THREADS = Setting.integer("threads",
          "Jobs that run at once; more wait in PENDING.")
      .check(n -> n >= 1, "must be at least 1").withDefault(2);

  /** How many bytes of each job's log are kept in memory; older bytes are dropped. */
  public static final Setting<Long> MAX_LOG_BYTES = Setting.longValue("maxLogBytes",
          "Bytes of each job's log kept in memory.")
      .check(n -> n >= 1 && n <= Integer.MAX_VALUE - 8,
          "must be between 1 and " + (Integer.MAX_VALUE - 8))
      .withDefault(1024L * 1024);

  /** The {@code --master} given to spark-submit. */
  public static final Setting<String> SPARK_MASTER = Setting.string("sparkMaster",
          "The --master given to spark-submit: local[N] runs Spark with N threads.")
      .check(m -> !m.isBlank(), "must not be blank; use local[*], local[N] or a master URL")
      .withDefault("local[*]");

  /** The Spark release resolved from the repository when SPARK_HOME is not set. */
  public static final Setting<String> SPARK_VERSION = Setting.string("sparkVersion",
          "The Spark release (Scala 2.13) resolved from sparkRepository when SPARK_HOME is not"
              + " set.")
      .check(v -> VERSION.matcher(v).matches(), "must be a release such as 4.0.1")
      .withDefault("4.0.1");

  /**
   * Spark's jars, as a class path: when set, Spark runs on it as given (no resolution, no
   * download) unless SPARK_HOME is set.
   */
  public static final Setting<String> SPARK_CLASS_PATH = Setting.string("sparkClassPath",
          "Spark's jars as a class path (entries separated by ':', dir/* for all jars of a"
              + " folder); when set, no resolution. SPARK_HOME still wins.")
      .check(c -> !c.isBlank(), "must not be blank; remove it to resolve Spark");

  /** The Maven repository Spark is resolved from. */
  public static final Setting<URI> SPARK_REPOSITORY = Setting.string("sparkRepository",
          "The Maven repository Spark is resolved from (a mirror of Maven Central, or file:).")
      .map(LocalComputeProperties::repository)
      .withDefault(URI.create(CENTRAL), CENTRAL);

  /** Resolve Spark from the local repository and the cache only. */
  public static final Setting<Boolean> SPARK_OFFLINE = Setting.bool("sparkOffline",
          "Resolve Spark from sparkLocalRepository and the cache only; never download.")
      .withDefault(false);

  /** The local Maven repository downloads go to; {@code ~/} is the user's home folder. */
  public static final Setting<String> SPARK_LOCAL_REPOSITORY =
      Setting.string("sparkLocalRepository",
          "The local Maven repository Spark's jars are downloaded to and read from.")
      .check(p -> !p.isBlank(), "must not be blank")
      .withDefault("~/.m2/repository");

  /** Where resolved class paths are cached; {@code ~/} is the user's home folder. */
  public static final Setting<String> SPARK_CACHE_DIRECTORY = Setting.string("sparkCacheDirectory",
          "Where the resolved class path of each Spark version is kept, so that later runs do not"
              + " resolve again.")
      .check(p -> !p.isBlank(), "must not be blank")
      .withDefault("~/.cache/edx/spark");

  private LocalComputeProperties() {}

  private static URI repository(String value) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a URL: " + e.getReason(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!List.of("https", "http", "file").contains(scheme)) {
      throw new IllegalArgumentException("must be an https:, http: or file: URL, not " + value);
    }
    return uri;
  }
}
