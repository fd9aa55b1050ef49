package dev.edx.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Measures how much heap stays reachable: a baseline after a full collection when created, then
 * samples after further full collections. Garbage is collected away; only what an
 * implementation keeps referenced (a buffered object) counts.
 */
final class MemoryProbe {
  private static final int MIB = 1024 * 1024;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final long baseline;
  private long maxRetained;
  private boolean collected = true;

  MemoryProbe() {
    baseline = usedAfterGc();
  }

  void sample() {
    long gcs = gcCount();
    long used = usedAfterGc();
    if (gcCount() == gcs) {
      collected = false; // System.gc() is disabled; the sample means nothing
    }
    maxRetained = Math.max(maxRetained, used - baseline);
  }

  void assertRetainedBelow(long bound, String when) {
    assumeTrue(collected, "explicit garbage collection is disabled (-XX:+DisableExplicitGC)");
    assertThat(maxRetained)
        .as("heap kept reachable %s (bound %d MiB): the object must be streamed, not buffered",
            when, bound / MIB)
        .isLessThan(bound);
  }

  private long usedAfterGc() {
    System.gc();
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static long gcCount() {
    long count = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
    }
    return count;
  }
}
