package dev.edx.api.spi;

/** What {@link Provisioner#destroy} does with resources that hold data. */
public enum DataPolicy {
  /** Keep buckets, databases and secrets that hold data, and say so in the result (default). */
  RETAIN,
  /** Delete them and their data. */
  PURGE
}
