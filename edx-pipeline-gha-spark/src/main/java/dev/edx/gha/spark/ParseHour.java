package dev.edx.gha.spark;

import dev.edx.gha.Hour;
import dev.edx.gha.convert.EventRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The Spark task of one hour: its raw gzip object is one partition (a gzip stream cannot be
 * split), read through the converter's {@link EventRecords} so that line numbers, parsing,
 * duplicates and quarantine records are the converter's. Events become rows; bad lines' records
 * and the counts go to the driver through accumulators.
 */
final class ParseHour implements FlatMapFunction<Iterator<PortableDataStream>, Row> {
  private static final long serialVersionUID = 1L;

  private final String hour;
  private final String what;
  private final LongAccumulator events;
  private final LongAccumulator duplicates;
  private final CollectionAccumulator<String> quarantine;

  ParseHour(Hour hour, String what, LongAccumulator events, LongAccumulator duplicates,
      CollectionAccumulator<String> quarantine) {
    this.hour = hour.toString();
    this.what = what;
    this.events = events;
    this.duplicates = duplicates;
    this.quarantine = quarantine;
  }

  @Override
  public Iterator<Row> call(Iterator<PortableDataStream> streams) throws IOException {
    if (!streams.hasNext()) {
      return Collections.emptyIterator();
    }
    EventRecords records = EventRecords.open(streams.next().open(), Hour.parse(hour), what);
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener(context -> {
        try {
          records.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return new Iterator<>() {
      private Row next;
      private boolean done;

      @Override
      public boolean hasNext() {
        try {
          while (next == null && !done) {
            if (!records.next()) {
              done = true;
              events.add(records.events());
              duplicates.add(records.duplicates());
              records.close();
            } else if (records.event() != null) {
              next = EventRows.row(records.event());
            } else {
              quarantine.add(records.quarantineRecord());
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot read hour " + hour + " from " + what, e);
        }
        return next != null;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row row = next;
        next = null;
        return row;
      }
    };
  }
}
