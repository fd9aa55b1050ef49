package dev.edx.api;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * CPU and memory for a container or a Spark driver/executor.
 *
 * @param cores whole cores, at least 1
 * @param memory memory in Spark/Kubernetes notation: {@code 512m}, {@code 2g}, {@code 4Gi}
 */
public record Resources(int cores, String memory) {
  private static final Pattern MEMORY = Pattern.compile("[1-9][0-9]*([kKmMgGtT]|[KMGT]i)?[bB]?");

  public Resources {
    requireNonNull(memory, "memory is null");
    if (cores < 1) {
      throw new IllegalArgumentException("cores must be at least 1: " + cores);
    }
    if (!MEMORY.matcher(memory).matches()) {
      throw new IllegalArgumentException(
          "Invalid memory '" + memory + "': use a number with a unit, such as 512m, 2g or 4Gi");
    }
  }

  public static Resources of(int cores, String memory) {
    return new Resources(cores, memory);
  }
}
