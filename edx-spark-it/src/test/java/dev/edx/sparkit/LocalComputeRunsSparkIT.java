package dev.edx.sparkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Compute;
import dev.edx.api.Environment;
import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.Resources;
import dev.edx.api.SparkJob;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.core.local.LocalCompute;
import dev.edx.core.local.LocalComputeProvider;
import dev.edx.spark.runtime.SparkPi;
import dev.edx.toolkit.Specs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local compute runs a real {@code SparkJob} with no {@code SPARK_HOME}: Spark 4.0.1 and the S3A
 * connector resolved from the local Maven repository (else Maven Central) by edx-spark-runtime,
 * spark-submit's entry point in a child JVM, {@code local[2]} from the spec. SparkPi runs to its
 * estimate; a long SparkPi is cancelled and its JVM goes away.
 *
 * <p>Runs only under {@code -Pspark}. The Spark this test's own class path holds is not used:
 * the job runs on the class path the runtime resolves, cached in a folder of this test.
 */
class LocalComputeRunsSparkIT {
  @TempDir
  static Path dir;

  private static LocalCompute compute;
  private static Path jar;

  @BeforeAll
  static void compute() throws IOException {
    Map<String, String> variables = new HashMap<>(System.getenv());
    variables.remove("SPARK_HOME");
    ServiceSpec spec = ServiceSpec.builder("compute", "local")
        .set("threads", 1)
        .set("sparkMaster", "local[2]")
        .set("sparkCacheDirectory", dir.resolve("cache").toString())
        .build();
    compute = (LocalCompute) Specs.create(new LocalComputeProvider(), spec,
        new ProviderContext() {
          @Override
          public String environmentName() {
            return "spark-it";
          }

          @Override
          public Path baseDirectory() {
            return dir;
          }

          @Override
          public ClassLoader classLoader() {
            return LocalComputeRunsSparkIT.class.getClassLoader();
          }

          @Override
          public Map<String, String> environmentVariables() {
            return variables;
          }

          @Override
          public Environment environment() {
            throw new IllegalStateException("no environment in this test");
          }
        });
    jar = SparkPi.writeApplicationJar(dir.resolve("edx-spark-pi.jar"));
  }

  @AfterAll
  static void close() {
    if (compute != null) {
      compute.close();
    }
  }

  private static SparkJob sparkPi(String name, int slices) {
    return new SparkJob(name, SparkPi.class.getName(), jar.toUri().toString(),
        List.of(Integer.toString(slices)), Map.of("spark.ui.enabled", "false"),
        Resources.of(1, "512m"), Resources.of(1, "512m"), 1);
  }

  @Test
  void sparkPiRunsOnSparkResolvedFromMavenWithoutSparkHome() throws IOException {
    Compute asApi = compute;
    long started = System.nanoTime();
    JobHandle job = asApi.submit(sparkPi("spark-pi", 2));
    JobStatus status = job.await(Duration.ofMinutes(15));
    double seconds = (System.nanoTime() - started) / 1e9;

    String log = log(job);
    assertThat(status.state()).as(tail(log)).isEqualTo(JobState.SUCCEEDED);
    assertThat(log).contains("spark: no SPARK_HOME; Spark 4.0.1 from"
        + " https://repo.maven.apache.org/maven2/")
        .contains("--master local[2] --name spark-pi --class " + SparkPi.class.getName());
    String estimate = log.lines().filter(l -> l.startsWith(SparkPi.ESTIMATE_PREFIX))
        .findFirst().orElseThrow(() -> new AssertionError("no estimate in " + tail(log)));
    double pi = Double.parseDouble(estimate.substring(SparkPi.ESTIMATE_PREFIX.length()));
    assertThat(pi).isBetween(3.0, 3.3);
    // The resolved class path carries S3A: hadoop-aws and the SDK's S3 modules, not the bundle.
    String classPath;
    try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
      Path cached = files.filter(f -> f.toString().endsWith(".classpath")).findFirst()
          .orElseThrow();
      classPath = Files.readString(cached);
    }
    assertThat(classPath).contains("/hadoop-aws-3.4.1.jar")
        .containsPattern("/s3-2\\.\\d+\\.\\d+\\.jar")
        .contains("/spark-core_2.13-4.0.1.jar").doesNotContain("/bundle-");
    System.out.printf("edx-spark-it: SparkPi on local compute without SPARK_HOME: %s, %.1f s"
        + " (resolution included)%n", estimate, seconds);
  }

  @Test
  void cancelStopsARunningSparkJobAndItsJvm() throws Exception {
    JobHandle job = compute.submit(sparkPi("spark-pi-long", 20_000));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
    while (!log(job).contains("Running Spark version")) {
      assertThat(job.status().isTerminal()).as(tail(log(job))).isFalse();
      assertThat(System.nanoTime()).as("Spark started in 15 minutes").isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(sparkJvms()).as("the job's JVM runs").isNotEmpty();

    long started = System.nanoTime();
    job.cancel();

    assertThat(job.await(Duration.ofMinutes(1)).state()).isEqualTo(JobState.CANCELLED);
    for (ProcessHandle jvm : sparkJvms()) {
      jvm.onExit().get(30, TimeUnit.SECONDS);
    }
    assertThat(sparkJvms()).as("no Spark JVM is left").isEmpty();
    System.out.printf("edx-spark-it: a running SparkJob cancelled, its JVM gone in %.1f s%n",
        (System.nanoTime() - started) / 1e9);
  }

  /** The JVMs this test started that run spark-submit's entry point. */
  private static List<ProcessHandle> sparkJvms() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().arguments().map(a -> List.of(a)
            .contains("org.apache.spark.deploy.SparkSubmit")).orElse(false))
        .toList();
  }

  private static String log(JobHandle job) {
    try (InputStream in = job.logs()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tail(String text) {
    return text.length() <= 20_000 ? text : text.substring(text.length() - 20_000);
  }
}
