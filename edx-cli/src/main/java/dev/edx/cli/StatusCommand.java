package dev.edx.cli;

import dev.edx.embedded.DataDirectoryLock;
import dev.edx.embedded.Platform;
import dev.edx.embedded.PlatformInfo;
import dev.edx.embedded.PlatformOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edx status}: whether the platform of a data directory runs, and what runs where. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Say whether the embedded platform of a data directory runs, and what runs"
        + " where. Exit code 0 when it runs, 3 when it does not.")
final class StatusCommand implements Callable<Integer> {
  /** The exit code when no platform runs (as {@code systemctl status}). */
  static final int NOT_RUNNING = 3;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".edx/embedded",
      description = "The platform's data directory (default: ${DEFAULT-VALUE}).")
  Path dataDirectory;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = dataDirectory.toAbsolutePath().normalize();
    Optional<PlatformInfo> info = Platform.find(dir);
    if (info.isPresent()) {
      Duration up = Duration.between(info.get().startedAt(), Instant.now());
      out.printf("edx platform: running in %s (pid %d, up %s%s)%n", dir, info.get().pid(),
          up.withNanos(0).toString().substring(2).toLowerCase(java.util.Locale.ROOT),
          info.get().with().isEmpty() ? "" : ", with " + String.join(", ", info.get().with()));
      PlatformControl.describe(info.get()).forEach(out::println);
      return 0;
    }
    if (Platform.starting(dir)) {
      out.println("edx platform: starting in " + dir);
      return NOT_RUNNING;
    }
    PlatformOptions options = PlatformOptions.read(dir);
    out.println("edx platform: not running in " + dir + " (./edx up"
        + UpCommand.dataOption(dataDirectory) + " starts it"
        + (options.with().isEmpty() ? "" : " " + options.describe()) + ")");
    if (DataDirectoryLock.held(dir)) {
      DataDirectoryLock.holder(dir).ifPresent(h -> out.println("  the data directory is in use"
          + " by edx " + h.describe() + ", which runs its own servers on it"));
    }
    return NOT_RUNNING;
  }
}
