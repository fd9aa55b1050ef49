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
    return CommandLines.execute(commandLine, args, out, err);
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
