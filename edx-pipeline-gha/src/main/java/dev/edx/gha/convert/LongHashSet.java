package dev.edx.gha.convert;

import java.util.Arrays;

/**
 * An open-addressing set of longs: 8 to 16 bytes per element, so the event ids of a whole hour
 * (millions) fit in tens of megabytes where a {@code HashSet<String>} would need hundreds.
 */
final class LongHashSet {
  private static final long EMPTY = Long.MIN_VALUE;
  private long[] slots = new long[1 << 14];
  private int size;
  private boolean hasEmptyValue;

  {
    Arrays.fill(slots, EMPTY);
  }

  /** Adds {@code value}; false when it was already there. */
  boolean add(long value) {
    if (value == EMPTY) {
      boolean added = !hasEmptyValue;
      hasEmptyValue = true;
      return added;
    }
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    if (insert(slots, value)) {
      size++;
      return true;
    }
    return false;
  }

  int size() {
    return size + (hasEmptyValue ? 1 : 0);
  }

  private static boolean insert(long[] table, long value) {
    int mask = table.length - 1;
    int i = (int) mix(value) & mask;
    while (true) {
      long current = table[i];
      if (current == EMPTY) {
        table[i] = value;
        return true;
      }
      if (current == value) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  private void grow() {
    long[] bigger = new long[slots.length * 2];
    Arrays.fill(bigger, EMPTY);
    for (long v : slots) {
      if (v != EMPTY) {
        insert(bigger, v);
      }
    }
    slots = bigger;
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    return x ^ (x >>> 33);
  }
}
