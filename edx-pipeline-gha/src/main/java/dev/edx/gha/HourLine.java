package dev.edx.gha;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log line a step's job writes when an hour finishes, so that whoever follows the job's log
 * (on any compute) reports each hour as it ends: {@code edx-hour HOUR STATUS BYTES MILLIS
 * [MESSAGE]}.
 */
public final class HourLine {
  private static final Pattern LINE = Pattern.compile(
      "edx-hour (\\S+) (\\S+) (\\d+) (\\d+)(?: (.*))?");

  private HourLine() {}

  /** An hour that finished: its result and how long it took. */
  public record Finished(HourResult result, Duration took) {}

  public static String format(HourResult r, Duration took) {
    return "edx-hour " + r.hour() + " " + r.status() + " " + r.bytes() + " " + took.toMillis()
        + (r.message().isEmpty() ? "" : " " + r.message().replace('\n', ' '));
  }

  /** The hour a log line reports, if it is such a line (a log may prefix it, with a time). */
  public static Optional<Finished> parse(String line) {
    int at = line.indexOf("edx-hour ");
    if (at < 0) {
      return Optional.empty();
    }
    Matcher m = LINE.matcher(line.substring(at).strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    String status = m.group(2);
    HourResult r = new HourResult(m.group(1), "ingest", status, Long.parseLong(m.group(3)), 0, 0,
        0, m.group(5) == null ? "" : m.group(5));
    return Optional.of(new Finished(r, Duration.ofMillis(Long.parseLong(m.group(4)))));
  }
}
