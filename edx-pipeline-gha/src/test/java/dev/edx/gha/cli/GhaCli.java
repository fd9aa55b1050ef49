package dev.edx.gha.cli;

import dev.edx.api.exceptions.EdxException;
import dev.edx.api.spi.EnvironmentFactory;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The pipeline's commands under a root command, as edx-cli's {@code edx} mounts them, for the
 * pipeline's own tests (in-process, or in a JVM of their own through {@link #main}).
 */
@Command(name = "edx", mixinStandardHelpOptions = true)
public final class GhaCli {

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs {@code edx args} with the pipeline's commands and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new GhaCli());
    GhaCommands.create().forEach(commandLine::addSubcommand);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof EdxException || e instanceof IllegalArgumentException
          || e instanceof UncheckedIOException) {
        cmd.getErr().println("edx: " + e.getMessage());
        return 1;
      }
      throw e;
    });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The factory the commands open environments with. */
  public static EnvironmentFactory factory() {
    return EnvironmentOptions.factory();
  }
}
