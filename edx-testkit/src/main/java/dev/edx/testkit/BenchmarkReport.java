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
 * {@code target/benchmarks/<name>.md}. Scale comes from the {@code edx.bench.scale} system
 * property:
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

  /** One child process's figures: wall time, CPU time (all threads) and peak resident memory. */
  public record ProcessRun(long wallNanos, long cpuNanos, long peakRssBytes, String output) {}

  /** Medians of {@link ProcessRun}s of edx and of its peer. */
  public record ProcessComparison(String what, String peer, ProcessRun edx, ProcessRun peerRun) {
    public double ratio() {
      return (double) edx.wallNanos() / peerRun.wallNanos();
    }
  }

  /**
   * Runs the commands {@code edx} and {@code peer} as child processes, alternately,
   * {@code warmups} discarded then {@code runs} measured each, and records the medians of wall
   * time, CPU time and peak RSS. CPU time and peak RSS ({@code VmHWM}) are sampled from
   * {@code /proc/<pid>} every 5 ms while the child runs (Linux), so the last few milliseconds of
   * CPU before exit can be missed. {@code check} sees each run's output (stdout and stderr) and
   * throws when the run was wrong; a non-zero exit always fails.
   */
  public ProcessComparison compareProcesses(String what, String peerName, int warmups, int runs,
      List<String> edx, List<String> peer, java.util.function.Consumer<ProcessRun> check)
      throws Exception {
    for (int i = 0; i < warmups; i++) {
      check.accept(runProcess(edx));
      check.accept(runProcess(peer));
    }
    ProcessRun[] e = new ProcessRun[runs];
    ProcessRun[] p = new ProcessRun[runs];
    for (int i = 0; i < runs; i++) {
      e[i] = runProcess(edx);
      check.accept(e[i]);
      p[i] = runProcess(peer);
      check.accept(p[i]);
    }
    ProcessComparison c = new ProcessComparison(what, peerName, medians(e), medians(p));
    rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f |", what, peerName,
        describe(c.edx(), e), describe(c.peerRun(), p), c.ratio()));
    return c;
  }

  /** Runs {@code command} to its end and measures it (see {@link #compareProcesses}). */
  public static ProcessRun runProcess(List<String> command) throws IOException,
      InterruptedException {
    Path log = Files.createTempFile("edx-bench-", ".log");
    try {
      long start = System.nanoTime();
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      long cpu = 0;
      long rss = 0;
      Path proc = Path.of("/proc", Long.toString(process.pid()));
      while (!process.waitFor(5, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        try {
          String stat = Files.readString(proc.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          // utime and stime are fields 14 and 15 of stat, in clock ticks (USER_HZ = 100).
          cpu = Math.max(cpu, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L);
          for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("VmHWM:")) {
              rss = Math.max(rss, Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
            }
          }
        } catch (IOException | RuntimeException e) {
          // The process ended between waitFor and the read: keep the last sample.
        }
      }
      long wall = System.nanoTime() - start;
      String output = Files.readString(log);
      if (process.exitValue() != 0) {
        throw new IllegalStateException("Benchmark process " + command + " exited with "
            + process.exitValue() + ":\n" + output);
      }
      return new ProcessRun(wall, cpu, rss, output);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static ProcessRun medians(ProcessRun[] runs) {
    long[] wall = new long[runs.length];
    long[] cpu = new long[runs.length];
    long[] rss = new long[runs.length];
    for (int i = 0; i < runs.length; i++) {
      wall[i] = runs[i].wallNanos();
      cpu[i] = runs[i].cpuNanos();
      rss[i] = runs[i].peakRssBytes();
    }
    return new ProcessRun(median(wall), median(cpu), median(rss), "");
  }

  private static String describe(ProcessRun median, ProcessRun[] all) {
    long min = Long.MAX_VALUE;
    long max = 0;
    for (ProcessRun r : all) {
      min = Math.min(min, r.wallNanos());
      max = Math.max(max, r.wallNanos());
    }
    return String.format(Locale.ROOT, "%.2f s wall (%.2f-%.2f), %.2f s CPU, %d MiB peak RSS",
        median.wallNanos() / 1e9, min / 1e9, max / 1e9, median.cpuNanos() / 1e9,
        median.peakRssBytes() >> 20);
  }

  /** Records a measurement without a peer (for example partitions per second). */
  public void record(String what, long nanos, double units, String unit) {
    record(what, throughput(nanos, units, unit));
  }

  /** Records a figure without a peer, as text (for example a peak heap). */
  public void record(String what, String figure) {
    rows.add(String.format(Locale.ROOT, "| %s | - | %s | - | - |", what, figure));
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
