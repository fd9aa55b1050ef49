package dev.edx.gha;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.edx.api.Environment;
import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.ObjectRef;
import dev.edx.api.TaskJob;
import dev.edx.api.exceptions.JobTimeoutException;
import dev.edx.gha.convert.Json2ParquetTask;
import dev.edx.gha.export.ExportTask;
import dev.edx.gha.export.TableExporter;
import dev.edx.gha.ingest.IngestTask;
import dev.edx.gha.publish.EventPublisher;
import dev.edx.gha.publish.PublishTask;
import dev.edx.gha.tables.CreateTablesTask;
import dev.edx.gha.tables.TableBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Runs the pipeline's steps as {@link TaskJob}s through {@code env.compute()}, awaits them, reads
 * their results back from storage and prints progress. Each step is usable alone (the
 * {@code edx gha ingest|convert|tables} commands) or in sequence ({@code run}). With a {@link
 * SparkEngine} (the {@code spark} engine), convert and tables are Spark jobs of the pipeline's
 * Spark application instead, which write the same result objects.
 */
public final class GhaPipeline {
  private static final Duration STEP_TIMEOUT = Duration.ofHours(12);
  /** How often a running step's log is read for finished hours. */
  private static final Duration POLL = Duration.ofMillis(250);

  /** Settings of a run. */
  public record Settings(String source, String rawBucket, String lakeBucket, String datamartBucket,
      int parallel, int tolerationHours, String tablesYaml, boolean force,
      Map<String, String> extraIngestParams) {
    public Settings {
      requireNonNull(source, "source is null");
      requireNonNull(rawBucket, "rawBucket is null");
      requireNonNull(lakeBucket, "lakeBucket is null");
      requireNonNull(datamartBucket, "datamartBucket is null");
      tablesYaml = tablesYaml == null ? "" : tablesYaml;
      extraIngestParams = Map.copyOf(requireNonNull(extraIngestParams, "extra is null"));
    }
  }

  private final Environment env;
  private final Settings settings;
  private final Optional<SparkEngine> spark;
  private final PrintWriter out;
  private final boolean bar;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final Map<String, HourResult> ingested = new TreeMap<>();
  private final Map<String, HourResult> converted = new TreeMap<>();
  private final List<TableBuilder.TableResult> tables = new ArrayList<>();

  public GhaPipeline(Environment env, Settings settings, PrintWriter out, boolean bar) {
    this(env, settings, Optional.empty(), out, bar);
  }

  /**
   * A pipeline whose convert and tables steps run as {@code spark}'s Spark application when it is
   * given (the {@code spark} engine), else as TaskJobs (the {@code java} engine).
   */
  public GhaPipeline(Environment env, Settings settings, Optional<SparkEngine> spark,
      PrintWriter out, boolean bar) {
    this.env = requireNonNull(env, "env is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spark = requireNonNull(spark, "spark is null");
    this.out = requireNonNull(out, "out is null");
    this.bar = bar;
  }

  private ObjectRef resultRef(String name) {
    return ObjectRef.of(settings.lakeBucket(), "_edx/runs/" + run + "/" + name + ".json");
  }

  private void ensureBucket(String bucket) {
    if (!env.storage().bucketExists(bucket)) {
      env.storage().createBucket(bucket);
    }
  }

  /** ingest: one job for all hours, downloading {@code parallel} at once. */
  public List<HourResult> ingest(List<Hour> hours) {
    ensureBucket(settings.rawBucket());
    ensureBucket(settings.lakeBucket());
    ObjectRef result = resultRef("ingest");
    Map<String, String> params = new HashMap<>(settings.extraIngestParams());
    params.put("hours", String.join(",", hours.stream().map(Hour::toString).toList()));
    params.put("source", settings.source());
    params.put("rawBucket", settings.rawBucket());
    params.put("parallel", Integer.toString(settings.parallel()));
    params.put("tolerationHours", Integer.toString(settings.tolerationHours()));
    params.put("result", result.toString());
    out.println("ingest: " + hours.size() + " hour(s) from " + settings.source() + " into "
        + settings.rawBucket());
    JobHandle job = env.compute().submit(TaskJob.of(IngestTask.class, params));
    IngestProgress live = new IngestProgress(hours.size(), System.nanoTime());
    JobStatus status = follow(job, live);
    live.endBar();
    List<HourResult> results = new ArrayList<>(Results.readHours(env.storage(), result));
    env.storage().delete(result);
    if (results.isEmpty() && status.state() != JobState.SUCCEEDED) {
      for (Hour h : hours) {
        results.add(HourResult.failed(h, "ingest", "job " + job.id() + " " + status));
      }
    }
    int i = live.done;
    for (HourResult r : results) {
      ingested.put(r.hour(), r);
      if (!live.reported.contains(r.hour())) {
        progress("ingest", ++i, results.size(), r);
      }
    }
    return results;
  }

  /**
   * Awaits {@code job}, following its log meanwhile: each hour it reports finished (an {@link
   * HourLine}) goes to {@code live} at once. Works on any compute, through {@link JobHandle#logs}.
   */
  private JobStatus follow(JobHandle job, IngestProgress live) {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    int seen = 0;
    while (true) {
      JobStatus status = null;
      try {
        status = job.await(POLL);
      } catch (JobTimeoutException e) {
        // Interrupted (the command is being stopped): stop following, or it would spin.
        if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
          throw e;
        }
      }
      seen = readLog(job, seen, live, status != null);
      if (status != null) {
        return status;
      }
      live.drawBar();
    }
  }

  /** Hands the complete lines of the job's log after character {@code seen} to {@code live}. */
  private static int readLog(JobHandle job, int seen, IngestProgress live, boolean all) {
    String log;
    try (InputStream in = job.logs()) {
      log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return seen; // a log not readable yet (a pod not started): try again at the next poll
    }
    if (log.length() <= seen) {
      return seen;
    }
    int end = all ? log.length() : log.lastIndexOf('\n') + 1;
    if (end <= seen) {
      return seen;
    }
    log.substring(seen, end).lines().forEach(line -> HourLine.parse(line).ifPresent(live::hour));
    return end;
  }

  /** What ingest has done so far, printed as each hour ends; on a terminal, a bar with an ETA. */
  private final class IngestProgress {
    final int total;
    final long start;
    final Set<String> reported = new HashSet<>();
    int done;
    long bytes;

    IngestProgress(int total, long start) {
      this.total = total;
      this.start = start;
    }

    void hour(HourLine.Finished finished) {
      HourResult r = finished.result();
      if (!reported.add(r.hour())) {
        return;
      }
      done++;
      bytes += r.bytes();
      double seconds = Math.max(finished.took().toNanos(), 1) / 1e9;
      String line = String.format(Locale.ROOT, "  ingest %s %-13s %10d bytes %7.1f s %11s%s",
          r.hour(), r.status(), r.bytes(), seconds, r.bytes() == 0 ? ""
              : size(r.bytes() / seconds) + "/s", r.message().isEmpty() ? "" : "  " + r.message());
      if (bar) {
        out.print("\r" + " ".repeat(100) + "\r");
      }
      out.println(line);
      drawBar();
    }

    void drawBar() {
      if (!bar) {
        out.flush();
        return;
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      int width = 30;
      int filled = total == 0 ? width : done * width / total;
      String eta = done == 0 ? "?" : duration((long) (elapsed / done * (total - done)));
      out.print("\r[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/"
          + total + " ingest " + size(bytes) + ", " + size(bytes / Math.max(elapsed, 0.001))
          + "/s, ETA " + eta + "   ");
      out.flush();
    }

    void endBar() {
      if (bar && done > 0) {
        out.println();
      }
    }
  }

  static String size(double bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    int unit = 0;
    while (bytes >= 1024 && unit < units.length - 1) {
      bytes /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
  }

  static String duration(long seconds) {
    return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600,
        seconds / 60 % 60, seconds % 60)
        : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }

  /** json2parquet: one job per hour, all submitted at once; compute bounds the concurrency. */
  public List<HourResult> convert(List<Hour> hours) {
    ensureBucket(settings.lakeBucket());
    out.println("convert: " + hours.size() + " hour(s) from " + settings.rawBucket() + " to "
        + settings.lakeBucket() + (spark.isPresent() ? " (Spark)" : ""));
    if (spark.isPresent()) {
      return convertWithSpark(spark.get(), hours);
    }
    Map<Hour, JobHandle> jobs = new LinkedHashMap<>();
    for (Hour hour : hours) {
      jobs.put(hour, env.compute().submit(new TaskJob("json2parquet-" + hour,
          Json2ParquetTask.class.getName(), Map.of("hour", hour.toString(),
              "rawBucket", settings.rawBucket(), "lakeBucket", settings.lakeBucket(),
              "force", Boolean.toString(settings.force()),
              "result", resultRef("convert-" + hour).toString()))));
    }
    List<HourResult> results = new ArrayList<>();
    int i = 0;
    for (Map.Entry<Hour, JobHandle> e : jobs.entrySet()) {
      JobStatus status = e.getValue().await(STEP_TIMEOUT);
      ObjectRef ref = resultRef("convert-" + e.getKey());
      List<HourResult> r = Results.readHours(env.storage(), ref);
      env.storage().delete(ref);
      HourResult result = !r.isEmpty() ? r.get(0) : HourResult.failed(e.getKey(), "convert",
          "job " + e.getValue().id() + " " + status);
      results.add(result);
      converted.put(result.hour(), result);
      progress("convert", ++i, jobs.size(), result);
    }
    return results;
  }

  /**
   * json2parquet as one Spark job for all hours; it writes the same result objects as the tasks,
   * one per hour. An hour without a result failed with the job's status.
   */
  private List<HourResult> convertWithSpark(SparkEngine engine, List<Hour> hours) {
    if (hours.isEmpty()) {
      return List.of();
    }
    JobHandle job = env.compute().submit(engine.convert(run, settings.rawBucket(),
        settings.lakeBucket(), hours, settings.force()));
    out.println("  Spark job " + job.id());
    JobStatus status = job.await(STEP_TIMEOUT);
    List<HourResult> results = new ArrayList<>();
    int i = 0;
    for (Hour hour : hours) {
      ObjectRef ref = resultRef("convert-" + hour);
      List<HourResult> r = Results.readHours(env.storage(), ref);
      env.storage().delete(ref);
      HourResult result = !r.isEmpty() ? r.get(0) : HourResult.failed(hour, "convert",
          "Spark job " + job.id() + " ended " + status + " without a result for this hour"
              + " (its log: the job's driver log)");
      results.add(result);
      converted.put(result.hour(), result);
      progress("convert", ++i, hours.size(), result);
    }
    return results;
  }

  /** createtable: one job for all tables. */
  public List<TableBuilder.TableResult> tables() {
    ensureBucket(settings.lakeBucket());
    ensureBucket(settings.datamartBucket());
    ObjectRef result = resultRef("tables");
    out.println("tables: from " + settings.lakeBucket() + " to " + settings.datamartBucket()
        + (spark.isPresent() ? " (Spark)" : ""));
    JobHandle job;
    if (spark.isPresent()) {
      Optional<URI> tables = Optional.empty();
      if (!settings.tablesYaml().isEmpty()) {
        ObjectRef yaml = ObjectRef.of(settings.lakeBucket(), "_edx/runs/" + run
            + "/tables.yaml");
        env.storage().put(yaml, settings.tablesYaml().getBytes(StandardCharsets.UTF_8));
        tables = Optional.of(env.storage().uri(yaml));
      }
      job = env.compute().submit(spark.get().tables(run, settings.lakeBucket(),
          settings.datamartBucket(), tables));
      out.println("  Spark job " + job.id());
    } else {
      job = env.compute().submit(TaskJob.of(CreateTablesTask.class, Map.of(
          "lakeBucket", settings.lakeBucket(), "datamartBucket", settings.datamartBucket(),
          "tables", settings.tablesYaml(), "result", result.toString())));
    }
    JobStatus status = job.await(STEP_TIMEOUT);
    if (status.state() != JobState.SUCCEEDED) {
      throw new IllegalStateException("Cannot build the tables: job " + job.id() + " ended "
          + status);
    }
    if (env.storage().stat(result).isEmpty()) {
      throw new IllegalStateException("Cannot build the tables: job " + job.id() + " ended "
          + status + " but wrote no result " + result + "; see the job's log");
    }
    List<TableBuilder.TableResult> results;
    try {
      results = Results.JSON.readValue(env.storage().readAllBytes(result),
          new TypeReference<List<TableBuilder.TableResult>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + result, e);
    }
    env.storage().delete(result);
    for (TableBuilder.TableResult t : results) {
      out.printf("  %-20s %8d rows %5d partition(s) %5d rebuilt%n", t.name(), t.rows(),
          t.partitions(), t.rebuilt());
    }
    tables.addAll(results);
    return results;
  }

  /**
   * export: one job loading table {@code table} ({@code database.table}) into the relational data
   * store {@code store} ({@code schema}/{@code name} of the target, null for the table's own;
   * {@code method} {@code auto} or {@code insert}).
   */
  public TableExporter.ExportResult export(String table, String store, String schema,
      String name, String method) {
    ensureBucket(settings.lakeBucket());
    ObjectRef result = resultRef("export");
    Map<String, String> params = new HashMap<>(Map.of("table", table, "store", store,
        "method", method, "result", result.toString()));
    if (schema != null) {
      params.put("schema", schema);
    }
    if (name != null) {
      params.put("name", name);
    }
    out.println("export: table " + table + " to data store '" + store + "'");
    JobHandle job = env.compute().submit(TaskJob.of(ExportTask.class, params));
    JobStatus status = job.await(STEP_TIMEOUT);
    printLog(job);
    if (status.state() != JobState.SUCCEEDED) {
      throw new IllegalStateException("Cannot export table " + table + ": job " + job.id()
          + " ended " + status);
    }
    TableExporter.ExportResult exported = Results.read(env.storage(), result,
        TableExporter.ExportResult.class).orElseThrow(() -> new IllegalStateException(
            "Cannot export table " + table + ": job " + job.id() + " wrote no result"));
    env.storage().delete(result);
    return exported;
  }

  /**
   * publish: one job sending the lake's events of {@code hours} to {@code topic} of the stream
   * data store {@code store}, once per hour for readers of committed data.
   */
  public List<EventPublisher.HourPublished> publish(String store, String topic,
      String markerTopic, List<Hour> hours) {
    ensureBucket(settings.lakeBucket());
    ObjectRef result = resultRef("publish");
    out.println("publish: " + hours.size() + " hour(s) from " + settings.lakeBucket()
        + " to topic " + topic + " of data store '" + store + "'");
    JobHandle job = env.compute().submit(TaskJob.of(PublishTask.class, Map.of("store", store,
        "topic", topic, "markerTopic", markerTopic, "lakeBucket", settings.lakeBucket(),
        "hours", String.join(",", hours.stream().map(Hour::toString).toList()),
        "force", Boolean.toString(settings.force()), "result", result.toString())));
    JobStatus status = job.await(STEP_TIMEOUT);
    printLog(job);
    if (status.state() != JobState.SUCCEEDED) {
      throw new IllegalStateException("Cannot publish to topic " + topic + ": job " + job.id()
          + " ended " + status);
    }
    List<EventPublisher.HourPublished> published;
    try {
      published = Results.JSON.readValue(env.storage().readAllBytes(result),
          new TypeReference<List<EventPublisher.HourPublished>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + result, e);
    }
    env.storage().delete(result);
    return published;
  }

  /** Prints a finished job's log lines (its progress), indented as the steps' lines are. */
  private void printLog(JobHandle job) {
    try (InputStream in = job.logs()) {
      new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(line -> line.startsWith("  ") || line.startsWith("export "))
          .forEach(out::println);
    } catch (IOException | RuntimeException e) {
      out.println("  (the job's log could not be read: " + e.getMessage() + ")");
    }
  }

  /** ingest, then convert the hours that are in the raw bucket, then the tables. */
  public void run(List<Hour> hours) {
    ingest(hours);
    List<Hour> present = hours.stream().filter(h -> {
      HourResult r = ingested.get(h.toString());
      return r != null && (r.status().equals("ingested") || r.status().equals("present"));
    }).toList();
    convert(present);
    tables();
  }

  private void progress(String step, int done, int total, HourResult r) {
    String line = String.format("  %s %s %-13s %10d bytes %8d events %4d dup %4d quarantined%s",
        step, r.hour(), r.status(), r.bytes(), r.events(), r.duplicates(), r.quarantined(),
        r.message().isEmpty() ? "" : "  " + r.message());
    if (bar) {
      int width = 30;
      int filled = total == 0 ? width : done * width / total;
      out.print("\r" + " ".repeat(100) + "\r");
      out.println(line);
      out.print("[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total
          + " " + step + (done == total ? "\n" : ""));
      out.flush();
    } else {
      out.println(line);
    }
  }

  /** The hours of this run, with the latest step's result for each. */
  List<HourResult> hours() {
    Map<String, HourResult> merged = new TreeMap<>(ingested);
    merged.putAll(converted);
    for (Map.Entry<String, HourResult> e : ingested.entrySet()) {
      if (e.getValue().failed()) {
        merged.put(e.getKey(), e.getValue());
      }
    }
    return List.copyOf(merged.values());
  }

  List<HourResult> failedHours() {
    return hours().stream().filter(HourResult::failed).toList();
  }

  /** Prints the failed hours last; returns the exit code (1 when any hour failed). */
  public int finish(Path report) {
    if (report != null) {
      writeReport(report);
      out.println("report: " + report);
    }
    List<HourResult> failed = failedHours();
    if (failed.isEmpty()) {
      return 0;
    }
    out.println(failed.size() + " hour(s) FAILED:");
    for (HourResult r : failed) {
      out.println("  " + r.hour() + " " + r.step() + ": " + r.message());
    }
    return 1;
  }

  void writeReport(Path file) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("generatedAt", Instant.now().toString());
    List<Map<String, Object>> hours = new ArrayList<>();
    long bytes = 0;
    long events = 0;
    long duplicates = 0;
    long quarantined = 0;
    for (HourResult r : hours()) {
      HourResult raw = ingested.get(r.hour());
      long b = r.bytes() > 0 ? r.bytes() : raw == null ? 0 : raw.bytes();
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("hour", r.hour());
      h.put("status", r.status());
      h.put("bytes", b);
      h.put("events", r.events());
      h.put("duplicates", r.duplicates());
      h.put("quarantined", r.quarantined());
      h.put("step", r.step());
      h.put("message", r.message());
      hours.add(h);
      bytes += b;
      events += r.events();
      duplicates += r.duplicates();
      quarantined += r.quarantined();
    }
    report.put("hours", hours);
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("hours", hours.size());
    totals.put("failed", failedHours().size());
    totals.put("bytes", bytes);
    totals.put("events", events);
    totals.put("duplicates", duplicates);
    totals.put("quarantined", quarantined);
    report.put("totals", totals);
    List<Map<String, Object>> t = new ArrayList<>();
    for (TableBuilder.TableResult r : tables) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("rows", r.rows());
      m.put("partitions", r.partitions());
      m.put("rebuilt", r.rebuilt());
      t.add(m);
    }
    report.put("tables", t);
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.write(file, Results.JSON.writeValueAsBytes(report));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report " + file, e);
    }
  }
}
