package dev.edx.gha;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * One GH Archive hour, in UTC, and the names it has in each place: the source file
 * ({@code 2015-01-01-1.json.gz}, no leading zero on the hour), the raw key
 * ({@code 2015/01/01/1.json.gz}) and the lake partition
 * ({@code events/year=2015/month=01/day=01/hour=01/}).
 */
public record Hour(LocalDateTime start) implements Comparable<Hour> {
  private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH");

  public Hour {
    requireNonNull(start, "start is null");
    if (!start.truncatedTo(ChronoUnit.HOURS).equals(start)) {
      throw new IllegalArgumentException("Hour " + start + " is not on the hour");
    }
  }

  /** Parses {@code YYYY-MM-DDTHH} (UTC). */
  public static Hour parse(String text) {
    requireNonNull(text, "text is null");
    try {
      return new Hour(LocalDateTime.parse(text.trim(), ID));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "Invalid hour '" + text + "': use YYYY-MM-DDTHH in UTC, such as 2015-01-01T15", e);
    }
  }

  public static Hour of(int year, int month, int day, int hour) {
    return new Hour(LocalDateTime.of(year, month, day, hour, 0));
  }

  public static Hour containing(Instant instant) {
    return new Hour(LocalDateTime.ofInstant(instant, ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS));
  }

  /** Every hour from {@code from} to {@code to}, both included. */
  public static List<Hour> range(Hour from, Hour to) {
    if (to.compareTo(from) < 0) {
      throw new IllegalArgumentException("Invalid hour range: --to " + to + " is before --from "
          + from);
    }
    List<Hour> hours = new ArrayList<>();
    for (LocalDateTime t = from.start; !t.isAfter(to.start); t = t.plusHours(1)) {
      hours.add(new Hour(t));
    }
    return hours;
  }

  public int year() {
    return start.getYear();
  }

  public int month() {
    return start.getMonthValue();
  }

  public int day() {
    return start.getDayOfMonth();
  }

  public int hour() {
    return start.getHour();
  }

  public Instant instant() {
    return start.toInstant(ZoneOffset.UTC);
  }

  /** The end of the hour (exclusive). */
  public Instant end() {
    return instant().plus(1, ChronoUnit.HOURS);
  }

  /** The source file name: {@code 2015-01-01-1.json.gz}. */
  public String fileName() {
    return String.format("%04d-%02d-%02d-%d.json.gz", year(), month(), day(), hour());
  }

  /** The raw bucket key: {@code 2015/01/01/1.json.gz}. */
  public String rawKey() {
    return String.format("%04d/%02d/%02d/%d.json.gz", year(), month(), day(), hour());
  }

  /** The lake partition folder, ending with a slash. */
  public String lakePrefix() {
    return String.format("events/year=%04d/month=%02d/day=%02d/hour=%02d/", year(), month(),
        day(), hour());
  }

  /** The quarantine object of this hour: {@code quarantine/2015/01/01/1.jsonl}. */
  public String quarantineKey() {
    return String.format("quarantine/%04d/%02d/%02d/%d.jsonl", year(), month(), day(), hour());
  }

  /** Partition values year, month, day, hour as written in paths (zero-padded). */
  public List<String> partitionValues() {
    return List.of(String.format("%04d", year()), String.format("%02d", month()),
        String.format("%02d", day()), String.format("%02d", hour()));
  }

  @Override
  public int compareTo(Hour other) {
    return start.compareTo(other.start);
  }

  /** {@code YYYY-MM-DDTHH}. */
  @Override
  public String toString() {
    return start.format(ID);
  }
}
