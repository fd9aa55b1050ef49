package dev.edx.gha.cli;

import dev.edx.api.spi.EnvironmentFactory;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The pipeline's commands under a root command, as edx-cli's {@code edx} mounts them, for the
 * pipeline's own tests (in-process, or in a JVM of their own through {@link #main}).
 */
@Command(name = "edx", mixinStandardHelpOptions = true)
public final class GhaCli {
  @CommandLine.Option(names = CommandLines.DEBUG, scope = CommandLine.ScopeType.INHERIT,
      description = "On an error, also print its stack trace.")
  boolean debug;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs {@code edx args} with the pipeline's commands and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new GhaCli());
    GhaCommands.create().forEach(commandLine::addSubcommand);
    return CommandLines.execute(commandLine, args, out, err);
  }

  /** The factory the commands open environments with. */
  public static EnvironmentFactory factory() {
    return EnvironmentOptions.factory();
  }
}
