package dev.edx.gha.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.core.Environments;
import dev.edx.gha.Hour;
import dev.edx.gha.demo.GhArchiveGenerator;
import dev.edx.testkit.BenchmarkReport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
 * The Spark path against the Java path of convert on a day of generated consecutive hours, each
 * side in its own JVM ({@code -Xmx2g}), alternated, on an environment with local storage: the
 * Spark JVM runs {@link GhaSparkApp} convert once with every hour in its {@code --hours} list (as
 * {@code edx gha convert --engine spark --from .. --to ..} submits it) on a local[2] session,
 * which converts as many hours at once as it has cores (its start included in the wall time; the
 * conversion alone is printed as "inner"); the Java JVM runs the pipeline's convert step, one
 * task per hour on local compute with {@code threads: 2} (the pipeline's own parallelism).
 *
 * <p>Scale: {@code edx.spark.bench.day.hours} hours (smoke 2, full 24) of {@code
 * edx.spark.bench.day.events} events each (smoke 1,000; full 100,000, a quarter of a generated
 * 2024 hour: {@code -Dedx.spark.bench.day.events=390000} makes a day of full-size hours, about 3 GB
 * of gzip); {@code edx.spark.bench.day.runs} and {@code edx.spark.bench.day.warmups} (full: 1 and
 * 0). Full scale: {@code ./benchmarks -Pspark -pl edx-pipeline-gha-spark -am
 * -Dtest=SparkConvertDayBenchmark}. Records wall time, CPU time and peak RSS of both and the
 * Spark/Java wall ratio; asserts that both converted every hour and every event, never timings.
 */
class SparkConvertDayBenchmark {
  private static final Hour FIRST = Hour.of(2024, 3, 5, 0);
  private static final Pattern DONE = Pattern.compile(
      "engine=(\\w+) inner=(\\d+) converted (\\d+) events in (\\d+) hours");

  @Test
  void sparkPathAgainstJavaPathOnADay() throws Exception {
    int hourCount = Integer.getInteger("edx.spark.bench.day.hours",
        BenchmarkReport.scaled(2, 24));
    int events = Integer.getInteger("edx.spark.bench.day.events",
        BenchmarkReport.scaled(1_000, 100_000));
    int runs = Integer.getInteger("edx.spark.bench.day.runs", 1);
    int warmups = Integer.getInteger("edx.spark.bench.day.warmups", 0);
    List<Hour> hours = Hour.range(FIRST, new Hour(FIRST.start().plusHours(hourCount - 1)));
    Path dir = Files.createDirectories(Path.of("target", "spark-convert-day-bench"))
        .toAbsolutePath();
    List<Path> inputs = hours.parallelStream().map(h -> generate(dir, h, events)).toList();
    long size = 0;
    for (Path input : inputs) {
      size += Files.size(input);
    }
    Path spec = dir.resolve("environment.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: spark-convert-day-bench}
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
      for (int i = 0; i < hours.size(); i++) {
        ObjectRef raw = ObjectRef.of("gha-raw", hours.get(i).rawKey());
        Path input = inputs.get(i);
        if (env.storage().stat(raw).map(s -> s.size() != sizeOf(input)).orElse(true)) {
          env.storage().put(raw, input);
        }
      }
    }
    String hourList = String.join(",", hours.stream().map(Hour::toString).toList());
    List<String> jvm = SparkConvertBenchmark.childJvm("2g");
    List<String> spark = new ArrayList<>(jvm);
    spark.addAll(List.of("spark", spec.toString(), hourList, "spark-lake"));
    List<String> javaPath = new ArrayList<>(jvm);
    javaPath.addAll(List.of("java", spec.toString(), hourList, "java-lake"));
    List<Long> sparkInner = new ArrayList<>();
    List<Long> javaInner = new ArrayList<>();
    BenchmarkReport report = BenchmarkReport.named("spark-convert-day");
    String what = String.format(Locale.ROOT, "convert, a day: %d consecutive generated hours of"
        + " %,d events each (2024-shaped events; a full-size generated 2024 hour has 390,000),"
        + " %,d events, %.1f MB gzip; Spark path (one application run with all hours, local[2],"
        + " JVM and session start included) vs Java path (the pipeline: one task per hour, 2 at"
        + " once)", hours.size(), events, (long) events * hours.size(), size / 1e6);
    BenchmarkReport.ProcessComparison c = report.compareProcesses(what,
        "Java path (pipeline tasks)", warmups, runs, spark, javaPath, run -> {
          Matcher m = DONE.matcher(run.output());
          assertThat(m.find()).as(run.output()).isTrue();
          assertThat(Long.parseLong(m.group(3))).isEqualTo((long) events * hours.size());
          assertThat(Integer.parseInt(m.group(4))).isEqualTo(hours.size());
          (m.group(1).equals("spark") ? sparkInner : javaInner).add(Long.parseLong(m.group(2)));
        });
    report.record("convert step alone, a day (median of the children's own timing, session"
        + " start excluded)", String.format(Locale.ROOT, "Spark %s, Java %s",
        SparkConvertBenchmark.seconds(sparkInner), SparkConvertBenchmark.seconds(javaInner)));
    report.print();
    assertThat(c.edx().wallNanos()).isPositive();
  }

  /** The gzip file of {@code hour} with {@code events} events, generated once into {@code dir}. */
  private static Path generate(Path dir, Hour hour, int events) {
    Path input = dir.resolve(hour.toString().replace(':', '-') + "-" + events + ".json.gz");
    if (Files.exists(input)) {
      return input;
    }
    Path tmp = dir.resolve(input.getFileName() + ".tmp");
    try {
      try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(
          Files.newOutputStream(tmp), 1 << 16), 1 << 16)) {
        GhArchiveGenerator.writeModern(hour, events, out);
      }
      Files.move(tmp, input);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot generate " + input, e);
    }
    return input;
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
