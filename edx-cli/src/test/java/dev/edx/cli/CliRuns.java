package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/** What edx-cli's benchmarks and shared fixtures do alike: run a command, time, clean up. */
final class CliRuns {
  private CliRuns() {}

  /** Runs an edx command in this JVM; fails the test, with its output, unless it exits 0. */
  static String edxInProcess(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = EdxMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as("edx %s: %s%n%s", String.join(" ", args), out, err).isZero();
    return out.toString();
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  /** Deletes a folder and all it holds; nothing when it does not exist. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
