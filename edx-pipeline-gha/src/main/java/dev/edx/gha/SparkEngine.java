package dev.edx.gha;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.api.Resources;
import dev.edx.api.SparkJob;
import dev.edx.api.exceptions.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The pipeline's convert and tables steps as the Spark application of {@code
 * edx-pipeline-gha-spark} ({@value #MAIN_CLASS}), submitted as {@link SparkJob}s through {@code
 * env.compute()}: spark-submit on local compute, a SparkApplication on {@code k8s}, a job run on
 * {@code emr-eks}. The driver opens the environment itself from the spec it is handed ({@code
 * --env}): the spec file's own path when the application jar is a local file (local compute, same
 * machine), else the rendered spec ({@code ${...}} references kept as written, never a resolved
 * value) written to the lake bucket under {@code _edx/runs/<run>/environment.yaml}. How Spark
 * reaches the storage (S3A endpoint, credentials) is the compute's business: it derives it from
 * the environment's storage.
 */
public final class SparkEngine {
  /** The application's main class. */
  public static final String MAIN_CLASS = "dev.edx.gha.spark.GhaSparkApp";
  /** The application's module, as the build names its folder and jar. */
  public static final String MODULE = "edx-pipeline-gha-spark";
  /** How to build the application's jar. */
  public static final String BUILD = "mvn -Pspark -pl " + MODULE + " -am package -DskipTests";
  /** The end of the shaded application jar's name (the classifier {@code all}). */
  public static final String SHADED_SUFFIX = "-all.jar";
  /** Where uploaded application jars go in the lake bucket. */
  public static final String UPLOAD_PREFIX = "_edx/spark/";

  /**
   * How the application runs.
   *
   * @param applicationJar where the application jar is: a local path or {@code file:} URI, or a
   *     location the cluster reads ({@code s3a://}, {@code s3://}, {@code local://} in the image);
   *     empty for the jar the build puts in {@code edx-pipeline-gha-spark/target/}
   * @param upload whether a local jar is uploaded to the lake bucket under {@value
   *     #UPLOAD_PREFIX} and handed to the cluster from there
   * @param conf Spark conf added to each job
   * @param resources cores and memory of the driver and of each executor
   * @param executors how many executors
   */
  public record Options(Optional<String> applicationJar, boolean upload, Map<String, String> conf,
      Resources resources, int executors) {
    public Options {
      requireNonNull(applicationJar, "applicationJar is null");
      conf = Map.copyOf(requireNonNull(conf, "conf is null"));
      requireNonNull(resources, "resources is null");
      if (executors < 1) {
        throw new IllegalArgumentException("executors must be at least 1: " + executors);
      }
    }

    /** The defaults: the built jar, 1 executor, 1 core and 1g each. */
    public static Options defaults() {
      return new Options(Optional.empty(), false, Map.of(), Resources.of(1, "1g"), 1);
    }
  }

  private final Environment env;
  private final Options options;
  private final Path specFile;
  private final Supplier<String> renderedSpec;
  private final Supplier<Path> builtJarFolder;
  private String applicationResource;

  /**
   * @param env the environment the steps run in
   * @param options how the application runs
   * @param specFile the environment's spec file (the driver opens the same environment)
   * @param renderedSpec renders that spec for a driver elsewhere ({@code EnvironmentFactory})
   */
  public SparkEngine(Environment env, Options options, Path specFile,
      Supplier<String> renderedSpec) {
    this(env, options, specFile, renderedSpec, SparkEngine::builtJarFolder);
  }

  SparkEngine(Environment env, Options options, Path specFile, Supplier<String> renderedSpec,
      Supplier<Path> builtJarFolder) {
    this.env = requireNonNull(env, "env is null");
    this.options = requireNonNull(options, "options is null");
    this.specFile = requireNonNull(specFile, "specFile is null").toAbsolutePath().normalize();
    this.renderedSpec = requireNonNull(renderedSpec, "renderedSpec is null");
    this.builtJarFolder = requireNonNull(builtJarFolder, "builtJarFolder is null");
  }

  /** The convert job: the hours of the raw bucket to Parquet in the lake. */
  SparkJob convert(String run, String rawBucket, String lakeBucket, List<Hour> hours,
      boolean force) {
    String jar = applicationResource(lakeBucket);
    List<String> args = new ArrayList<>(List.of("convert", "--env", envSpec(run, lakeBucket),
        "--run", run, "--raw-bucket", rawBucket, "--lake-bucket", lakeBucket, "--hours",
        String.join(",", hours.stream().map(Hour::toString).toList())));
    if (force) {
      args.add("--force");
    }
    return job("gha-convert-" + run, jar, args);
  }

  /** The tables job; {@code tables} is the URI of a tables YAML, empty for the built-in set. */
  SparkJob tables(String run, String lakeBucket, String datamartBucket, Optional<URI> tables) {
    String jar = applicationResource(lakeBucket);
    List<String> args = new ArrayList<>(List.of("tables", "--env", envSpec(run, lakeBucket),
        "--run", run, "--lake-bucket", lakeBucket, "--datamart-bucket", datamartBucket));
    tables.ifPresent(t -> args.addAll(List.of("--tables", t.toString())));
    return job("gha-tables-" + run, jar, args);
  }

  private SparkJob job(String name, String jar, List<String> args) {
    return new SparkJob(name, MAIN_CLASS, jar, args, options.conf(),
        options.resources(), options.resources(), options.executors());
  }

  /** Whether the driver runs where this process's files are: a local jar, not uploaded. */
  private boolean localDriver() {
    return localJar().isPresent() && !options.upload();
  }

  /**
   * The spec the driver opens: the spec file's path (its {@code ${file:}} references relative to
   * its folder, as here) for a local driver; else the rendered spec in the lake bucket.
   */
  private String envSpec(String run, String lakeBucket) {
    if (localDriver()) {
      return specFile.toUri().toString();
    }
    ObjectRef ref = ObjectRef.of(lakeBucket, "_edx/runs/" + run + "/environment.yaml");
    if (env.storage().stat(ref).isEmpty()) {
      env.storage().put(ref, renderedSpec.get().getBytes(StandardCharsets.UTF_8));
    }
    return env.storage().uri(ref).toString();
  }

  /** The application resource, checked (and uploaded) once. */
  synchronized String applicationResource(String lakeBucket) {
    if (applicationResource == null) {
      applicationResource = resolveApplicationResource(lakeBucket);
    }
    return applicationResource;
  }

  private String resolveApplicationResource(String lakeBucket) {
    Optional<Path> local = localJar();
    if (local.isEmpty()) {
      String location = options.applicationJar().orElseThrow();
      if (location.startsWith("s3a://") || location.startsWith("s3://")) {
        checkInStorage(location);
      }
      return location;
    }
    Path jar = local.get();
    if (!Files.isRegularFile(jar)) {
      throw new ConfigurationException("Cannot run the pipeline with --engine spark: "
          + (options.applicationJar().isPresent() ? "no Spark application jar at " + jar
          : "the Spark application jar is not built (no " + MODULE + "-*" + SHADED_SUFFIX
          + " in " + jar.getParent() + ")")
          + "; build it with `" + BUILD + "`, or give --spark-app-jar");
    }
    if (!options.upload()) {
      return jar.toUri().toString();
    }
    ObjectRef ref = ObjectRef.of(lakeBucket, UPLOAD_PREFIX + jar.getFileName());
    env.storage().put(ref, jar);
    return env.storage().uri(ref).toString();
  }

  /** A jar given as {@code s3a://bucket/key} must be in the environment's storage. */
  private void checkInStorage(String location) {
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Invalid --spark-app-jar '" + location + "': "
          + e.getMessage(), e);
    }
    String key = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (uri.getHost() == null || key.isEmpty()) {
      throw new IllegalArgumentException("Invalid --spark-app-jar '" + location + "': use "
          + "s3a://bucket/key");
    }
    if (env.storage().bucketExists(uri.getHost())
        && env.storage().stat(ObjectRef.of(uri.getHost(), key)).isEmpty()) {
      throw new ConfigurationException("Cannot run the pipeline with --engine spark: no Spark"
          + " application jar at " + location + "; build it with `" + BUILD + "` and upload it"
          + " there, or give --spark-upload to upload the built jar");
    }
  }

  /** The jar as a local file: a path, a {@code file:} URI, or the built jar; else empty. */
  private Optional<Path> localJar() {
    if (options.applicationJar().isEmpty()) {
      return Optional.of(builtJar(builtJarFolder.get()));
    }
    String location = options.applicationJar().get();
    if (location.startsWith("file:")) {
      return Optional.of(Path.of(URI.create(location)));
    }
    if (location.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      return Optional.empty(); // s3a://, s3://, local://, https://: the cluster reads it
    }
    return Optional.of(Path.of(location).toAbsolutePath().normalize());
  }

  /**
   * The newest shaded application jar in {@code folder} ({@value #MODULE}{@code -*}{@value
   * #SHADED_SUFFIX}, what {@link #BUILD} makes), or the folder's expected jar when there is none.
   */
  static Path builtJar(Path folder) {
    if (Files.isDirectory(folder)) {
      try (Stream<Path> files = Files.list(folder)) {
        Optional<Path> newest = files.filter(p -> {
          String name = p.getFileName().toString();
          return name.startsWith(MODULE + "-") && name.endsWith(SHADED_SUFFIX);
        }).max(Comparator.comparing(SparkEngine::modified));
        if (newest.isPresent()) {
          return newest.get();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot list " + folder, e);
      }
    }
    return folder.resolve(MODULE + "-VERSION" + SHADED_SUFFIX);
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Where the build puts the application jar: {@code edx-pipeline-gha-spark/target/} of the
   * checkout this code runs from (found from its own jar or classes folder), else of the current
   * folder.
   */
  static Path builtJarFolder() {
    Path relative = Path.of(MODULE, "target");
    try {
      Path self = Path.of(SparkEngine.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      for (Path dir = self.getParent(); dir != null; dir = dir.getParent()) {
        if (Files.isDirectory(dir.resolve(MODULE))) {
          return dir.resolve(relative);
        }
      }
    } catch (URISyntaxException | RuntimeException e) {
      // no code source (a custom class loader): fall back to the current folder
    }
    return relative.toAbsolutePath();
  }

  @Override
  public String toString() {
    return "SparkEngine[" + options.applicationJar().orElse("built jar") + ", "
        + options.executors() + " executor(s) of " + options.resources().cores() + " core(s) "
        + options.resources().memory().toLowerCase(Locale.ROOT) + "]";
  }
}
