package dev.edx.gha.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.gha.Hour;
import dev.edx.gha.demo.GhArchiveGenerator;
import dev.edx.gha.tables.DuckDb;
import dev.edx.testkit.BenchmarkReport;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * edx's json2parquet against DuckDB's {@code read_ndjson -> COPY TO parquet} on one generated
 * 2024-shaped hour, each conversion in its own JVM, alternated. Smoke scale: 5,000 events (a few
 * MB); full scale ({@code ./benchmarks}): 390,000 events (over 100 MB of gzip, about 500 MB of
 * JSON). The edx JVM runs with {@code -Xmx512m}, so a heap above 512 MiB fails the run. It asserts
 * that both outputs hold the same rows (count and checksums read by DuckDB), never timings; the
 * goal is an edx/DuckDB wall-time ratio of at most 1.0.
 */
class Json2ParquetBenchmark {
  private static final Hour HOUR = Hour.of(2024, 3, 5, 14);
  private static final Pattern HEAP = Pattern.compile("heapPeak=(\\d+)");

  @Test
  void json2parquetAgainstDuckDb() throws Exception {
    int events = BenchmarkReport.scaled(5_000, 390_000);
    int runs = BenchmarkReport.scaled(1, 5);
    int warmups = BenchmarkReport.scaled(0, 1);
    Path dir = Files.createDirectories(Path.of("target", "json2parquet-bench"));
    Path input = dir.resolve("2024-03-05-14-" + events + ".json.gz");
    if (!Files.exists(input)) {
      Path tmp = dir.resolve(input.getFileName() + ".tmp");
      try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(
          Files.newOutputStream(tmp), 1 << 16), 1 << 16)) {
        GhArchiveGenerator.writeModern(HOUR, events, out);
      }
      Files.move(tmp, input);
    }
    Path edxOut = dir.resolve("edx.parquet");
    Path duckOut = dir.resolve("duckdb.parquet");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    String tmpdir = System.getProperty("java.io.tmpdir");
    List<String> edx = List.of(java, "-Xmx512m", "-Djava.io.tmpdir=" + tmpdir, "-cp", cp,
        Json2ParquetBenchChild.class.getName(), "edx", input.toString(), edxOut.toString(),
        HOUR.toString());
    List<String> duck = List.of(java, "-Djava.io.tmpdir=" + tmpdir, "-cp", cp,
        Json2ParquetBenchChild.class.getName(), "duckdb", input.toString(), duckOut.toString());
    List<Long> heaps = new ArrayList<>();
    BenchmarkReport report = BenchmarkReport.named("json2parquet");
    long size = Files.size(input);
    BenchmarkReport.ProcessComparison c = report.compareProcesses(String.format(Locale.ROOT,
        "json2parquet, one hour: %,d events, %.1f MB gzip", events, size / 1e6),
        "DuckDB " + duckdbVersion(), warmups, runs, edx, duck, run -> {
          Matcher m = HEAP.matcher(run.output());
          assertThat(m.find()).as(run.output()).isTrue();
          if (run.output().contains(" events, ")) {
            assertThat(run.output()).contains(events + " events, 0 duplicates, 0 quarantined");
            heaps.add(Long.parseLong(m.group(1)));
          }
        });
    report.record("json2parquet peak heap used (edx, -Xmx512m, sampled every 5 ms)",
        String.format(Locale.ROOT, "%d MiB (max of %d runs)",
            heaps.stream().mapToLong(Long::longValue).max().orElseThrow() >> 20, heaps.size()));
    report.print();
    assertThat(c.edx().wallNanos()).isPositive();
    assertThat(checksum(edxOut)).isEqualTo(checksum(duckOut)).startsWith(events + "|");
  }

  private static String duckdbVersion() throws Exception {
    try (Connection c = DuckDb.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT version()")) {
      r.next();
      return r.getString(1);
    }
  }

  /** Row count and checksums of the columns both engines fill, read by DuckDB. */
  static String checksum(Path parquet) throws Exception {
    try (Connection c = DuckDb.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT id), sum(hash(id)),"
            + " sum(hash(type)), sum(epoch_us(created_at)), sum(hash(actor.login)),"
            + " sum(actor.id), sum(hash(repo.name)), count(org), sum(org.id),"
            + " sum(length(payload::VARCHAR)), count(public) FROM read_parquet("
            + DuckDb.literal(parquet.toString()) + ")")) {
      r.next();
      List<String> values = new ArrayList<>();
      for (int i = 1; i <= 12; i++) {
        values.add(r.getString(i));
      }
      return String.join("|", values);
    }
  }
}
