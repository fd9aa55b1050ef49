package dev.edx.gha;

import dev.edx.api.Environment;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.spi.EnvironmentFactory;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code edx} command line: a thin main over the edx API. It finds the environment
 * implementation (edx-core) at runtime through {@link EnvironmentFactory}, so this module compiles
 * against edx-api alone.
 */
@Command(
    name = "edx",
    mixinStandardHelpOptions = true,
    version = "edx 0.1.0-SNAPSHOT",
    description = "Environment as code for big-data platforms.",
    subcommands = {DemoCommand.class, GhaCommand.class, SqlCommand.class, EnvCommand.class,
        DoctorCommand.class})
public final class EdxMain implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line and returns the exit code; for tests and embedding. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new EdxMain());
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
      EnvironmentFactory factory = factory();
      return spec != null ? factory.open(spec) : factory.openEmbedded(dataDirectory);
    }

    String describe() {
      return spec != null ? "spec " + spec : "embedded environment in " + dataDirectory;
    }

    /** The factory of highest priority on the class path. */
    static EnvironmentFactory factory() {
      return ServiceLoader.load(EnvironmentFactory.class).stream()
          .map(ServiceLoader.Provider::get)
          .max(Comparator.comparingInt(EnvironmentFactory::priority))
          .orElseThrow(() -> new IllegalStateException("Cannot open an environment: no "
              + EnvironmentFactory.class.getName() + " on the class path; add edx-core"));
    }
  }
}
