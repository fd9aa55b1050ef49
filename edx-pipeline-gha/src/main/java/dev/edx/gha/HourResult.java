package dev.edx.gha;

import static java.util.Objects.requireNonNull;

/**
 * What one step did to one hour; tasks write these as JSON results the main reads back.
 *
 * @param status {@code ingested}, {@code present} (already in the raw bucket), {@code missing}
 *     (404 past the toleration window), {@code not-published} (404 within it), {@code converted},
 *     {@code unchanged} (already converted from the same raw object) or {@code failed}
 * @param bytes raw (gzip) bytes of the hour
 * @param events events written (after deduplication)
 */
public record HourResult(String hour, String step, String status, long bytes, long events,
    long duplicates, long quarantined, String message) {

  public HourResult {
    requireNonNull(hour, "hour is null");
    requireNonNull(step, "step is null");
    requireNonNull(status, "status is null");
    message = message == null ? "" : message;
  }

  public boolean failed() {
    return "failed".equals(status);
  }

  public static HourResult failed(Hour hour, String step, String message) {
    return new HourResult(hour.toString(), step, "failed", 0, 0, 0, 0, message);
  }
}
