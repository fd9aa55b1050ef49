package dev.edx.gha.convert;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.edx.gha.Hour;
import dev.edx.gha.Results;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipException;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.LocalOutputFile;

/**
 * The threads of one hour's json2parquet, so that inflating, parsing and encoding overlap:
 * <ol>
 *   <li>a reader thread inflates the gzip stream straight into batches of lines (a gzip
 *       stream inflates on one core only);</li>
 *   <li>a pool of {@code threads} workers parses the batches into events;</li>
 *   <li>the calling thread takes the parsed batches in input order, quarantines bad lines and
 *       drops duplicate ids (the first occurrence wins, as in one thread), and cuts the kept
 *       events into chunks of {@link #CHUNK_ROWS} rows;</li>
 *   <li>the pool encodes each chunk into a row group of compressed pages held in memory, and
 *       the calling thread writes the row groups, in order and as they are, to the hour's single
 *       output file.</li>
 * </ol>
 * Output depends only on the input (chunk boundaries are row counts), never on the timing of
 * the threads, so re-runs are byte-identical. Memory is bounded: queues are bounded and at most
 * {@code threads + 1} chunks are held at once.
 */
final class HourPipeline {
  /** Rows per chunk, so per row group of the output. */
  static final int CHUNK_ROWS = 16_384;

  private HourPipeline() {}

  /** A parsed batch: for each line an event or the reason it is bad. */
  private record Parsed(LineBatches.Batch lines, GhaEvent[] events, String[] reasons) {}

  /** Returns {events, duplicates, quarantined}; see {@link HourConverter#convert}. */
  static long[] convert(InputStream gz, String what, Hour hour, Path parquet, Path quarantine,
      int maxLineBytes, int threads) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("edx-json2parquet-"
        + hour));
    BlockingQueue<Future<Parsed>> ordered = new ArrayBlockingQueue<>(2 * threads + 2);
    ThreadLocal<EventParser> parsers = ThreadLocal.withInitial(EventParser::new);
    Thread reader = daemon("edx-json2parquet-read-" + hour).newThread(() ->
        read(gz, what, hour, maxLineBytes, pool, ordered, parsers));
    reader.start();
    long events = 0;
    long duplicates = 0;
    long bad = 0;
    Deque<Future<EventParquetWriter.RowGroup>> encoding = new ArrayDeque<>();
    try (ParquetFileWriter out = EventParquetWriter.newFile(new LocalOutputFile(parquet));
        JsonGenerator qj = Results.JSON.getFactory().createGenerator(
            Files.newBufferedWriter(quarantine, StandardCharsets.UTF_8))) {
      qj.setPrettyPrinter(new com.fasterxml.jackson.core.util.MinimalPrettyPrinter("\n"));
      out.start();
      LongHashSet ids = new LongHashSet();
      List<GhaEvent> chunk = new ArrayList<>(CHUNK_ROWS);
      while (true) {
        Parsed parsed = get(take(ordered));
        if (parsed == null) {
          break;
        }
        LineBatches.Batch lines = parsed.lines();
        for (int i = 0; i < lines.count(); i++) {
          GhaEvent event = parsed.events()[i];
          if (event == null) {
            bad++;
            qj.writeStartObject();
            qj.writeNumberField("line", lines.lineNumbers()[i]);
            qj.writeStringField("reason", parsed.reasons()[i]);
            qj.writeNumberField("bytes", lines.fullLengths()[i]);
            int n = Math.min(lines.lengths()[i], HourConverter.QUARANTINE_EXCERPT_BYTES);
            qj.writeStringField("excerpt", new String(lines.data(), lines.starts()[i], n,
                StandardCharsets.UTF_8));
            qj.writeEndObject();
          } else if (ids.add(event.idKey())) {
            events++;
            chunk.add(event);
            if (chunk.size() == CHUNK_ROWS) {
              encoding.add(encode(pool, chunk));
              chunk = new ArrayList<>(CHUNK_ROWS);
              while (encoding.size() > threads) {
                get(encoding.poll()).appendTo(out);
              }
            }
          } else {
            duplicates++;
          }
        }
      }
      if (!chunk.isEmpty()) {
        encoding.add(encode(pool, chunk));
      }
      while (!encoding.isEmpty()) {
        get(encoding.poll()).appendTo(out);
      }
      out.end(Map.of());
    } finally {
      reader.interrupt();
      pool.shutdownNow();
      try {
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (Future<EventParquetWriter.RowGroup> f : encoding) {
        if (f.isDone() && !f.isCancelled()) {
          try {
            f.get().release();
          } catch (ExecutionException | InterruptedException | RuntimeException e) {
            // Failed or interrupted: it holds nothing.
          }
        }
      }
    }
    return new long[] {events, duplicates, bad};
  }

  private static Future<EventParquetWriter.RowGroup> encode(ExecutorService pool,
      List<GhaEvent> rows) {
    return pool.submit(() -> EventParquetWriter.encode(rows));
  }

  /** The reader thread: inflates and splits, hands each batch to the pool, in order. */
  private static void read(InputStream gz, String what, Hour hour, int maxLineBytes,
      ExecutorService pool, BlockingQueue<Future<Parsed>> ordered,
      ThreadLocal<EventParser> parsers) {
    try {
      LineBatches batches = new LineBatches(gz, maxLineBytes);
      LineBatches.Batch batch;
      while ((batch = nextBatch(batches, hour, what)) != null) {
        LineBatches.Batch b = batch;
        ordered.put(pool.submit(() -> parse(b, parsers.get(), hour, maxLineBytes)));
      }
      ordered.put(CompletableFuture.completedFuture(null));
    } catch (InterruptedException | InterruptedIOException e) {
      // The converting thread gave up (it failed or was cancelled): stop quietly.
    } catch (IOException | RuntimeException e) {
      try {
        ordered.put(CompletableFuture.failedFuture(e));
      } catch (InterruptedException stopped) {
        // The converting thread is gone already.
      }
    }
  }

  private static Parsed parse(LineBatches.Batch lines, EventParser parser, Hour hour,
      int maxLineBytes) {
    GhaEvent[] events = new GhaEvent[lines.count()];
    String[] reasons = new String[lines.count()];
    for (int i = 0; i < lines.count(); i++) {
      if (lines.fullLengths()[i] > maxLineBytes) {
        reasons[i] = "line longer than " + maxLineBytes + " bytes (" + lines.fullLengths()[i]
            + ")";
        continue;
      }
      try {
        events[i] = parser.parse(lines.data(), lines.starts()[i], lines.lengths()[i], hour);
      } catch (BadLineException e) {
        reasons[i] = e.getMessage();
      }
    }
    return new Parsed(lines, events, reasons);
  }

  private static Future<Parsed> take(BlockingQueue<Future<Parsed>> queue) throws IOException {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while converting");
    }
  }

  private static <T> T get(Future<T> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while converting");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new UncheckedIOException(new IOException(cause));
    }
  }

  private static LineBatches.Batch nextBatch(LineBatches batches, Hour hour, String what)
      throws IOException {
    try {
      return batches.next();
    } catch (EOFException e) {
      throw new HourConverter.HourFailedException("Cannot convert hour " + hour + ": " + what
          + " is a truncated gzip file (" + e.getMessage() + "); nothing was written");
    } catch (ZipException e) {
      throw new HourConverter.HourFailedException("Cannot convert hour " + hour + ": " + what
          + " is a corrupt gzip file (" + e.getMessage() + "); nothing was written");
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
