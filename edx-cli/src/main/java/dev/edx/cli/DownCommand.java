package dev.edx.cli;

import dev.edx.embedded.PlatformOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edx down}: stops the platform of a data directory cleanly; its data stays. */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Stop the embedded platform of a data directory (PostgreSQL shut down cleanly);"
        + " its data stays for the next `edx up`.")
final class DownCommand implements Callable<Integer> {
  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".edx/embedded",
      description = "The platform's data directory (default: ${DEFAULT-VALUE}).")
  Path dataDirectory;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = dataDirectory.toAbsolutePath().normalize();
    Optional<Duration> stopped = new PlatformControl().down(dataDirectory,
        PlatformControl.STOP_TIMEOUT);
    PlatformOptions options = PlatformOptions.read(dir);
    String with = options.with().isEmpty() ? "" : " " + options.describe();
    out.println(stopped.map(d -> String.format(Locale.ROOT,
        "edx platform in %s stopped in %.1f s; its data stays (./edx up%s starts it again%s)",
        dir, d.toMillis() / 1000.0, UpCommand.dataOption(dataDirectory), with))
        .orElse("edx platform: none runs in " + dir));
    return 0;
  }
}
