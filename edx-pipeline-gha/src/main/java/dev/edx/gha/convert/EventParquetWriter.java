package dev.edx.gha.convert;

import java.io.IOException;
import java.util.List;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Encodes {@link GhaEvent}s in the lake schema (ZSTD) into in-memory row groups that a
 * {@link ParquetFileWriter} then takes as they are. Each event's values go straight to the
 * column writers (no record-assembly layer in between). The large text columns skip
 * dictionaries, so memory stays flat whatever the hour's size.
 */
final class EventParquetWriter {
  static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
      message event {
        required binary id (STRING);
        required binary type (STRING);
        optional boolean public;
        optional binary payload (STRING);
        optional group repo {
          optional int64 id;
          optional binary name (STRING);
          optional binary url (STRING);
        }
        optional group actor {
          optional int64 id;
          optional binary login (STRING);
          optional binary display_login (STRING);
          optional binary gravatar_id (STRING);
          optional binary avatar_url (STRING);
          optional binary url (STRING);
        }
        optional group org {
          optional int64 id;
          optional binary login (STRING);
          optional binary gravatar_id (STRING);
          optional binary avatar_url (STRING);
          optional binary url (STRING);
        }
        required int64 created_at (TIMESTAMP(MICROS,true));
        optional binary other (STRING);
        required int32 year;
        required int32 month;
        required int32 day;
        required int32 hour;
      }
      """);

  /** Largest row group buffered before it is written. */
  static final long ROW_GROUP_BYTES = 64L * 1024 * 1024;

  private static final int PAGE_BYTES = 1024 * 1024;

  /**
   * Encoding settings. Dictionaries only where values repeat within an hour (type, created_at,
   * org, the partition columns...): the ids and the per-actor and per-repo texts have about one
   * distinct value per row, where a dictionary costs a hash lookup per value and saves little
   * that ZSTD does not. No min/max statistics on the JSON texts and the URL-like columns (no
   * query filters on them), no size statistics.
   */
  static final ParquetProperties PROPERTIES = ParquetProperties.builder()
      .withPageSize(PAGE_BYTES)
      .withDictionaryPageSize(PAGE_BYTES)
      .withDictionaryEncoding("payload", false)
      .withDictionaryEncoding("other", false)
      .withDictionaryEncoding("id", false)
      .withDictionaryEncoding("actor.id", false)
      .withDictionaryEncoding("actor.login", false)
      .withDictionaryEncoding("actor.display_login", false)
      .withDictionaryEncoding("actor.avatar_url", false)
      .withDictionaryEncoding("actor.url", false)
      .withDictionaryEncoding("repo.id", false)
      .withDictionaryEncoding("repo.name", false)
      .withDictionaryEncoding("repo.url", false)
      .withDictionaryEncoding("org.login", false)
      .withDictionaryEncoding("org.avatar_url", false)
      .withDictionaryEncoding("org.url", false)
      .withStatisticsEnabled("payload", false)
      .withStatisticsEnabled("other", false)
      .withStatisticsEnabled("actor.display_login", false)
      .withStatisticsEnabled("actor.gravatar_id", false)
      .withStatisticsEnabled("actor.avatar_url", false)
      .withStatisticsEnabled("actor.url", false)
      .withStatisticsEnabled("repo.url", false)
      .withStatisticsEnabled("org.gravatar_id", false)
      .withStatisticsEnabled("org.avatar_url", false)
      .withStatisticsEnabled("org.url", false)
      .withSizeStatisticsEnabled(false)
      .build();

  private static final List<ColumnDescriptor> COLUMNS = SCHEMA.getColumns();

  private EventParquetWriter() {}

  /** The hour's output file, to which {@link RowGroup#appendTo} adds row groups in order. */
  static ParquetFileWriter newFile(org.apache.parquet.io.OutputFile file) throws IOException {
    return new ParquetFileWriter(file, SCHEMA, ParquetFileWriter.Mode.OVERWRITE, ROW_GROUP_BYTES,
        0, PROPERTIES.getColumnIndexTruncateLength(), PROPERTIES.getStatisticsTruncateLength(),
        PROPERTIES.getPageWriteChecksumEnabled());
  }

  /** The encoded, compressed pages of one row group, held in memory until appended. */
  static final class RowGroup {
    private final ZstdPages codecs;
    private final ColumnChunkPageWriteStore pages;
    private final ColumnWriteStore columns;
    private final long rows;

    private RowGroup(ZstdPages codecs, ColumnChunkPageWriteStore pages,
        ColumnWriteStore columns, long rows) {
      this.codecs = codecs;
      this.pages = pages;
      this.columns = columns;
      this.rows = rows;
    }

    /** Writes the row group to {@code out} and frees its pages. */
    void appendTo(ParquetFileWriter out) throws IOException {
      try {
        out.startBlock(rows);
        pages.flushToFileWriter(out);
        out.endBlock();
      } finally {
        release();
      }
    }

    /** Frees the pages without writing them. */
    void release() {
      columns.close();
      pages.close();
      codecs.release();
    }
  }

  /** Encodes {@code events} into one row group. */
  static RowGroup encode(List<GhaEvent> events) {
    ZstdPages zstd = new ZstdPages();
    // The constructor, not the builder parquet-java 1.16 added: the converter also runs beside
    // Spark 4.0's Parquet 1.15 (the engines' agreement test runs both paths in one JVM).
    ColumnChunkPageWriteStore pages = new ColumnChunkPageWriteStore(zstd, SCHEMA,
        HeapByteBufferAllocator.getInstance(), PROPERTIES.getColumnIndexTruncateLength(),
        PROPERTIES.getPageWriteChecksumEnabled());
    ColumnWriteStore store = PROPERTIES.newColumnWriteStore(SCHEMA, pages, pages);
    try {
      ColumnWriter[] w = new ColumnWriter[COLUMNS.size()];
      for (int i = 0; i < w.length; i++) {
        w[i] = store.getColumnWriter(COLUMNS.get(i));
      }
      for (GhaEvent e : events) {
        write(w, e);
        store.endRecord();
      }
      store.flush();
      return new RowGroup(zstd, pages, store, events.size());
    } catch (RuntimeException | Error e) {
      store.close();
      pages.close();
      zstd.release();
      throw e;
    }
  }

  /** One event's values, in the order of {@link #SCHEMA}'s leaf columns. */
  private static void write(ColumnWriter[] w, GhaEvent e) {
    w[0].write(e.id(), 0, 0);
    w[1].write(e.type(), 0, 0);
    if (e.isPublic() == null) {
      w[2].writeNull(0, 0);
    } else {
      w[2].write(e.isPublic().booleanValue(), 0, 1);
    }
    optional(w[3], e.payload());
    GhaEvent.Repo r = e.repo();
    if (r == null) {
      nulls(w, 4, 3);
    } else {
      nested(w[4], r.id());
      nested(w[5], r.name());
      nested(w[6], r.url());
    }
    GhaEvent.Actor a = e.actor();
    if (a == null) {
      nulls(w, 7, 6);
    } else {
      nested(w[7], a.id());
      nested(w[8], a.login());
      nested(w[9], a.displayLogin());
      nested(w[10], a.gravatarId());
      nested(w[11], a.avatarUrl());
      nested(w[12], a.url());
    }
    GhaEvent.Org o = e.org();
    if (o == null) {
      nulls(w, 13, 5);
    } else {
      nested(w[13], o.id());
      nested(w[14], o.login());
      nested(w[15], o.gravatarId());
      nested(w[16], o.avatarUrl());
      nested(w[17], o.url());
    }
    w[18].write(e.createdAtMicros(), 0, 0);
    optional(w[19], e.other());
    w[20].write(e.hour().year(), 0, 0);
    w[21].write(e.hour().month(), 0, 0);
    w[22].write(e.hour().day(), 0, 0);
    w[23].write(e.hour().hour(), 0, 0);
  }

  /** A top-level optional text: definition level 1 when present. */
  private static void optional(ColumnWriter w, Binary value) {
    if (value == null) {
      w.writeNull(0, 0);
    } else {
      w.write(value, 0, 1);
    }
  }

  /** A field of a present optional group: definition level 2 when present, else 1. */
  private static void nested(ColumnWriter w, Binary value) {
    if (value == null) {
      w.writeNull(0, 1);
    } else {
      w.write(value, 0, 2);
    }
  }

  private static void nested(ColumnWriter w, Long value) {
    if (value == null) {
      w.writeNull(0, 1);
    } else {
      w.write(value.longValue(), 0, 2);
    }
  }

  /** The fields of an absent optional group: all null at definition level 0. */
  private static void nulls(ColumnWriter[] w, int from, int n) {
    for (int i = from; i < from + n; i++) {
      w[i].writeNull(0, 0);
    }
  }
}
