package dev.edx.sparkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the tests of this module share: the edx commands run from the launcher jar ({@code
 * edx.launcher}, edx-cli's shaded jar) in processes of their own, as {@code ./edx} runs them, and
 * Spark's class path ({@code edx.spark.classpath}, the file the build writes).
 */
final class EdxLauncher {
  private EdxLauncher() {}

  /** A finished command: its exit code, standard output and standard error. */
  record Result(int code, String out, String err) {}

  /**
   * Runs {@code edx args} from the launcher jar with no input, its output in temporary files of
   * {@code scratch} (removed after); fails the test when it has not ended within {@code timeout}.
   */
  static Result run(Path scratch, Duration timeout, String... args)
      throws IOException, InterruptedException {
    Path launcher = Path.of(System.getProperty("edx.launcher"));
    assertThat(launcher).as("the launcher jar (mvn package -pl edx-cli -am)").isRegularFile();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", launcher.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(scratch, "edx", ".out");
    Path err = Files.createTempFile(scratch, "edx", ".err");
    try {
      Process process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("edx " + String.join(" ", args) + " did not end in "
            + timeout.toMinutes() + " minutes");
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Spark's class path (Spark, its S3A connector and the SDK), as one class path string. */
  static String sparkClassPath() throws IOException {
    return Files.readString(Path.of(System.getProperty("edx.spark.classpath"))).strip();
  }

  /** The last 20,000 characters of {@code text}. */
  static String tail(String text) {
    return text.length() <= 20_000 ? text : text.substring(text.length() - 20_000);
  }
}
