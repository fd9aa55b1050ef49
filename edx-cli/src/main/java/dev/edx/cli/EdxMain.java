package dev.edx.cli;

import dev.edx.api.Environment;
import dev.edx.core.Environments;
import dev.edx.embedded.EmbeddedEnvironments;
import dev.edx.gha.cli.CommandLines;
import dev.edx.gha.cli.GhaCommands;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code edx} command line: {@code env} and {@code doctor} on edx-core's API, the embedded
 * environment from edx-embedded, and the GH Archive pipeline's commands ({@code demo}, {@code gha},
 * {@code sql}) from edx-pipeline-gha.
 */
@Command(
    name = "edx",
    mixinStandardHelpOptions = true,
    version = "edx 0.1.0-SNAPSHOT",
    description = "Environment as code for big-data platforms.")
public final class EdxMain implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // With a platform up, `edx sql` runs in its warm JVM: nothing else is loaded here.
    java.util.OptionalInt onPlatform = PlatformClient.forward(args, System.out, System.err);
    if (onPlatform.isPresent()) {
      System.exit(onPlatform.getAsInt());
    }
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  @Option(names = CommandLines.DEBUG, scope = CommandLine.ScopeType.INHERIT,
      description = "On an error, also print its stack trace.")
  boolean debug;

  /** Runs the command line and returns the exit code; for tests and embedding. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new EdxMain());
    GhaCommands.create().forEach(commandLine::addSubcommand);
    commandLine.addSubcommand(new EnvCommand());
    commandLine.addSubcommand(new TablesCommand());
    commandLine.addSubcommand(new DoctorCommand());
    commandLine.addSubcommand(new UpCommand());
    commandLine.addSubcommand(new DownCommand());
    commandLine.addSubcommand(new StatusCommand());
    commandLine.addSubcommand(new PlatformDaemonCommand());
    commandLine.setExecutionStrategy(EdxMain::execute);
    return CommandLines.execute(commandLine, args, out, err);
  }

  /**
   * Runs the parsed command; {@code edx demo} without {@code --env} first starts the platform of
   * its data directory (unless it runs), and ends by saying how to reach it.
   */
  private static int execute(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult sub = parsed.subcommand();
    boolean demo = sub != null && sub.commandSpec().name().equals("demo")
        && !sub.hasMatchedOption("--env") && !sub.isUsageHelpRequested()
        && !sub.isVersionHelpRequested();
    if (!demo) {
      return new CommandLine.RunLast().execute(parsed);
    }
    CommandLine command = sub.commandSpec().commandLine();
    Path dataDirectory = sub.matchedOptionValue("--data-dir", Path.of(".edx/embedded"));
    PlatformControl.Started started;
    try {
      command.getOut().println("edx demo: on the platform in "
          + dataDirectory.toAbsolutePath().normalize() + " (./edx up"
          + UpCommand.dataOption(dataDirectory) + ")");
      command.getOut().flush();
      started = new PlatformControl().up(dataDirectory, PlatformControl.START_TIMEOUT);
    } catch (RuntimeException e) {
      throw new CommandLine.ExecutionException(command, e.getMessage(), e);
    }
    command.getOut().println(started.started() ? String.format(java.util.Locale.ROOT,
        "edx demo: platform started in %.1f s (pid %d)", started.took().toMillis() / 1000.0,
        started.info().pid()) : "edx demo: platform already running (pid "
        + started.info().pid() + ")");
    int code = new CommandLine.RunLast().execute(parsed);
    if (code == 0) {
      command.getOut().println();
      PlatformControl.howToReach(started.info(), UpCommand.dataOption(dataDirectory))
          .forEach(command.getOut()::println);
    }
    return code;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Options every command that opens an environment shares. */
  static final class EnvironmentOptions {
    @Option(names = "--env", paramLabel = "SPEC",
        description = "Environment spec file (YAML or JSON). Default: the embedded environment.")
    Path spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".edx/embedded",
        description = "Where the embedded environment keeps its data (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    Environment open() {
      return spec != null ? Environments.open(spec)
          : EmbeddedEnvironments.openPersistent(dataDirectory);
    }

    String describe() {
      return spec != null ? "spec " + spec : "embedded environment in " + dataDirectory;
    }
  }
}
