package dev.edx.cli;

import dev.edx.embedded.Platform;
import dev.edx.embedded.PlatformInfo;
import dev.edx.embedded.PlatformOptions;
import dev.edx.embedded.PlatformService;
import dev.edx.gha.cli.CommandLines;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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
        "With --with kafka, the platform also runs a Kafka broker (KRaft, in its JVM, data"
            + " in DIR/kafka), declared in DIR/environment.yaml as the data store 'events'. The"
            + " data directory remembers it (DIR/platform-options.json): the next edx up starts"
            + " it again until --without kafka.",
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

  @Option(names = "--with", paramLabel = "SERVICE", split = ",",
      description = "An optional service to run too, remembered by the data directory:"
          + " kafka (a Kafka broker). Repeat or separate with commas.")
  List<String> with = new ArrayList<>();

  @Option(names = "--without", paramLabel = "SERVICE", split = ",",
      description = "An optional service the data directory should no longer start.")
  List<String> without = new ArrayList<>();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    String format = output.toLowerCase(Locale.ROOT);
    if (!format.equals("text") && !format.equals("env")) {
      throw CommandLines.usage(spec, "Invalid --output '" + output + "': use text or env");
    }
    Path dir = dataDirectory.toAbsolutePath().normalize();
    PlatformOptions options = options(dir);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter progressTo = format.equals("text") ? out : err;
    if (format.equals("text")) {
      out.println("edx up: starting the platform in " + dir
          + (options.with().isEmpty() ? "" : " " + options.describe())
          + " (if it is not running)...");
      out.flush();
    }
    PlatformControl.Started started = new PlatformControl().up(dataDirectory,
        Duration.ofSeconds(timeoutSeconds), step -> {
          progressTo.println("  " + step + "...");
          progressTo.flush();
        });
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
    String option = dataOption(dataDirectory);
    out.println("Shell exports for the AWS CLI, psql and Spark: eval \"$(./edx up" + option
        + " --output env)\"; stop it with ./edx down" + option + ".");
    return 0;
  }

  /**
   * The options the platform of {@code dir} is to start with: what the directory remembers, with
   * {@code --with} added and {@code --without} removed, each name checked against the optional
   * services of this class path; written back when they changed. A platform that runs with
   * other options is a usage error saying how to restart it.
   */
  private PlatformOptions options(Path dir) {
    Map<String, String> known = new TreeMap<>();
    PlatformDaemonCommand.factories().stream().filter(PlatformService.Factory::optional)
        .forEach(f -> known.put(f.name(), f.description()));
    for (String[] option : List.of(with.toArray(String[]::new), without.toArray(String[]::new))) {
      for (String name : option) {
        if (!known.containsKey(name.strip().toLowerCase(Locale.ROOT))) {
          throw CommandLines.usage(spec, "Unknown service '" + name + "' for "
              + (with.contains(name) ? "--with" : "--without") + ": "
              + (known.isEmpty() ? "this edx has no optional service"
                  : "use " + known.entrySet().stream()
                      .map(e -> e.getKey() + " (" + e.getValue() + ")")
                      .collect(Collectors.joining(", "))));
        }
      }
    }
    PlatformOptions remembered = PlatformOptions.read(dir);
    Set<String> names = new TreeSet<>(remembered.with());
    with.forEach(n -> names.add(n.strip().toLowerCase(Locale.ROOT)));
    without.forEach(n -> names.remove(n.strip().toLowerCase(Locale.ROOT)));
    PlatformOptions wanted = new PlatformOptions(names);
    Optional<PlatformInfo> running = Platform.find(dir);
    if (running.isPresent() && !running.get().with().equals(wanted.with())) {
      String now = running.get().with().isEmpty() ? "without optional services"
          : "with " + String.join(", ", running.get().with());
      throw CommandLines.usage(spec, "The platform in " + dir + " runs " + now + ": stop it"
          + " first (./edx down" + dataOption(dataDirectory) + "), then ./edx up"
          + dataOption(dataDirectory) + (wanted.with().isEmpty() ? "" : " --with "
              + String.join(",", wanted.with())));
    }
    if (!wanted.equals(remembered)) {
      wanted.write(dir);
    }
    return wanted;
  }

  /** {@code ""} for the default data directory, else {@code " --data-dir DIR"}. */
  static String dataOption(Path dataDirectory) {
    return dataDirectory.equals(Path.of(".edx/embedded")) ? ""
        : " --data-dir " + dataDirectory;
  }
}
