package dev.edx.gha.convert;

import dev.edx.gha.Hour;
import dev.edx.gha.tables.DuckDb;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * One conversion of {@link Json2ParquetBenchmark}, in its own JVM: {@code edx IN OUT HOUR} runs
 * edx's json2parquet on a local gzip file, {@code duckdb IN OUT} runs DuckDB's
 * {@code COPY ... read_ndjson ... TO ... (FORMAT parquet, COMPRESSION zstd)}. Prints the run's
 * inner time and the JVM's peak heap used (sampled every 5 ms).
 */
final class Json2ParquetBenchChild {
  /** The lake schema's columns, as DuckDB's read_ndjson declares them. */
  static final String DUCKDB_COLUMNS = "{id: 'VARCHAR', type: 'VARCHAR', public: 'BOOLEAN',"
      + " payload: 'JSON', repo: 'STRUCT(id BIGINT, name VARCHAR, url VARCHAR)',"
      + " actor: 'STRUCT(id BIGINT, login VARCHAR, display_login VARCHAR, gravatar_id VARCHAR,"
      + " avatar_url VARCHAR, url VARCHAR)', org: 'STRUCT(id BIGINT, login VARCHAR,"
      + " gravatar_id VARCHAR, avatar_url VARCHAR, url VARCHAR)', created_at: 'TIMESTAMPTZ'}";

  private Json2ParquetBenchChild() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    java.util.concurrent.atomic.AtomicLong peakHeap = new java.util.concurrent.atomic.AtomicLong();
    Thread sampler = new Thread(() -> {
      var memory = ManagementFactory.getMemoryMXBean();
      while (true) {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    Path in = Path.of(args[1]);
    Path out = Path.of(args[2]);
    Files.deleteIfExists(out);
    String counts;
    if (args[0].equals("edx")) {
      Path quarantine = Path.of(args[2] + ".quarantine.jsonl");
      try (InputStream raw = Files.newInputStream(in)) {
        long[] c = HourConverter.convert(raw, in.toString(), Hour.parse(args[3]), out,
            quarantine, HourConverter.MAX_LINE_BYTES);
        counts = c[0] + " events, " + c[1] + " duplicates, " + c[2] + " quarantined";
      }
    } else {
      try (Connection c = DuckDb.open(); Statement s = c.createStatement()) {
        s.execute("COPY (SELECT * FROM read_ndjson(" + DuckDb.literal(in.toString())
            + ", columns = " + DUCKDB_COLUMNS + ", format = 'newline_delimited',"
            + " compression = 'gzip')) TO " + DuckDb.literal(out.toString())
            + " (FORMAT parquet, COMPRESSION zstd)");
        counts = "";
      }
    }
    sampler.interrupt();
    long heap = Math.max(peakHeap.get(),
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    System.out.printf("inner=%d heapPeak=%d %s%n", System.nanoTime() - start, heap, counts);
  }
}
