package dev.edx.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.Resources;
import dev.edx.api.SparkJob;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ServiceSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How local compute runs a {@link SparkJob}: through {@code SPARK_HOME}'s spark-submit, or
 * spark-submit's entry point in a child JVM on a given or resolved class path.
 *
 * <p>No Spark here (the default build downloads none; {@code edx-spark-it} runs the real one):
 * the child JVM runs a stand-in {@code org.apache.spark.deploy.SparkSubmit}, compiled by the test,
 * that prints what it was given (arguments, environment, heap, its properties file), so the test
 * sees exactly what Spark would get.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalSparkTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(1);
  private static final String SECRET = "s3cr3t-value-1234";
  /** The class path the stand-in resolver hands out, and the request it saw. */
  static final AtomicReference<Path> RESOLVED = new AtomicReference<>();
  static final AtomicReference<SparkRuntimeRequest> REQUESTED = new AtomicReference<>();

  @TempDir
  static Path standIn;

  @TempDir
  Path folder;

  private LocalCompute compute;

  /** Compiles the stand-in entry point into {@link #standIn}. */
  @BeforeAll
  static void compileStandIn() throws IOException {
    Path source = standIn.resolve("src/org/apache/spark/deploy/SparkSubmit.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, String.join("\n",
        "package org.apache.spark.deploy;",
        "public class SparkSubmit {",
        "  public static void main(String[] args) throws Exception {",
        "    System.out.println(\"args: \" + String.join(\" \", args));",
        "    System.out.println(\"SPARK_LOCAL_IP=\" + System.getenv(\"SPARK_LOCAL_IP\"));",
        "    System.out.println(\"heap MiB: \" + (Runtime.getRuntime().maxMemory() >> 20));",
        "    System.out.println(\"tmpdir: \" + System.getProperty(\"java.io.tmpdir\"));",
        "    System.out.println(\"pid: \" + ProcessHandle.current().pid());",
        "    for (int i = 0; i + 1 < args.length; i++) {",
        "      if (args[i].equals(\"--properties-file\")) {",
        "        java.util.Properties p = new java.util.Properties();",
        "        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(",
        "            java.nio.file.Path.of(args[i + 1]))) { p.load(in); }",
        "        for (String k : new java.util.TreeSet<>(p.stringPropertyNames())) {",
        "          String v = p.getProperty(k);",
        "          System.out.println(\"conf \" + k + (k.contains(\"secret\")",
        "              ? \" has \" + v.length() + \" characters\" : \"=\" + v));",
        "        }",
        "      }",
        "    }",
        "    if (args[args.length - 1].equals(\"sleep\")) {",
        "      System.out.println(\"sleeping\");",
        "      Thread.sleep(600_000);",
        "    }",
        "  }",
        "}", ""));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    int code = compiler.run(null, null, null, "-d", standIn.resolve("classes").toString(),
        source.toString());
    assertThat(code).as("the stand-in compiles").isZero();
  }

  @AfterEach
  void close() {
    if (compute != null) {
      compute.close();
    }
    RESOLVED.set(null);
    REQUESTED.set(null);
  }

  private LocalCompute compute(LocalSpark.Settings settings, ClassLoader loader,
      Map<String, String> env) {
    LocalSpark spark = new LocalSpark(settings, loader, name -> Optional.ofNullable(env.get(name)),
        LocalSpark.currentJava());
    compute = new LocalCompute(1, 1 << 20, spark, loader,
        name -> Optional.ofNullable(env.get(name)), () -> {
          throw new IllegalStateException("no environment in this test");
        }, InstantSource.system());
    return compute;
  }

  private LocalSpark.Settings settings(Optional<String> classPath) {
    return new LocalSpark.Settings("local[2]", "4.0.1", classPath,
        URI.create("file:/nowhere/repository/"), true, folder.resolve("m2"),
        folder.resolve("cache"));
  }

  private static SparkJob job(String... args) {
    return new SparkJob("pi", "org.example.Pi", "file:/apps/pi.jar", List.of(args),
        Map.of("spark.b", "2", "spark.a", "1", "spark.hadoop.fs.s3a.secret.key", SECRET),
        Resources.of(1, "256m"), Resources.of(3, "4g"), 5);
  }

  @Test
  void sparkHomeWinsAndTheConfGoesThroughAPropertiesFileWithTheDistributionsDefaults()
      throws IOException {
    Path sparkHome = folder.resolve("spark");
    Path submit = sparkHome.resolve("bin").resolve("spark-submit");
    Files.createDirectories(submit.getParent());
    Files.createDirectories(sparkHome.resolve("conf"));
    Files.writeString(sparkHome.resolve("conf/spark-defaults.conf"),
        "spark.a  0\nspark.from.defaults  yes\n");
    Files.writeString(submit, "#!/bin/sh\necho \"spark-submit-args: $*\"\n"
        + "echo \"spark-home: $SPARK_HOME\"\n"
        + "while [ \"$1\" != --properties-file ]; do shift; done\n"
        + "grep -v '^#' \"$2\" | grep -v secret | sort\n"
        + "grep -c \"^spark.hadoop.fs.s3a.secret.key=" + SECRET + "$\" \"$2\"\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwx------"));
    LocalCompute compute = compute(settings(Optional.of("/never/used.jar")),
        getClass().getClassLoader(), Map.of("SPARK_HOME", sparkHome.toString()));

    JobHandle handle = compute.submit(job("a", "b c"));
    JobStatus status = handle.await(TIMEOUT);

    String log = log(handle);
    assertThat(status.state()).as(log).isEqualTo(JobState.SUCCEEDED);
    Matcher file = Pattern.compile("--properties-file (\\S+)").matcher(log);
    assertThat(file.find()).as(log).isTrue();
    assertThat(log)
        .contains("spark-submit-args: --master local[2] --name pi --class org.example.Pi"
            + " --properties-file " + file.group(1) + " --driver-cores 1 --driver-memory 256m"
            + " --executor-cores 3 --executor-memory 4g --num-executors 5 file:/apps/pi.jar"
            + " a b c\n")
        .contains("spark-home: " + sparkHome)
        // The job's conf over the distribution's defaults; the secret in the file, once.
        .contains("spark.a=1\nspark.b=2\nspark.from.defaults=yes\n1\n")
        .contains("spark.hadoop.fs.s3a.secret.key=****")
        .doesNotContain(SECRET);
    assertThat(Path.of(file.group(1))).as("the properties file goes with the job").doesNotExist();
  }

  @Test
  void sparkClassPathRunsTheEntryPointInAChildJvmWithSparksJavaOptions() throws IOException {
    String classPath = folder.resolve("no-such.jar") + File.pathSeparator
        + standIn.resolve("classes");
    LocalCompute compute = compute(settings(Optional.of(classPath)), getClass().getClassLoader(),
        Map.of());

    JobHandle handle = compute.submit(job("x"));
    JobStatus status = handle.await(TIMEOUT);

    String log = log(handle);
    assertThat(status.state()).as(log).isEqualTo(JobState.SUCCEEDED);
    String commandLine = log.lines().filter(l -> l.startsWith("$ ")).findFirst().orElseThrow();
    assertThat(commandLine)
        .startsWith("$ " + LocalSpark.currentJava() + " -Xmx256m -Djava.io.tmpdir=")
        .contains(String.join(" ", LocalSpark.JAVA_OPTIONS) + " " + LocalSpark.ENTRY_POINT
            + " --master local[2] --name pi --class org.example.Pi --properties-file ")
        .endsWith(" file:/apps/pi.jar x")
        .doesNotContain(SECRET);
    assertThat(log)
        .contains("spark: no SPARK_HOME; running " + LocalSpark.ENTRY_POINT
            + " on sparkClassPath (2 entries)")
        .contains("SPARK_LOCAL_IP=127.0.0.1\n")
        .contains("conf spark.a=1\nconf spark.b=2\nconf spark.hadoop.fs.s3a.secret.key has "
            + SECRET.length() + " characters\n")
        .contains("spark.hadoop.fs.s3a.secret.key=****")
        .doesNotContain(SECRET);
    long heap = Long.parseLong(value(log, "heap MiB: "));
    assertThat(heap).as("the driver memory is the child's heap").isBetween(200L, 256L);
    assertThat(Path.of(value(log, "tmpdir: "))).as("the job's own temporary folder, removed")
        .doesNotExist();
  }

  @Test
  void aRuntimeOnTheClassPathResolvesSparkAndItsProgressGoesToTheLog() throws IOException {
    RESOLVED.set(standIn.resolve("classes"));
    LocalCompute compute = compute(settings(Optional.empty()),
        loaderWithServices(StandInResolver.class.getName()), Map.of("SPARK_LOCAL_IP", "::1"));

    JobHandle handle = compute.submit(job());
    JobStatus status = handle.await(TIMEOUT);

    String log = log(handle);
    assertThat(status.state()).as(log).isEqualTo(JobState.SUCCEEDED);
    assertThat(REQUESTED.get()).isEqualTo(new SparkRuntimeRequest("4.0.1",
        URI.create("file:/nowhere/repository/"), true, folder.resolve("m2"),
        folder.resolve("cache")));
    assertThat(log)
        .contains("spark: no SPARK_HOME; Spark 4.0.1 from file:/nowhere/repository/ (offline)"
            + " through " + folder.resolve("m2") + " (" + StandInResolver.class.getName() + ")")
        .contains("spark: resolved by the stand-in\n")
        .contains("spark: class path of 1 jars; running " + LocalSpark.ENTRY_POINT)
        .contains("args: --master local[2]")
        .as("a SPARK_LOCAL_IP of the user's is kept").doesNotContain("SPARK_LOCAL_IP=127.0.0.1");
  }

  @Test
  void withoutSparkHomeClassPathOrRuntimeTheJobFailsNamingTheFixes() {
    LocalCompute compute = compute(settings(Optional.empty()), getClass().getClassLoader(),
        Map.of());

    JobStatus status = compute.submit(job()).await(TIMEOUT);

    assertThat(status).isEqualTo(JobStatus.of(JobState.FAILED, "Cannot run SparkJob 'pi' on"
        + " local compute: SPARK_HOME is not set and no Spark runtime is on the class path; add"
        + " dev.edx:edx-spark-runtime to the class path (./edx has it) to resolve Spark from"
        + " Maven Central, set sparkClassPath in spec.compute to Spark's jars, set SPARK_HOME to"
        + " a Spark distribution, or use the k8s or emr-eks compute provider"));
  }

  @Test
  void aFailedResolutionFailsTheJobNamingTheRepositoryAndTheFixes() throws IOException {
    LocalCompute compute = compute(settings(Optional.empty()),
        loaderWithServices(FailingResolver.class.getName()), Map.of());

    JobStatus status = compute.submit(job()).await(TIMEOUT);

    assertThat(status.state()).isEqualTo(JobState.FAILED);
    assertThat(status.reason().orElseThrow()).contains("Cannot run SparkJob 'pi' on local"
        + " compute: cannot resolve Spark 4.0.1 from file:/nowhere/repository/: no such"
        + " artifact; set sparkClassPath or SPARK_HOME, or check sparkRepository (sparkOffline"
        + " is true: only "
        + folder.resolve("m2") + " is read)");
  }

  @Test
  void twoRuntimesOnTheClassPathAreNamedBoth() throws IOException {
    LocalCompute compute = compute(settings(Optional.empty()), loaderWithServices(
        StandInResolver.class.getName(), FailingResolver.class.getName()), Map.of());

    JobStatus status = compute.submit(job()).await(TIMEOUT);

    assertThat(status.reason().orElseThrow())
        .contains("several Spark runtimes are on the class path: "
            + FailingResolver.class.getName() + ", " + StandInResolver.class.getName());
  }

  @Test
  void cancelStopsTheChildJvm() throws Exception {
    LocalCompute compute = compute(
        settings(Optional.of(standIn.resolve("classes").toString())),
        getClass().getClassLoader(), Map.of());
    JobHandle handle = compute.submit(job("sleep"));
    LocalJob job = (LocalJob) handle;
    job.log().awaitText("sleeping");
    long pid = Long.parseLong(value(job.log().text(), "pid: "));

    handle.cancel();

    assertThat(handle.await(TIMEOUT).state()).isEqualTo(JobState.CANCELLED);
    Optional<ProcessHandle> child = ProcessHandle.of(pid);
    if (child.isPresent()) {
      assertThat(child.get().onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    }
  }

  @Test
  void sparkSettingsResolvePathsAndHaveDefaults() {
    Path home = Path.of("/home/someone");
    ServiceSpec spec = ServiceSpec.builder("compute", "local")
        .set("sparkMaster", "local[3]")
        .set("sparkVersion", "4.0.2")
        .set("sparkClassPath", "jars/*" + File.pathSeparator + "~/spark/a.jar"
            + File.pathSeparator + "/opt/b.jar")
        .set("sparkRepository", "https://mirror.example/maven2/")
        .set("sparkOffline", true)
        .set("sparkLocalRepository", "repo")
        .build();

    LocalSpark.Settings settings =
        LocalComputeProvider.Settings.from(spec, folder, home).spark();

    assertThat(settings).isEqualTo(new LocalSpark.Settings("local[3]", "4.0.2",
        Optional.of(folder.resolve("jars/*") + File.pathSeparator + "/home/someone/spark/a.jar"
            + File.pathSeparator + "/opt/b.jar"),
        URI.create("https://mirror.example/maven2/"), true, folder.resolve("repo"),
        home.resolve(".cache/edx/spark")));
  }

  @Test
  void badSparkSettingsNameTheKeyAndTheRule() {
    assertThatThrownBy(() -> read("sparkVersion", "latest"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.compute.sparkVersion")
        .hasMessageContaining("must be a release such as 4.0.1");
    assertThatThrownBy(() -> read("sparkRepository", "ftp://mirror/maven2"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.compute.sparkRepository")
        .hasMessageContaining("must be an https:, http: or file: URL");
    assertThatThrownBy(() -> read("sparkClassPath", " "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.compute.sparkClassPath");
    assertThatThrownBy(() -> read("sparkOffline", "maybe"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.compute.sparkOffline");
  }

  @Test
  void driverMemoryInEachNotationBecomesTheHeap() throws Exception {
    assertThat(LocalSpark.heap(withDriverMemory("2g"))).isEqualTo("2g");
    assertThat(LocalSpark.heap(withDriverMemory("512M"))).isEqualTo("512m");
    assertThat(LocalSpark.heap(withDriverMemory("1gb"))).isEqualTo("1g");
    assertThat(LocalSpark.heap(withDriverMemory("4Gi"))).isEqualTo("4g");
    assertThat(LocalSpark.heap(withDriverMemory("2048"))).as("Spark's unit: MiB")
        .isEqualTo("2048m");
    assertThat(LocalSpark.heap(withDriverMemory("268435456b"))).isEqualTo("268435456");
  }

  @Test
  void extraJavaOptionsSplitAsAShellWould() {
    assertThat(LocalSpark.splitOptions(" -Da=1  -Db='two words' \"-Dc=x\\\"y\" -Dd=e\\ f "))
        .containsExactly("-Da=1", "-Db=two words", "-Dc=x\"y", "-Dd=e f");
    assertThat(LocalSpark.splitOptions("  ")).isEmpty();
  }

  @Test
  void submitArgumentsOfAPythonJobHaveNoClass() {
    SparkJob job = SparkJob.of("py", "", "file:/apps/job.py", List.of("x"));

    assertThat(LocalSpark.submitArguments("local[*]", job, Path.of("/w/p.properties")))
        .containsExactly("--master", "local[*]", "--name", "py", "--properties-file",
            "/w/p.properties", "--driver-cores", "1", "--driver-memory", "1g",
            "--executor-cores", "1", "--executor-memory", "1g", "--num-executors", "1",
            "file:/apps/job.py", "x");
  }

  private LocalComputeProvider.Settings read(String key, Object value) {
    return LocalComputeProvider.Settings.from(
        ServiceSpec.builder("compute", "local").set(key, value).build(), folder, folder);
  }

  private static SparkJob withDriverMemory(String memory) {
    return new SparkJob("m", "C", "file:/a.jar", List.of(), Map.of(), Resources.of(1, memory),
        Resources.of(1, "1g"), 1);
  }

  /** A class loader whose {@code META-INF/services} lists {@code resolvers}. */
  private ClassLoader loaderWithServices(String... resolvers) throws IOException {
    Path services = folder.resolve("services/META-INF/services/"
        + SparkRuntimeResolver.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, String.join("\n", resolvers) + "\n");
    return new URLClassLoader(new URL[] {folder.resolve("services").toUri().toURL()},
        getClass().getClassLoader());
  }

  private static String value(String log, String prefix) {
    return log.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' in " + log))
        .substring(prefix.length()).trim();
  }

  private static String log(JobHandle handle) {
    try (InputStream in = handle.logs()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A runtime that hands out {@link #RESOLVED} and records the request. */
  public static final class StandInResolver implements SparkRuntimeResolver {
    @Override
    public List<Path> resolve(SparkRuntimeRequest request, Consumer<String> progress) {
      REQUESTED.set(request);
      progress.accept("resolved by the stand-in");
      return List.of(RESOLVED.get());
    }
  }

  /** A runtime whose resolution fails. */
  public static final class FailingResolver implements SparkRuntimeResolver {
    @Override
    public List<Path> resolve(SparkRuntimeRequest request, Consumer<String> progress) {
      throw new IllegalStateException("no such artifact");
    }
  }
}
