package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.SparkJob;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How {@link LocalCompute} runs a {@link SparkJob}: the command line, environment and properties
 * file of the process.
 *
 * <ul>
 *   <li>With {@code SPARK_HOME} set: {@code $SPARK_HOME/bin/spark-submit}.
 *   <li>Otherwise spark-submit's entry point ({@value #ENTRY_POINT}) in a child JVM (this JVM's
 *       {@code java}) on Spark's class path: {@code sparkClassPath} when the spec gives one, else
 *       the class path a {@link SparkRuntimeResolver} on the class path resolves. The JVM gets the
 *       options Spark's own launcher gives it on Java 17 ({@link #JAVA_OPTIONS}), the driver's
 *       memory as its heap, a temporary folder of the job's own (removed with it), and {@code
 *       SPARK_LOCAL_IP=127.0.0.1} unless that is set.
 * </ul>
 *
 * <p>The job's conf never goes on the command line (which {@code ps} shows to every user): it is
 * written to a properties file readable by its owner only, given with {@code --properties-file};
 * the job's log names the conf keys and masks the values of keys that look secret.
 */
final class LocalSpark {
  /** spark-submit's entry point, the class {@code bin/spark-submit} runs. */
  static final String ENTRY_POINT = "org.apache.spark.deploy.SparkSubmit";

  /**
   * The JVM options Spark 4.0's launcher gives the driver on Java 17 and later
   * ({@code org.apache.spark.launcher.JavaModuleOptions}).
   */
  static final List<String> JAVA_OPTIONS = List.of(
      "-XX:+IgnoreUnrecognizedVMOptions",
      "--add-modules=jdk.incubator.vector",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "-Djdk.reflect.useDirectMethodHandle=false",
      "-Dio.netty.tryReflectionSetAccessible=true");

  /** Conf keys whose values are masked in the job's log (Spark's own redaction pattern). */
  private static final Pattern SENSITIVE =
      Pattern.compile("(?i)secret|password|token|access[.]?key|credential");
  private static final Pattern MEMORY =
      Pattern.compile("(?i)\\s*(\\d+)\\s*(?:([kmgt])i?)?(b)?\\s*");
  private static final String PROPERTIES_FILE = "spark-job.properties";

  /** The Spark settings of a {@code local} compute spec. */
  record Settings(String master, String version, Optional<String> classPath, URI repository,
      boolean offline, Path localRepository, Path cacheDirectory) {
    Settings {
      requireNonNull(master, "master is null");
      requireNonNull(version, "version is null");
      requireNonNull(classPath, "classPath is null");
      requireNonNull(repository, "repository is null");
      requireNonNull(localRepository, "localRepository is null");
      requireNonNull(cacheDirectory, "cacheDirectory is null");
    }

    /** Spark from Maven Central through {@code ~/.m2/repository}, cached in {@code home}. */
    static Settings defaults(String master, Path home) {
      return new Settings(master, "4.0.1", Optional.empty(),
          URI.create("https://repo.maven.apache.org/maven2/"), false,
          home.resolve(".m2").resolve("repository"),
          home.resolve(".cache").resolve("edx").resolve("spark"));
    }

    SparkRuntimeRequest request() {
      return new SparkRuntimeRequest(version, repository, offline, localRepository,
          cacheDirectory);
    }
  }

  /** A process to start: its command line and the environment variables it gets in addition. */
  record Launch(List<String> command, Map<String, String> environment) {
    Launch {
      command = List.copyOf(command);
      environment = Map.copyOf(environment);
    }
  }

  /** Why a Spark job cannot start: the message says what to do. */
  static final class CannotRunException extends Exception {
    private static final long serialVersionUID = 1L;

    CannotRunException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Settings settings;
  private final ClassLoader loader;
  private final Function<String, Optional<String>> environmentVariables;
  private final Path java;

  /**
   * @param settings the spec's Spark settings
   * @param loader where a {@link SparkRuntimeResolver} is looked for
   * @param environmentVariables looks up {@code SPARK_HOME}, {@code SPARK_CONF_DIR} and {@code
   *     SPARK_LOCAL_IP}
   * @param java the {@code java} command of the child JVM
   */
  LocalSpark(Settings settings, ClassLoader loader,
      Function<String, Optional<String>> environmentVariables, Path java) {
    this.settings = requireNonNull(settings, "settings is null");
    this.loader = requireNonNull(loader, "loader is null");
    this.environmentVariables =
        requireNonNull(environmentVariables, "environmentVariables is null");
    this.java = requireNonNull(java, "java is null");
  }

  /** The {@code java} of the JVM this runs in. */
  static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  String master() {
    return settings.master();
  }

  /**
   * What to run for {@code spec}: writes its properties file into {@code workDirectory} (a folder
   * only this user can read, removed by the caller after the job) and resolves Spark if needed.
   *
   * @param log the job's log: which Spark runs, resolution progress, the conf keys
   * @throws CannotRunException when there is no Spark to run, saying how to give one
   */
  Launch prepare(SparkJob spec, Path workDirectory, Consumer<String> log)
      throws CannotRunException, IOException {
    Optional<String> sparkHome = variable("SPARK_HOME");
    Path properties = workDirectory.resolve(PROPERTIES_FILE);
    Map<String, String> conf = new TreeMap<>();
    if (sparkHome.isPresent()) {
      conf.putAll(sparkDefaults(Path.of(sparkHome.get())));
    }
    conf.putAll(spec.conf());
    writeProperties(properties, conf);
    if (!conf.isEmpty()) {
      log.accept("spark conf (in " + properties.getFileName() + ", not on the command line): "
          + describe(conf));
    }
    if (sparkHome.isPresent()) {
      log.accept("spark: SPARK_HOME is " + sparkHome.get() + ": running its spark-submit");
      List<String> command = new ArrayList<>();
      command.add(Path.of(sparkHome.get()).resolve("bin").resolve("spark-submit").toString());
      command.addAll(submitArguments(settings.master(), spec, properties));
      return new Launch(command, Map.of("SPARK_HOME", sparkHome.get()));
    }
    List<String> classPath = new ArrayList<>();
    Optional<String> extra = Optional.ofNullable(spec.conf().get("spark.driver.extraClassPath"))
        .filter(s -> !s.isBlank());
    extra.ifPresent(classPath::add);
    classPath.addAll(sparkClassPath(spec, log));
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Xmx" + heap(spec));
    Path tmp = Files.createDirectories(workDirectory.resolve("tmp"));
    command.add("-Djava.io.tmpdir=" + tmp);
    command.addAll(JAVA_OPTIONS);
    Optional.ofNullable(spec.conf().get("spark.driver.extraJavaOptions"))
        .ifPresent(options -> command.addAll(splitOptions(options)));
    command.add(ENTRY_POINT);
    command.addAll(submitArguments(settings.master(), spec, properties));
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("CLASSPATH", String.join(File.pathSeparator, classPath));
    if (variable("SPARK_LOCAL_IP").isEmpty()) {
      environment.put("SPARK_LOCAL_IP", "127.0.0.1");
    }
    return new Launch(command, environment);
  }

  /** The class path entries of Spark: the spec's {@code sparkClassPath}, else resolved. */
  private List<String> sparkClassPath(SparkJob spec, Consumer<String> log)
      throws CannotRunException {
    if (settings.classPath().isPresent()) {
      List<String> entries = List.of(settings.classPath().get().split(File.pathSeparator));
      log.accept("spark: no SPARK_HOME; running " + ENTRY_POINT + " on sparkClassPath ("
          + entries.size() + " entries)");
      return entries;
    }
    SparkRuntimeResolver resolver = resolver(spec);
    log.accept("spark: no SPARK_HOME; Spark " + settings.version() + " from "
        + settings.repository() + (settings.offline() ? " (offline)" : "") + " through "
        + settings.localRepository() + " (" + resolver.getClass().getName() + ")");
    List<Path> jars;
    try {
      jars = resolver.resolve(settings.request(), line -> log.accept("spark: " + line));
    } catch (RuntimeException e) {
      throw new CannotRunException(cannot(spec) + "cannot resolve Spark " + settings.version()
          + " from " + settings.repository() + ": " + e.getMessage() + "; set sparkClassPath"
          + " or SPARK_HOME, or check sparkRepository" + (settings.offline()
              ? " (sparkOffline is true: only " + settings.localRepository() + " is read)"
              : ""), e);
    }
    if (jars.isEmpty()) {
      throw new CannotRunException(cannot(spec) + resolver.getClass().getName()
          + " resolved no jars for Spark " + settings.version(), null);
    }
    log.accept("spark: class path of " + jars.size() + " jars; running " + ENTRY_POINT
        + " in a child JVM");
    return jars.stream().map(Path::toString).toList();
  }

  private SparkRuntimeResolver resolver(SparkJob spec) throws CannotRunException {
    List<SparkRuntimeResolver> found;
    try {
      found = ServiceLoader.load(SparkRuntimeResolver.class, loader).stream()
          .map(ServiceLoader.Provider::get).toList();
    } catch (java.util.ServiceConfigurationError e) {
      throw new CannotRunException(cannot(spec) + "cannot load a "
          + SparkRuntimeResolver.class.getSimpleName() + ": " + e.getMessage(), e);
    }
    if (found.isEmpty()) {
      throw new CannotRunException(cannot(spec) + "SPARK_HOME is not set and no Spark runtime"
          + " is on the class path; add dev.edx:edx-spark-runtime to the class path (./edx has"
          + " it) to resolve Spark from Maven Central, set sparkClassPath in spec.compute to"
          + " Spark's jars, set SPARK_HOME to a Spark distribution, or use the k8s or emr-eks"
          + " compute provider", null);
    }
    if (found.size() > 1) {
      throw new CannotRunException(cannot(spec) + "several Spark runtimes are on the class"
          + " path: " + found.stream().map(r -> r.getClass().getName()).sorted()
              .collect(Collectors.joining(", ")) + "; keep one", null);
    }
    return found.get(0);
  }

  private static String cannot(SparkJob spec) {
    return "Cannot run SparkJob '" + spec.name() + "' on local compute: ";
  }

  private Optional<String> variable(String name) {
    return environmentVariables.apply(name).filter(s -> !s.isBlank());
  }

  /** The spark-submit arguments after the program: master, name, class, conf file, resources. */
  static List<String> submitArguments(String master, SparkJob spec, Path properties) {
    List<String> arguments = new ArrayList<>(List.of("--master", master, "--name", spec.name()));
    if (!spec.mainClass().isEmpty()) {
      arguments.addAll(List.of("--class", spec.mainClass()));
    }
    arguments.addAll(List.of("--properties-file", properties.toString(),
        "--driver-cores", Integer.toString(spec.driver().cores()),
        "--driver-memory", spec.driver().memory(),
        "--executor-cores", Integer.toString(spec.executor().cores()),
        "--executor-memory", spec.executor().memory(),
        "--num-executors", Integer.toString(spec.executorInstances())));
    arguments.add(spec.applicationResource());
    arguments.addAll(spec.args());
    return arguments;
  }

  /**
   * The distribution's {@code spark-defaults.conf} ({@code SPARK_CONF_DIR}, else {@code
   * SPARK_HOME/conf}): {@code --properties-file} replaces it, so its entries come first in the
   * job's file and the job's conf overrides them, as {@code --conf} would.
   */
  private Map<String, String> sparkDefaults(Path sparkHome) throws IOException {
    Path confDir = variable("SPARK_CONF_DIR").map(Path::of).orElse(sparkHome.resolve("conf"));
    Path defaults = confDir.resolve("spark-defaults.conf");
    Map<String, String> result = new TreeMap<>();
    if (Files.isRegularFile(defaults)) {
      Properties properties = new Properties();
      try (InputStream in = Files.newInputStream(defaults)) {
        properties.load(in);
      }
      properties.stringPropertyNames().forEach(k -> result.put(k,
          properties.getProperty(k).trim()));
    }
    return result;
  }

  private static void writeProperties(Path file, Map<String, String> conf) throws IOException {
    Properties properties = new Properties();
    properties.putAll(conf);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      properties.store(out, "the conf of one SparkJob, written by edx local compute");
    }
  }

  /** The conf for a log: keys in order, the values of secret-looking keys masked. */
  static String describe(Map<String, String> conf) {
    return new TreeMap<>(conf).entrySet().stream()
        .map(e -> e.getKey() + "=" + (SENSITIVE.matcher(e.getKey()).find() ? "****" : e.getValue()))
        .collect(Collectors.joining(", "));
  }

  /**
   * The driver's memory ({@code 1g}, {@code 512m}, {@code 4Gi}, {@code 2048} MiB as Spark reads a
   * bare number, {@code 1024b} bytes) as a {@code -Xmx} value.
   */
  static String heap(SparkJob spec) throws CannotRunException {
    Matcher m = MEMORY.matcher(spec.driver().memory());
    if (!m.matches()) {
      throw new CannotRunException(cannot(spec) + "driver memory '" + spec.driver().memory()
          + "' is not a size such as 512m or 2g", null);
    }
    if (m.group(2) != null) {
      return m.group(1) + m.group(2).toLowerCase(Locale.ROOT);
    }
    return m.group(3) != null ? m.group(1) : m.group(1) + "m";
  }

  /** Splits JVM options as a shell would: on spaces, keeping quoted parts together. */
  static List<String> splitOptions(String options) {
    List<String> result = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inToken = false;
    char quote = 0;
    for (int i = 0; i < options.length(); i++) {
      char c = options.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < options.length()) {
          current.append(options.charAt(++i));
        } else {
          current.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inToken = true;
      } else if (Character.isWhitespace(c)) {
        if (inToken) {
          result.add(current.toString());
          current.setLength(0);
          inToken = false;
        }
      } else if (c == '\\' && i + 1 < options.length()) {
        current.append(options.charAt(++i));
        inToken = true;
      } else {
        current.append(c);
        inToken = true;
      }
    }
    if (inToken) {
      result.add(current.toString());
    }
    return result;
  }
}
