package dev.edx.gha.convert;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes {@link GhaEvent}s to a local Parquet file (ZSTD) in the lake schema. Row groups are
 * bounded (64 MiB) and the large text columns skip dictionaries, so memory stays flat whatever
 * the hour's size.
 */
final class EventParquetWriter implements Closeable {
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

  private final ParquetWriter<GhaEvent> writer;

  EventParquetWriter(Path file) throws IOException {
    this.writer = new Builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration())
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withRowGroupSize(ROW_GROUP_BYTES)
        .withPageSize(1024 * 1024)
        .withDictionaryEncoding("payload", false)
        .withDictionaryEncoding("other", false)
        .withDictionaryEncoding("id", false)
        // Columns with about as many values as rows in an hour: a dictionary costs a hash lookup
        // per value and saves little that ZSTD does not.
        .withDictionaryEncoding("actor.login", false)
        .withDictionaryEncoding("actor.display_login", false)
        .withDictionaryEncoding("actor.avatar_url", false)
        .withDictionaryEncoding("actor.url", false)
        .withDictionaryEncoding("repo.name", false)
        .withDictionaryEncoding("repo.url", false)
        .withDictionaryEncoding("org.login", false)
        .withDictionaryEncoding("org.avatar_url", false)
        .withDictionaryEncoding("org.url", false)
        // min/max of JSON texts are never used and cost a byte comparison per value
        .withStatisticsEnabled("payload", false)
        .withStatisticsEnabled("other", false)
        .build();
  }

  void write(GhaEvent event) throws IOException {
    writer.write(event);
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }

  private static final class Builder extends ParquetWriter.Builder<GhaEvent, Builder> {
    Builder(LocalOutputFile file) {
      super(file);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<GhaEvent> getWriteSupport(Configuration conf) {
      return new EventWriteSupport();
    }

    @Override
    protected WriteSupport<GhaEvent> getWriteSupport(ParquetConfiguration conf) {
      return new EventWriteSupport();
    }
  }

  private static final class EventWriteSupport extends WriteSupport<GhaEvent> {
    private RecordConsumer out;

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(SCHEMA, Map.of());
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
      return new WriteContext(SCHEMA, Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(GhaEvent e) {
      out.startMessage();
      string(0, "id", e.id());
      string(1, "type", e.type());
      if (e.isPublic() != null) {
        out.startField("public", 2);
        out.addBoolean(e.isPublic());
        out.endField("public", 2);
      }
      if (e.payload() != null) {
        out.startField("payload", 3);
        out.addBinary(Binary.fromConstantByteArray(e.payload()));
        out.endField("payload", 3);
      }
      if (e.repo() != null) {
        group(4, "repo", () -> {
          int64(0, "id", e.repo().id());
          string(1, "name", e.repo().name());
          string(2, "url", e.repo().url());
        });
      }
      if (e.actor() != null) {
        GhaEvent.Actor a = e.actor();
        group(5, "actor", () -> {
          int64(0, "id", a.id());
          string(1, "login", a.login());
          string(2, "display_login", a.displayLogin());
          string(3, "gravatar_id", a.gravatarId());
          string(4, "avatar_url", a.avatarUrl());
          string(5, "url", a.url());
        });
      }
      if (e.org() != null) {
        GhaEvent.Org o = e.org();
        group(6, "org", () -> {
          int64(0, "id", o.id());
          string(1, "login", o.login());
          string(2, "gravatar_id", o.gravatarId());
          string(3, "avatar_url", o.avatarUrl());
          string(4, "url", o.url());
        });
      }
      int64(7, "created_at", micros(e.createdAt()));
      string(8, "other", e.other());
      int32(9, "year", e.hour().year());
      int32(10, "month", e.hour().month());
      int32(11, "day", e.hour().day());
      int32(12, "hour", e.hour().hour());
      out.endMessage();
    }

    private static long micros(Instant t) {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    private void group(int index, String name, Runnable fields) {
      out.startField(name, index);
      out.startGroup();
      fields.run();
      out.endGroup();
      out.endField(name, index);
    }

    private void string(int index, String name, String value) {
      if (value != null) {
        out.startField(name, index);
        out.addBinary(Binary.fromString(value));
        out.endField(name, index);
      }
    }

    private void int64(int index, String name, Long value) {
      if (value != null) {
        out.startField(name, index);
        out.addLong(value);
        out.endField(name, index);
      }
    }

    private void int32(int index, String name, int value) {
      out.startField(name, index);
      out.addInteger(value);
      out.endField(name, index);
    }
  }
}
