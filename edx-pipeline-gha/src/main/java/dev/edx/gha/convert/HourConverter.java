package dev.edx.gha.convert;

import static java.util.Objects.requireNonNull;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.gha.Hour;
import dev.edx.gha.HourResult;
import dev.edx.gha.Results;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * json2parquet for one hour: streams the raw object through gunzip, the line reader and the event
 * parser into a Parquet file in a temporary folder, then puts it in the lake (atomic), replacing
 * the hour's previous output whole. Bad lines go to the quarantine object; a raw object that is
 * not gzip or is truncated fails the hour and leaves the lake as it was.
 */
public final class HourConverter {
  private static final Logger LOG = LoggerFactory.getLogger(HourConverter.class);
  static final String PART = "part-00000.parquet";
  /** Longest line converted; longer lines are quarantined. */
  static final int MAX_LINE_BYTES = 64 * 1024 * 1024;
  /** Bytes of a bad line kept in its quarantine record. */
  static final int QUARANTINE_EXCERPT_BYTES = 4096;

  private final ObjectStorage storage;
  private final String rawBucket;
  private final String lakeBucket;
  private final int maxLineBytes;

  HourConverter(ObjectStorage storage, String rawBucket, String lakeBucket, int maxLineBytes) {
    this.storage = requireNonNull(storage, "storage is null");
    this.rawBucket = requireNonNull(rawBucket, "rawBucket is null");
    this.lakeBucket = requireNonNull(lakeBucket, "lakeBucket is null");
    this.maxLineBytes = maxLineBytes;
  }

  /** The object recording which raw object an hour's lake output came from. */
  public static String markerKey(Hour hour) {
    return "_edx/convert/" + hour.rawKey().replace(".json.gz", ".json");
  }

  /** What the marker holds: the raw fingerprint and the counts of the conversion. */
  public record Marker(String fingerprint, HourResult result) {}

  /**
   * Converts {@code hour} unless its output already comes from the same raw object (and
   * {@code force} is false).
   *
   * @throws HourFailedException when the raw object is missing, not gzip or truncated
   */
  HourResult convert(Hour hour, boolean force) throws IOException {
    ObjectRef raw = ObjectRef.of(rawBucket, hour.rawKey());
    ObjectInfo info = storage.stat(raw).orElseThrow(() -> new HourFailedException(
        "Cannot convert hour " + hour + ": no raw object " + raw + " (run ingest first)"));
    String fingerprint = info.size() + ":" + info.etag().orElse("") + ":"
        + info.lastModified().toEpochMilli();
    ObjectRef markerRef = ObjectRef.of(lakeBucket, markerKey(hour));
    ObjectRef part = ObjectRef.of(lakeBucket, hour.lakePrefix() + PART);
    if (!force) {
      Optional<Marker> marker = Results.read(storage, markerRef, Marker.class);
      if (marker.isPresent() && marker.get().fingerprint().equals(fingerprint)
          && storage.stat(part).isPresent()) {
        HourResult r = marker.get().result();
        return new HourResult(r.hour(), "convert", "unchanged", r.bytes(), r.events(),
            r.duplicates(), r.quarantined(), "already converted from the same raw object");
      }
    }
    if (info.size() == 0) {
      throw new HourFailedException("Cannot convert hour " + hour + ": raw object " + raw
          + " is empty (0 bytes), not a gzip file");
    }
    Path dir = Files.createTempDirectory("edx-gha-" + hour + "-");
    try {
      Path parquet = dir.resolve(PART);
      Path quarantine = dir.resolve("quarantine.jsonl");
      long[] counts = convertTo(hour, raw, parquet, quarantine);
      long events = counts[0];
      long duplicates = counts[1];
      long bad = counts[2];
      storage.put(part, parquet);
      deleteOthers(hour.lakePrefix(), part.key());
      ObjectRef quarantineRef = ObjectRef.of(lakeBucket, hour.quarantineKey());
      if (bad > 0) {
        storage.put(quarantineRef, quarantine);
      } else if (storage.stat(quarantineRef).isPresent()) {
        storage.delete(quarantineRef);
      }
      HourResult result = new HourResult(hour.toString(), "convert", "converted", info.size(),
          events, duplicates, bad, bad > 0 ? bad + " line(s) quarantined in "
              + quarantineRef : "");
      Results.write(storage, markerRef, new Marker(fingerprint, result));
      LOG.info("Converted hour {}: {} events, {} duplicates, {} quarantined", hour, events,
          duplicates, bad);
      return result;
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private void deleteOthers(String prefix, String keep) {
    List<String> stale;
    try (Stream<ObjectInfo> list = storage.list(lakeBucket, prefix)) {
      stale = list.map(i -> i.ref().key()).filter(k -> !k.equals(keep))
          .collect(Collectors.toList());
    }
    storage.deleteAll(lakeBucket, stale);
  }

  /** Returns {events, duplicates, quarantined}. */
  private long[] convertTo(Hour hour, ObjectRef raw, Path parquet, Path quarantine)
      throws IOException {
    try (InputStream in = storage.open(raw)) {
      return convert(in, "raw object " + raw, hour, parquet, quarantine, maxLineBytes);
    }
  }

  /**
   * Converts the gzip stream {@code in} (named {@code what} in messages) of {@code hour} into a
   * local Parquet file and a quarantine file of bad lines. Returns {events, duplicates,
   * quarantined}.
   *
   * @throws HourFailedException when {@code in} is not gzip, is corrupt or is truncated
   */
  static long[] convert(InputStream in, String what, Hour hour, Path parquet, Path quarantine,
      int maxLineBytes) throws IOException {
    try (InputStream gz = gunzip(new BufferedInputStream(in, 1 << 16), hour, what)) {
      return HourPipeline.convert(gz, what, hour, parquet, quarantine, maxLineBytes,
          Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
  }

  private static InputStream gunzip(InputStream in, Hour hour, String what) throws IOException {
    try {
      return new GZIPInputStream(in, 1 << 16);
    } catch (ZipException | EOFException e) {
      throw new HourFailedException("Cannot convert hour " + hour + ": " + what
          + " is not a gzip file (" + e.getMessage() + "); nothing was written");
    }
  }

  /** An hour that cannot be converted at all; the message says why. */
  static final class HourFailedException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    HourFailedException(String message) {
      super(message, new IOException(message));
    }
  }
}
