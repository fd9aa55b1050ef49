package dev.edx.core.local;

import dev.edx.toolkit.Setting;

/** The settings of the {@code local} compute provider ({@code spec.compute}). */
public final class LocalComputeProperties {
  /** Worker threads: how many jobs run at once; more wait in PENDING. */
  public static final Setting<Integer> THREADS = Setting.integer("threads",
          "Jobs that run at once; more wait in PENDING.")
      .check(n -> n >= 1, "must be at least 1").withDefault(2);

  /** How many bytes of each job's log are kept in memory; older bytes are dropped. */
  public static final Setting<Long> MAX_LOG_BYTES = Setting.longValue("maxLogBytes",
          "Bytes of each job's log kept in memory.")
      .check(n -> n >= 1 && n <= Integer.MAX_VALUE - 8,
          "must be between 1 and " + (Integer.MAX_VALUE - 8))
      .withDefault(1024L * 1024);

  /** The {@code --master} given to spark-submit. */
  public static final Setting<String> SPARK_MASTER = Setting.string("sparkMaster",
          "The --master given to spark-submit.")
      .check(m -> !m.isBlank(), "must not be blank; use local[*] or a master URL")
      .withDefault("local[*]");

  private LocalComputeProperties() {}
}
