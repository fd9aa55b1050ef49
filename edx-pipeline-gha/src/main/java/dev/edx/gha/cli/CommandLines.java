package dev.edx.gha.cli;

import dev.edx.api.exceptions.ConfigurationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What every {@code edx} command line shares: its exit codes, one-line errors and {@code --debug}.
 * Not public API: public only so that edx-cli's {@code EdxMain} configures itself with it.
 *
 * <p>Exit codes: 0 ok, 1 error, 2 only for {@code --detailed-exitcode} changes, 64 for usage
 * errors (picocli's default 2 would read as "changes" to a CI job).
 */
public final class CommandLines {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** The command failed. */
  public static final int ERROR = 1;
  /** {@code --detailed-exitcode}: there are changes. */
  public static final int CHANGES = 2;
  /** The command line is wrong (as BSD's {@code EX_USAGE}). */
  public static final int USAGE = 64;

  /** The name of the global option that shows the stack trace of an error. */
  public static final String DEBUG = "--debug";

  private CommandLines() {}

  /** The exit codes, as {@code edx --help} lists them. */
  public static Map<String, String> exitCodes() {
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put(" " + OK, "Success (and, with --detailed-exitcode, no changes).");
    codes.put(" " + ERROR, "Error: the message on stderr says what failed and how to fix it.");
    codes.put(" " + CHANGES, "Only with --detailed-exitcode: there are changes.");
    codes.put(String.valueOf(USAGE), "Usage error: an unknown option, a missing or bad value.");
    return codes;
  }

  /**
   * Runs {@code commandLine} with {@code args} and returns the exit code: usage errors are one
   * line and 64, any other error one line and 1 ({@code --debug} adds the stack trace). The root
   * command's usage help gets the exit-code section.
   */
  public static int execute(CommandLine commandLine, String[] args, PrintWriter out,
      PrintWriter err) {
    boolean debug = debug(args);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(exitCodes());
    commandLine.setParameterExceptionHandler((e, a) -> {
      e.getCommandLine().getErr().println(usageMessage(e));
      if (debug) {
        e.printStackTrace(e.getCommandLine().getErr());
      }
      return USAGE;
    });
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("edx: " + message(e) + (debug || known(e) ? ""
          : " (run again with --debug for the stack trace)"));
      if (debug) {
        e.printStackTrace(cmd.getErr());
      }
      return ERROR;
    });
    int code;
    try {
      code = commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
    return code;
  }

  static boolean debug(String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (arg.equals(DEBUG)) {
        return true;
      }
    }
    return false;
  }

  /** An error whose message alone says what happened: edx's own, a bad argument, I/O. */
  private static boolean known(Throwable e) {
    return e.getClass().getName().startsWith("dev.edx.") || e instanceof IllegalArgumentException
        || e instanceof UncheckedIOException || e instanceof IOException;
  }

  /**
   * One line: the message of an edx exception, or the type and message of any other. A spec with
   * several mistakes gets a line for each, under a heading line.
   */
  static String message(Throwable e) {
    if (e instanceof ConfigurationException c && c.problems().size() > 1) {
      StringBuilder lines = new StringBuilder(c.problems().size() + " problems in the spec:");
      c.problems().forEach(p -> lines.append(System.lineSeparator()).append("  ")
          .append(oneLine(p.getMessage())));
      return lines.toString();
    }
    String text = e.getMessage() == null || e.getMessage().isBlank() ? "" : e.getMessage();
    String line = known(e) && !text.isEmpty() ? text
        : e.getClass().getSimpleName() + (text.isEmpty() ? "" : ": " + text);
    if (e.getCause() != null && text.isEmpty()) {
      line += " (caused by " + message(e.getCause()) + ")";
    }
    return oneLine(line);
  }

  static String oneLine(String text) {
    return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  static String usageMessage(ParameterException e) {
    String help = "'" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'";
    StringBuilder line = new StringBuilder("edx: ").append(oneLine(e.getMessage()));
    if (e instanceof UnmatchedArgumentException u) {
      List<String> suggestions = u.getSuggestions();
      if (!suggestions.isEmpty()) {
        line.append("; did you mean ").append(String.join(" or ",
            suggestions.subList(0, Math.min(3, suggestions.size())))).append('?');
      }
    }
    return line.append(" (see ").append(help).append(')').toString();
  }

  /** A usage error of {@code spec}'s command: exit code 64, one line naming the option. */
  public static ParameterException usage(CommandLine.Model.CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
