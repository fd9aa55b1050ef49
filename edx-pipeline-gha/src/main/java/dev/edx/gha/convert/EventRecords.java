package dev.edx.gha.convert;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.edx.api.ObjectInfo;
import dev.edx.gha.Hour;
import dev.edx.gha.Results;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * The converter's parts for another engine (the Spark application of
 * {@code edx-pipeline-gha-spark}): reads one hour's gzip stream line by line, parses each line
 * with the converter's own parser into the lake columns as plain Java values, drops duplicate ids
 * as the converter does (the first occurrence wins) and describes each bad line as the
 * converter's quarantine record. Whatever engine writes the rows, they are the converter's rows.
 * Not thread safe; one per hour.
 *
 * <p>An event is an {@code Object[]} in the order of {@link #schema()}'s fields: {@code id},
 * {@code type} ({@link String}), {@code public} ({@link Boolean}), {@code payload} (JSON text),
 * {@code repo}, {@code actor}, {@code org} (each an {@code Object[]} of its fields, or null),
 * {@code created_at} ({@link java.time.Instant}), {@code other} (JSON text) and {@code year},
 * {@code month}, {@code day}, {@code hour} ({@link Integer}); null where the source had no value.
 */
public final class EventRecords implements Closeable {
  /** Longest line converted; longer lines are quarantined. */
  public static final int MAX_LINE_BYTES = HourConverter.MAX_LINE_BYTES;

  private final InputStream gz;
  private final LineBatches batches;
  private final EventParser parser = new EventParser();
  private LineBatches.Batch batch;
  /** Index of the current line in {@link #batch}. */
  private int line = -1;
  private final LongHashSet ids = new LongHashSet();
  private final Hour hour;
  private final String what;
  private Object[] event;
  private String quarantineRecord;
  private long events;
  private long duplicates;
  private long quarantined;

  private EventRecords(InputStream gz, Hour hour, String what) {
    this.gz = gz;
    this.batches = new LineBatches(gz, MAX_LINE_BYTES);
    this.hour = hour;
    this.what = what;
  }

  /** The lake's Parquet schema, as the converter writes it. */
  public static MessageType schema() {
    return EventParquetWriter.SCHEMA;
  }

  /** What the converter's marker records of a raw object, to tell an unchanged hour. */
  public static String fingerprint(ObjectInfo raw) {
    return raw.size() + ":" + raw.etag().orElse("") + ":" + raw.lastModified().toEpochMilli();
  }

  /**
   * Reads the gzip stream {@code in} of {@code hour}, named {@code what} in messages (such as
   * {@code raw object gha-raw/2015/01/01/15.json.gz}). Closing this closes {@code in}.
   *
   * @throws UncheckedIOException with the converter's message when {@code in} is not gzip
   */
  public static EventRecords open(InputStream in, Hour hour, String what) throws IOException {
    requireNonNull(in, "in is null");
    requireNonNull(hour, "hour is null");
    requireNonNull(what, "what is null");
    try {
      return new EventRecords(new GZIPInputStream(new BufferedInputStream(in, 1 << 16), 1 << 16),
          hour, what);
    } catch (ZipException | EOFException e) {
      in.close();
      throw new HourConverter.HourFailedException("Cannot convert hour " + hour + ": " + what
          + " is not a gzip file (" + e.getMessage() + "); nothing was written");
    }
  }

  /**
   * Advances to the next event or bad line (duplicates are skipped and counted); false at the
   * end.
   *
   * @throws UncheckedIOException with the converter's message when the stream is truncated or
   *     corrupt
   */
  public boolean next() throws IOException {
    while (true) {
      if (!nextLine()) {
        event = null;
        quarantineRecord = null;
        return false;
      }
      String reason = null;
      GhaEvent parsed = null;
      if (tooLong()) {
        reason = "line longer than " + MAX_LINE_BYTES + " bytes (" + batch.fullLengths()[line]
            + ")";
      } else {
        try {
          parsed = parser.parse(batch.data(), batch.starts()[line], batch.lengths()[line], hour);
        } catch (BadLineException e) {
          reason = e.getMessage();
        }
      }
      if (parsed == null) {
        quarantined++;
        event = null;
        quarantineRecord = quarantineRecord(reason);
        return true;
      }
      if (!ids.add(parsed.idKey())) {
        duplicates++;
        continue;
      }
      events++;
      event = values(parsed);
      quarantineRecord = null;
      return true;
    }
  }

  /** The current event, or null when the current line is bad. */
  public Object[] event() {
    return event;
  }

  /**
   * The current bad line's quarantine record (compact JSON: {@code line}, {@code reason},
   * {@code bytes}, {@code excerpt}), or null when the current line is an event. The converter's
   * quarantine object is these records joined with newlines.
   */
  public String quarantineRecord() {
    return quarantineRecord;
  }

  /** Number of the current line, from 1. */
  public long lineNumber() {
    return line < 0 ? 0 : batch.lineNumbers()[line];
  }

  public long events() {
    return events;
  }

  public long duplicates() {
    return duplicates;
  }

  public long quarantined() {
    return quarantined;
  }

  @Override
  public void close() throws IOException {
    gz.close();
  }

  private boolean tooLong() {
    return batch.fullLengths()[line] > MAX_LINE_BYTES;
  }

  private boolean nextLine() throws IOException {
    if (batch != null && line + 1 < batch.count()) {
      line++;
      return true;
    }
    try {
      batch = batches.next();
      line = 0;
      return batch != null;
    } catch (EOFException e) {
      throw new HourConverter.HourFailedException("Cannot convert hour " + hour + ": " + what
          + " is a truncated gzip file (" + e.getMessage() + "); nothing was written");
    } catch (ZipException e) {
      throw new HourConverter.HourFailedException("Cannot convert hour " + hour + ": " + what
          + " is a corrupt gzip file (" + e.getMessage() + "); nothing was written");
    }
  }

  private String quarantineRecord(String reason) throws IOException {
    int n = tooLong() ? 0
        : Math.min(batch.lengths()[line], HourConverter.QUARANTINE_EXCERPT_BYTES);
    StringWriter text = new StringWriter();
    try (JsonGenerator g = Results.JSON.getFactory().createGenerator(text)) {
      g.writeStartObject();
      g.writeNumberField("line", lineNumber());
      g.writeStringField("reason", reason);
      g.writeNumberField("bytes", batch.fullLengths()[line]);
      g.writeStringField("excerpt",
          new String(batch.data(), batch.starts()[line], n, StandardCharsets.UTF_8));
      g.writeEndObject();
    }
    return text.toString();
  }

  private static Object[] values(GhaEvent e) {
    GhaEvent.Repo r = e.repo();
    GhaEvent.Actor a = e.actor();
    GhaEvent.Org o = e.org();
    return new Object[] {
        text(e.id()), text(e.type()), e.isPublic(), text(e.payload()),
        r == null ? null : new Object[] {r.id(), text(r.name()), text(r.url())},
        a == null ? null : new Object[] {a.id(), text(a.login()), text(a.displayLogin()),
            text(a.gravatarId()), text(a.avatarUrl()), text(a.url())},
        o == null ? null : new Object[] {o.id(), text(o.login()), text(o.gravatarId()),
            text(o.avatarUrl()), text(o.url())},
        Instant.EPOCH.plus(e.createdAtMicros(), ChronoUnit.MICROS), text(e.other()),
        e.hour().year(), e.hour().month(), e.hour().day(), e.hour().hour()};
  }

  private static String text(Binary value) {
    return value == null ? null : value.toStringUsingUTF8();
  }
}
