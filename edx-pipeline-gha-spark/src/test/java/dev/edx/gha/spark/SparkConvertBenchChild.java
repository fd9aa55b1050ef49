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
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * One conversion of {@link SparkConvertBenchmark}, in its own JVM, on the environment of the
 * spec {@code SPEC} (local storage): {@code java SPEC HOUR LAKE} runs the pipeline's convert
 * step (the Java converter as a task on local compute), {@code spark SPEC HOUR LAKE} runs
 * {@link GhaSparkApp} convert on a local[2] session. Both convert even an unchanged hour. Prints
 * the conversion's own time (the session's start excluded) and the hour's counts.
 */
final class SparkConvertBenchChild {
  private SparkConvertBenchChild() {}

  public static void main(String[] args) throws Exception {
    String engine = args[0];
    Path spec = Path.of(args[1]);
    Hour hour = Hour.parse(args[2]);
    String lake = args[3];
    if (engine.equals("java")) {
      try (Environment env = Environments.open(spec)) {
        long start = System.nanoTime();
        StringWriter log = new StringWriter();
        List<HourResult> r = new GhaPipeline(env, new GhaPipeline.Settings("unused", "gha-raw",
            lake, "unused-dm", 1, 0, "", true, Map.of()), new PrintWriter(log), false)
            .convert(List.of(hour));
        long inner = System.nanoTime() - start;
        System.out.printf("engine=java inner=%d %s %d events%n", inner, r.get(0).status(),
            r.get(0).events());
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
          "--hours", hour.toString(), "--force");
      long inner = System.nanoTime() - start;
      if (status != 0) {
        System.exit(status);
      }
      try (Environment env = Environments.open(spec)) {
        HourResult r = Results.read(env.storage(), ObjectRef.of(lake, "_edx/runs/bench/convert-"
            + hour + ".json"), HourResult[].class).orElseThrow()[0];
        System.out.printf("engine=spark inner=%d %s %d events%n", inner, r.status(),
            r.events());
      }
    } finally {
      spark.stop();
    }
  }
}
