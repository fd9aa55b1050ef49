package dev.edx.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Measures and reports a benchmark: edx against a named peer, runs alternated in the same JVM,
 * medians and the edx/peer ratio printed as a Markdown table to standard output and appended to
 * {@code target/benchmarks/<name>.md}. Scale comes from the {@code edx.bench.scale} system property:
 * {@code smoke} in every build (tiny inputs, so benchmarks cannot rot) and {@code full} from
 * {@code ./benchmarks}. Benchmarks assert correctness, never timings.
 */
public final class BenchmarkReport {
  private final String name;
  private final List<String> rows = new ArrayList<>();

  private BenchmarkReport(String name) {
    this.name = requireNonNull(name, "name is null");
  }

  public static BenchmarkReport named(String name) {
    return new BenchmarkReport(name);
  }

  /** True when running at full scale ({@code ./benchmarks}); false for the smoke run. */
  public static boolean fullScale() {
    return "full".equals(System.getProperty("edx.bench.scale", "smoke"));
  }

  /** {@code full} when {@link #fullScale()}, else {@code smoke}. */
  public static <T> T scaled(T smoke, T full) {
    return fullScale() ? full : smoke;
  }

  /** Measured medians of one comparison, in nanoseconds per run. */
  public record Comparison(String what, String peer, long edxNanos, long peerNanos, double units,
      String unit) {
    public double ratio() {
      return (double) edxNanos / peerNanos;
    }
  }

  /**
   * Runs {@code edx} and {@code peer} alternately, {@code warmups} discarded then {@code runs}
   * measured each, and records the medians.
   *
   * @param units how many {@code unit}s one run processes (bytes, rows...), for throughput
   */
  public Comparison compare(String what, String peerName, int warmups, int runs, double units,
      String unit, Callable<?> edx, Callable<?> peer) throws Exception {
    for (int i = 0; i < warmups; i++) {
      edx.call();
      peer.call();
    }
    long[] e = new long[runs];
    long[] p = new long[runs];
    for (int i = 0; i < runs; i++) {
      e[i] = time(edx);
      p[i] = time(peer);
    }
    Comparison c = new Comparison(what, peerName, median(e), median(p), units, unit);
    rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f |", what, peerName,
        throughput(c.edxNanos(), units, unit), throughput(c.peerNanos(), units, unit), c.ratio()));
    return c;
  }

  /** Records a measurement without a peer (for example partitions per second). */
  public void record(String what, long nanos, double units, String unit) {
    rows.add(String.format(Locale.ROOT, "| %s | - | %s | - | - |", what,
        throughput(nanos, units, unit)));
  }

  /** Prints the table and appends it to {@code target/benchmarks/<name>.md}. */
  public void print() {
    StringBuilder sb = new StringBuilder();
    sb.append("\n### ").append(name).append(" (scale: ")
        .append(fullScale() ? "full" : "smoke").append(")\n\n")
        .append("| measurement | peer | edx | peer | edx/peer time |\n")
        .append("|---|---|---|---|---|\n");
    rows.forEach(r -> sb.append(r).append('\n'));
    System.out.print(sb);
    String dir = System.getProperty("edx.bench.output", "target/benchmarks");
    try {
      Path out = Files.createDirectories(Path.of(dir)).resolve(name + ".md");
      Files.writeString(out, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write benchmark results to " + dir, e);
    }
  }

  private static long time(Callable<?> c) throws Exception {
    long start = System.nanoTime();
    c.call();
    return System.nanoTime() - start;
  }

  private static long median(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return copy[copy.length / 2];
  }

  private static String throughput(long nanos, double units, String unit) {
    double seconds = nanos / 1e9;
    return String.format(Locale.ROOT, "%.1f %s/s (%.3f s)", units / seconds, unit, seconds);
  }
}
