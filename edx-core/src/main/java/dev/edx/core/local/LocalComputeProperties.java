package dev.edx.core.local;

import java.util.Set;

/** Spec keys of the {@code local} compute provider, each with its default. Not public API. */
final class LocalComputeProperties {
  /** Worker threads: how many jobs run at once; more wait in PENDING. */
  static final String THREADS = "threads";
  static final int THREADS_DEFAULT = 2;

  /** How many bytes of each job's log are kept in memory; older bytes are dropped. */
  static final String MAX_LOG_BYTES = "maxLogBytes";
  static final long MAX_LOG_BYTES_DEFAULT = 1024 * 1024;

  /** The {@code --master} given to spark-submit. */
  static final String SPARK_MASTER = "sparkMaster";
  static final String SPARK_MASTER_DEFAULT = "local[*]";

  static final Set<String> KEYS = Set.of(THREADS, MAX_LOG_BYTES, SPARK_MASTER);

  private LocalComputeProperties() {}
}
