package dev.edx.cli;

import dev.edx.gha.cli.CommandLines;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edx up}: starts the embedded platform of a data directory in the background (the S3
 * endpoint, PostgreSQL, and the Hive Metastore when the launcher carries it) and returns when it
 * is ready; does nothing but report when it already runs.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {
        "Start the embedded platform in the background (an S3 endpoint, PostgreSQL, and a Hive"
            + " Metastore when available) and return when it is ready. It writes"
            + " DIR/platform.json (endpoints and credentials, owner only) and"
            + " DIR/environment.yaml (a spec that reaches it); edx commands on DIR then use it,"
            + " several at once.",
        "With --output env, prints shell exports for the AWS CLI, psql and Spark:"
            + " eval \"$(edx up --output env)\"."
    })
final class UpCommand implements Callable<Integer> {
  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".edx/embedded",
      description = "The platform's data directory (default: ${DEFAULT-VALUE}).")
  Path dataDirectory;

  @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (default) or env (shell exports on stdout).")
  String output;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
      description = "How long to wait for the platform to be ready (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    String format = output.toLowerCase(Locale.ROOT);
    if (!format.equals("text") && !format.equals("env")) {
      throw CommandLines.usage(spec, "Invalid --output '" + output + "': use text or env");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (format.equals("text")) {
      out.println("edx up: starting the platform in " + dataDirectory.toAbsolutePath().normalize()
          + " (if it is not running)...");
      out.flush();
    }
    PlatformControl.Started started = new PlatformControl().up(dataDirectory,
        Duration.ofSeconds(timeoutSeconds));
    String how = started.started()
        ? String.format(Locale.ROOT, "started in %.1f s", started.took().toMillis() / 1000.0)
        : "already running";
    if (format.equals("env")) {
      err.println("edx up: platform " + how + " (pid " + started.info().pid() + ")");
      out.print(PlatformControl.exports(started.info()));
      return 0;
    }
    out.println("edx platform " + how + " (pid " + started.info().pid() + "):");
    PlatformControl.describe(started.info()).forEach(out::println);
    String dir = dataOption(dataDirectory);
    out.println("Shell exports for the AWS CLI, psql and Spark: eval \"$(./edx up" + dir
        + " --output env)\"; stop it with ./edx down" + dir + ".");
    return 0;
  }

  /** {@code ""} for the default data directory, else {@code " --data-dir DIR"}. */
  static String dataOption(Path dataDirectory) {
    return dataDirectory.equals(Path.of(".edx/embedded")) ? ""
        : " --data-dir " + dataDirectory;
  }
}
