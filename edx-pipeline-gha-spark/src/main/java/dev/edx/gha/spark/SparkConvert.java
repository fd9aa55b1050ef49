package dev.edx.gha.spark;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.gha.Hour;
import dev.edx.gha.HourResult;
import dev.edx.gha.Results;
import dev.edx.gha.convert.EventRecords;
import dev.edx.gha.convert.HourConverter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * convert on Spark: one Spark job per hour (several at once, as many as the application has
 * cores), each reading the raw object through S3A in one task and writing the hour's Parquet
 * file with Spark; the driver then does what the Java converter does around it, through edx:
 * skips an unchanged hour (the same marker), puts the file at the hour's lake key
 * ({@code events/year=.../hour=HH/part-00000.parquet}, replacing the hour's previous output),
 * writes or removes the quarantine object and writes the marker and the result object.
 */
final class SparkConvert {
  private static final Logger LOG = LoggerFactory.getLogger(SparkConvert.class);
  static final String PART = "part-00000.parquet";
  /** The lake's columns in Spark, from the converter's Parquet schema. */
  static final StructType SCHEMA = EventRows.schema(EventRecords.schema());

  private final SparkSession spark;
  private final ObjectStorage storage;
  private final String run;
  private final String rawBucket;
  private final String lakeBucket;
  private final boolean force;
  private final PrintStream out;

  SparkConvert(SparkSession spark, ObjectStorage storage, String run, String rawBucket,
      String lakeBucket, boolean force, PrintStream out) {
    this.spark = requireNonNull(spark, "spark is null");
    this.storage = requireNonNull(storage, "storage is null");
    this.run = requireNonNull(run, "run is null");
    this.rawBucket = requireNonNull(rawBucket, "rawBucket is null");
    this.lakeBucket = requireNonNull(lakeBucket, "lakeBucket is null");
    this.force = force;
    this.out = requireNonNull(out, "out is null");
  }

  /** The result object of one hour, as {@code GhaPipeline} reads it. */
  static ObjectRef resultRef(String lakeBucket, String run, Hour hour) {
    return ObjectRef.of(lakeBucket, "_edx/runs/" + run + "/convert-" + hour + ".json");
  }

  /** Converts {@code hours}; writes each hour's result object; answers the results. */
  List<HourResult> convert(List<Hour> hours) throws InterruptedException {
    if (!storage.bucketExists(lakeBucket)) {
      storage.createBucket(lakeBucket);
    }
    int parallel = Math.max(1, Math.min(hours.size(), spark.sparkContext().defaultParallelism()));
    ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
      Thread t = new Thread(r, "edx-spark-convert");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<HourResult>> futures = new ArrayList<>();
      for (Hour hour : hours) {
        futures.add(pool.submit(() -> convertAndReport(hour)));
      }
      List<HourResult> results = new ArrayList<>();
      for (Future<HourResult> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("Cannot convert: " + e.getCause().getMessage(),
              e.getCause());
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private HourResult convertAndReport(Hour hour) {
    HourResult result;
    try {
      result = convert(hour);
    } catch (RuntimeException e) {
      LOG.warn("Cannot convert hour {}", hour, e);
      result = HourResult.failed(hour, "convert", failure(hour, e));
    }
    Results.write(storage, resultRef(lakeBucket, run, hour), List.of(result));
    out.printf("convert %s %s: %d events, %d duplicates, %d quarantined%s%n", hour,
        result.status(), result.events(), result.duplicates(), result.quarantined(),
        result.message().isEmpty() ? "" : " (" + result.message() + ")");
    return result;
  }

  /** The converter's message from a failed job (the task's exception), else the cause's. */
  static String failure(Hour hour, Throwable e) {
    String prefix = "Cannot convert hour " + hour;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && m.startsWith(prefix)) {
        return m;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null) {
        int at = m.indexOf(prefix);
        if (at >= 0) {
          return m.substring(at).lines().findFirst().orElse(m);
        }
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return prefix + ": " + root;
  }

  private HourResult convert(Hour hour) {
    ObjectRef raw = ObjectRef.of(rawBucket, hour.rawKey());
    Optional<ObjectInfo> stat = storage.stat(raw);
    if (stat.isEmpty()) {
      return HourResult.failed(hour, "convert", "Cannot convert hour " + hour
          + ": no raw object " + raw + " (run ingest first)");
    }
    ObjectInfo info = stat.get();
    String fingerprint = EventRecords.fingerprint(info);
    ObjectRef markerRef = ObjectRef.of(lakeBucket, HourConverter.markerKey(hour));
    ObjectRef part = ObjectRef.of(lakeBucket, hour.lakePrefix() + PART);
    if (!force) {
      Optional<HourConverter.Marker> marker = Results.read(storage, markerRef,
          HourConverter.Marker.class);
      if (marker.isPresent() && marker.get().fingerprint().equals(fingerprint)
          && storage.stat(part).isPresent()) {
        HourResult r = marker.get().result();
        return new HourResult(r.hour(), "convert", "unchanged", r.bytes(), r.events(),
            r.duplicates(), r.quarantined(), "already converted from the same raw object");
      }
    }
    if (info.size() == 0) {
      return HourResult.failed(hour, "convert", "Cannot convert hour " + hour + ": raw object "
          + raw + " is empty (0 bytes), not a gzip file");
    }
    String tmpPrefix = "_edx/spark/" + run + "/convert/" + hour + "/";
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      jsc.setJobDescription("edx convert " + hour);
      LongAccumulator events = jsc.sc().longAccumulator("events " + hour);
      LongAccumulator duplicates = jsc.sc().longAccumulator("duplicates " + hour);
      CollectionAccumulator<String> quarantine =
          jsc.sc().collectionAccumulator("quarantine " + hour);
      JavaRDD<Row> rows = jsc.binaryFiles(storage.uri(raw).toString(), 1).values()
          .mapPartitions(new ParseHour(hour, "raw object " + raw, events, duplicates,
              quarantine));
      spark.createDataFrame(rows, SCHEMA).write().mode(SaveMode.Overwrite)
          .option("compression", "zstd")
          .parquet(folderUri(storage, lakeBucket, tmpPrefix));
      List<String> written = keys(tmpPrefix).stream().filter(k -> k.endsWith(".parquet"))
          .toList();
      if (written.size() != 1) {
        throw new IllegalStateException("Cannot convert hour " + hour + ": Spark wrote "
            + written.size() + " Parquet files under " + lakeBucket + "/" + tmpPrefix
            + " where one was expected");
      }
      storage.copy(ObjectRef.of(lakeBucket, written.get(0)), part);
      List<String> stale = keys(hour.lakePrefix()).stream().filter(k -> !k.equals(part.key()))
          .toList();
      storage.deleteAll(lakeBucket, stale);
      List<String> bad = quarantine.value();
      ObjectRef quarantineRef = ObjectRef.of(lakeBucket, hour.quarantineKey());
      if (!bad.isEmpty()) {
        storage.put(quarantineRef, String.join("\n", bad).getBytes(StandardCharsets.UTF_8));
      } else if (storage.stat(quarantineRef).isPresent()) {
        storage.delete(quarantineRef);
      }
      HourResult result = new HourResult(hour.toString(), "convert", "converted", info.size(),
          events.value(), duplicates.value(), bad.size(), bad.isEmpty() ? ""
              : bad.size() + " line(s) quarantined in " + quarantineRef);
      Results.write(storage, markerRef, new HourConverter.Marker(fingerprint, result));
      LOG.info("Converted hour {} with Spark: {} events, {} duplicates, {} quarantined", hour,
          result.events(), result.duplicates(), result.quarantined());
      return result;
    } finally {
      storage.deleteAll(lakeBucket, keys(tmpPrefix));
    }
  }

  /** The URI of the folder {@code prefix} (ending with a slash) of {@code bucket}. */
  static String folderUri(ObjectStorage storage, String bucket, String prefix) {
    return storage.uri(ObjectRef.of(bucket, prefix.substring(0, prefix.length() - 1)))
        .toString();
  }

  private List<String> keys(String prefix) {
    try (Stream<ObjectInfo> list = storage.list(lakeBucket, prefix)) {
      return list.map(i -> i.ref().key()).collect(Collectors.toList());
    }
  }
}
