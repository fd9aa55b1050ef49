package dev.edx.gha.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.core.Environments;
import dev.edx.gha.Hour;
import dev.edx.gha.demo.GhArchiveGenerator;
import dev.edx.testkit.BenchmarkReport;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The Spark path against the Java path of convert on one generated 2024-shaped hour, each
 * conversion in its own JVM (-Xmx1g), alternated, on an environment with local storage: the
 * Spark JVM runs {@link GhaSparkApp} convert on a local[2] session (its start included in the
 * wall time; the conversion alone is printed as "inner"), the Java JVM runs the pipeline's
 * convert step. Smoke scale: 5,000 events; full scale ({@code ./benchmarks -Pspark -pl
 * edx-pipeline-gha-spark -am -Dtest=SparkConvertBenchmark}): 390,000 events (over 100 MB of
 * gzip). Records wall time, CPU time and peak RSS of both and the Spark/Java wall ratio; asserts
 * that both wrote every event, never timings.
 */
class SparkConvertBenchmark {
  private static final Hour HOUR = Hour.of(2024, 3, 5, 14);
  private static final Pattern DONE = Pattern.compile(
      "engine=(\\w+) inner=(\\d+) converted (\\d+) events");

  @Test
  void sparkPathAgainstJavaPath() throws Exception {
    int events = BenchmarkReport.scaled(5_000, 390_000);
    int runs = Integer.getInteger("edx.spark.bench.runs", BenchmarkReport.scaled(1, 3));
    int warmups = Integer.getInteger("edx.spark.bench.warmups", BenchmarkReport.scaled(0, 1));
    Path dir = Files.createDirectories(Path.of("target", "spark-convert-bench"))
        .toAbsolutePath();
    Path input = dir.resolve("2024-03-05-14-" + events + ".json.gz");
    if (!Files.exists(input)) {
      Path tmp = dir.resolve(input.getFileName() + ".tmp");
      try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(
          Files.newOutputStream(tmp), 1 << 16), 1 << 16)) {
        GhArchiveGenerator.writeModern(HOUR, events, out);
      }
      Files.move(tmp, input);
    }
    Path spec = dir.resolve("environment.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: spark-convert-bench}
        spec:
          secrets:   {provider: local, directory: env/secrets}
          storage:   {provider: local, root: env/storage}
          metastore: {provider: local, directory: env/metastore}
          compute:   {provider: local, threads: 2}
        """);
    try (Environment env = Environments.open(spec)) {
      if (!env.storage().bucketExists("gha-raw")) {
        env.storage().createBucket("gha-raw");
      }
      env.storage().put(ObjectRef.of("gha-raw", HOUR.rawKey()), input);
    }
    List<String> jvm = childJvm("1g");
    List<String> spark = new ArrayList<>(jvm);
    spark.addAll(List.of("spark", spec.toString(), HOUR.toString(), "spark-lake"));
    List<String> javaPath = new ArrayList<>(jvm);
    javaPath.addAll(List.of("java", spec.toString(), HOUR.toString(), "java-lake"));
    List<Long> sparkInner = new ArrayList<>();
    List<Long> javaInner = new ArrayList<>();
    BenchmarkReport report = BenchmarkReport.named("spark-convert");
    long size = Files.size(input);
    BenchmarkReport.ProcessComparison c = report.compareProcesses(String.format(Locale.ROOT,
        "convert, one hour: Spark path (local[2], JVM and session start included) vs Java path;"
        + " %,d events, %.1f MB gzip", events, size / 1e6), "Java path (pipeline task)",
        warmups, runs, spark, javaPath, run -> {
          Matcher m = DONE.matcher(run.output());
          assertThat(m.find()).as(run.output()).isTrue();
          assertThat(Long.parseLong(m.group(3))).isEqualTo(events);
          (m.group(1).equals("spark") ? sparkInner : javaInner).add(Long.parseLong(m.group(2)));
        });
    report.record("convert step alone (median of the children's own timing, session start"
        + " excluded)", String.format(Locale.ROOT, "Spark %s, Java %s",
        seconds(sparkInner), seconds(javaInner)));
    report.print();
    assertThat(c.edx().wallNanos()).isPositive();
  }

  /**
   * The command line of a {@link SparkConvertBenchChild} JVM with heap {@code heap}: this JVM's
   * class path and temporary folder, and the options Spark's launcher gives a driver on Java 17.
   */
  static List<String> childJvm(String heap) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> jvm = new ArrayList<>(List.of(java, "-Xmx" + heap,
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-XX:+IgnoreUnrecognizedVMOptions", "-Djdk.reflect.useDirectMethodHandle=false",
        "-Dio.netty.tryReflectionSetAccessible=true"));
    for (String pkg : List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
        "java.net", "java.nio", "java.util", "java.util.concurrent",
        "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs", "sun.security.action",
        "sun.util.calendar")) {
      jvm.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
    }
    jvm.addAll(List.of("-cp", System.getProperty("java.class.path"),
        SparkConvertBenchChild.class.getName()));
    return jvm;
  }

  /** The median of {@code nanos} in seconds, "?" when empty. */
  static String seconds(List<Long> nanos) {
    List<Long> sorted = nanos.stream().sorted().toList();
    return sorted.isEmpty() ? "?" : String.format(Locale.ROOT, "%.1f s",
        sorted.get(sorted.size() / 2) / 1e9);
  }
}
