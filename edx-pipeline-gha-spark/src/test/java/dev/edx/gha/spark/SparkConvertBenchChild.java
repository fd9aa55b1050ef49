package dev.edx.gha.spark;

import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.core.Environments;
import dev.edx.gha.GhaPipeline;
import dev.edx.gha.Hour;
import dev.edx.gha.HourResult;
import dev.edx.gha.Results;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * One conversion of {@link SparkConvertBenchmark} or {@link SparkConvertDayBenchmark}, in its own
 * JVM, on the environment of the spec {@code SPEC} (local storage): {@code java SPEC HOURS LAKE}
 * runs the pipeline's convert step (the Java converter, one task per hour on local compute, as
 * many at once as the spec's {@code threads}), {@code spark SPEC HOURS LAKE} runs {@link
 * GhaSparkApp} convert on a local[2] session with all the hours in one {@code --hours} list (as
 * {@code edx gha convert --engine spark} submits them). {@code HOURS} is one hour or several,
 * comma separated. Both convert even an unchanged hour. Prints the conversion's own time (the
 * session's start excluded), how many hours converted and their events.
 */
final class SparkConvertBenchChild {
  private SparkConvertBenchChild() {}

  public static void main(String[] args) throws Exception {
    String engine = args[0];
    Path spec = Path.of(args[1]);
    List<Hour> hours = Arrays.stream(args[2].split(",")).map(Hour::parse).toList();
    String lake = args[3];
    if (engine.equals("java")) {
      try (Environment env = Environments.open(spec)) {
        long start = System.nanoTime();
        StringWriter log = new StringWriter();
        List<HourResult> r = new GhaPipeline(env, new GhaPipeline.Settings("unused", "gha-raw",
            lake, "unused-dm", 1, 0, "", true, Map.of()), new PrintWriter(log), false)
            .convert(hours);
        long inner = System.nanoTime() - start;
        print("java", inner, r);
      }
      return;
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("bench")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.metrics.conf.*.sink.servlet.class", ServletlessMetricsSink.class.getName())
        .getOrCreate();
    try {
      long start = System.nanoTime();
      int status = GhaSparkApp.run(spark, System.out, System.err, "convert", "--env",
          spec.toString(), "--run", "bench", "--raw-bucket", "gha-raw", "--lake-bucket", lake,
          "--hours", args[2], "--force");
      long inner = System.nanoTime() - start;
      if (status != 0) {
        System.exit(status);
      }
      try (Environment env = Environments.open(spec)) {
        List<HourResult> r = new ArrayList<>();
        for (Hour hour : hours) {
          r.add(Results.read(env.storage(), ObjectRef.of(lake, "_edx/runs/bench/convert-"
              + hour + ".json"), HourResult[].class).orElseThrow()[0]);
        }
        print("spark", inner, r);
      }
    } finally {
      spark.stop();
    }
  }

  /**
   * {@code engine=E inner=NANOS converted N events in H hours} when every hour converted, else
   * each hour's status.
   */
  private static void print(String engine, long inner, List<HourResult> results) {
    long events = results.stream().mapToLong(HourResult::events).sum();
    List<String> other = results.stream().filter(r -> !r.status().equals("converted"))
        .map(r -> r.hour() + " " + r.status() + " " + r.message()).toList();
    System.out.printf("engine=%s inner=%d %s %d events in %d hours%n", engine, inner,
        other.isEmpty() ? "converted" : "NOT converted: " + other, events, results.size());
  }
}
