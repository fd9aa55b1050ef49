package dev.edx.cli;

import dev.edx.api.Environment;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edx env}: environments at will. Reconciles a spec against what exists (there is no state
 * file): {@code plan} shows the changes, {@code apply} makes them, {@code destroy} removes what the
 * environment owns; {@code new} and {@code gc} manage ephemeral environments derived from a base.
 */
@Command(name = "env", mixinStandardHelpOptions = true,
    description = "Validate, plan, apply and destroy environments; derive ephemeral ones.",
    subcommands = {EnvCommand.Validate.class, EnvCommand.Plan.class, EnvCommand.Apply.class,
        EnvCommand.Destroy.class, EnvCommand.Status.class, EnvCommand.Render.class,
        EnvCommand.New.class, EnvCommand.Gc.class, EnvCommand.Schema.class})
final class EnvCommand implements Callable<Integer> {
  /** Exit code of {@code plan --detailed-exitcode} when there are changes (as terraform). */
  static final int CHANGES_PENDING = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  enum Output { TEXT, JSON }

  /** What every {@code env} subcommand shares. */
  abstract static class Base implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
        converter = OutputConverter.class, description = "text (default) or json")
    Output output;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    static EnvironmentOperations environments() {
      return new EnvironmentOperations();
    }

    void print(String title, List<Change> changes, boolean showUnchanged) {
      if (output == Output.JSON) {
        out().println(json(changes));
        return;
      }
      out().println(title);
      for (Change c : changes) {
        if (c.action() == Change.Action.NONE && !showUnchanged) {
          continue;
        }
        out().printf("  %s %-9s %-32s %s%n", symbol(c.action()), c.service(), c.resource(),
            c.detail());
      }
      out().println(summary(changes));
    }

    boolean confirm(String question, boolean autoApprove) {
      if (autoApprove) {
        return true;
      }
      out().print(question + " Only 'yes' will be accepted: ");
      out().flush();
      try {
        String answer = new BufferedReader(new InputStreamReader(System.in,
            StandardCharsets.UTF_8)).readLine();
        return "yes".equals(answer == null ? null : answer.trim());
      } catch (IOException e) {
        return false;
      }
    }
  }

  static boolean hasChanges(List<Change> changes) {
    return changes.stream().anyMatch(c -> c.action() != Change.Action.NONE
        && c.action() != Change.Action.RETAIN);
  }

  static String symbol(Change.Action action) {
    return switch (action) {
      case CREATE -> "+";
      case UPDATE -> "~";
      case DELETE -> "-";
      case RETAIN -> "!";
      case NONE -> "=";
    };
  }

  static String summary(List<Change> changes) {
    Map<Change.Action, Integer> counts = new EnumMap<>(Change.Action.class);
    changes.forEach(c -> counts.merge(c.action(), 1, Integer::sum));
    return String.format(Locale.ROOT,
        "%d to create, %d to update, %d to delete, %d kept, %d unchanged.",
        counts.getOrDefault(Change.Action.CREATE, 0), counts.getOrDefault(Change.Action.UPDATE, 0),
        counts.getOrDefault(Change.Action.DELETE, 0), counts.getOrDefault(Change.Action.RETAIN, 0),
        counts.getOrDefault(Change.Action.NONE, 0));
  }

  static String json(List<Change> changes) {
    StringBuilder sb = new StringBuilder("{\"changes\":[");
    String sep = "";
    for (Change c : changes) {
      sb.append(sep).append("{\"service\":").append(quote(c.service()))
          .append(",\"resource\":").append(quote(c.resource()))
          .append(",\"action\":").append(quote(c.action().name().toLowerCase(Locale.ROOT)))
          .append(",\"detail\":").append(quote(c.detail())).append('}');
      sep = ",";
    }
    return sb.append("],\"changed\":").append(hasChanges(changes)).append('}').toString();
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (ch < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Parse the spec strictly and open the environment (resolving its references),"
          + " then close it.")
  static final class Validate extends Base {
    @Option(names = "--env", paramLabel = "SPEC", required = true, description = "The spec.")
    Path specFile;

    @Override
    public Integer call() {
      try (Environment env = environments().open(specFile)) {
        out().println(output == Output.JSON ? "{\"valid\":true,\"environment\":"
            + quote(env.name()) + "}" : specFile + " is valid: environment '" + env.name()
            + "' opens");
      }
      return 0;
    }
  }

  @Command(name = "plan", mixinStandardHelpOptions = true,
      description = "Show what apply would change, without changing anything.")
  static final class Plan extends Base {
    @Option(names = "--env", paramLabel = "SPEC", required = true, description = "The spec.")
    Path specFile;

    @Option(names = "--detailed-exitcode",
        description = "Exit 0 when there are no changes, 2 when there are, 1 on error.")
    boolean detailedExitCode;

    @Override
    public Integer call() {
      List<Change> changes = environments().plan(specFile);
      print("Plan for " + specFile + ":", changes, false);
      return detailedExitCode && hasChanges(changes) ? CHANGES_PENDING : 0;
    }
  }

  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = "Make what the spec declares exist. Idempotent.")
  static final class Apply extends Base {
    @Option(names = "--env", paramLabel = "SPEC", required = true, description = "The spec.")
    Path specFile;

    @Option(names = "--auto-approve", description = "Apply without asking.")
    boolean autoApprove;

    @Override
    public Integer call() {
      EnvironmentOperations environments = environments();
      List<Change> planned = environments.plan(specFile);
      if (!hasChanges(planned)) {
        print("No changes: " + specFile + " matches what exists.", planned, false);
        return 0;
      }
      if (output == Output.TEXT) {
        print("edx will make these changes for " + specFile + ":", planned, false);
      }
      if (!confirm("Apply these changes?", autoApprove)) {
        out().println("Apply cancelled.");
        return 1;
      }
      print("Applied " + specFile + ":", environments.apply(specFile), false);
      return 0;
    }
  }

  @Command(name = "destroy", mixinStandardHelpOptions = true,
      description = "Remove what the environment owns. Data-holding resources are kept unless"
          + " --purge.")
  static final class Destroy extends Base {
    @Option(names = "--env", paramLabel = "SPEC", required = true, description = "The spec.")
    Path specFile;

    @Option(names = "--purge", description = "Also delete buckets, databases and secrets that"
        + " hold data (default: keep them).")
    boolean purge;

    @Option(names = "--auto-approve", description = "Destroy without asking.")
    boolean autoApprove;

    @Override
    public Integer call() {
      DataPolicy policy = purge ? DataPolicy.PURGE : DataPolicy.RETAIN;
      if (!confirm("Destroy what environment " + specFile + " owns"
          + (purge ? ", with its data" : "") + "?", autoApprove)) {
        out().println("Destroy cancelled.");
        return 1;
      }
      print("Destroyed " + specFile + " (data policy " + policy.name().toLowerCase(Locale.ROOT)
          + "):", environments().destroy(specFile, policy), true);
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Every declared resource and whether it is as declared.")
  static final class Status extends Base {
    @Option(names = "--env", paramLabel = "SPEC", required = true, description = "The spec.")
    Path specFile;

    @Override
    public Integer call() {
      List<Change> changes = environments().plan(specFile);
      print("Status of " + specFile + (hasChanges(changes) ? " (out of date: run edx env apply)"
          : " (up to date)") + ":", changes, true);
      return 0;
    }
  }

  @Command(name = "render", mixinStandardHelpOptions = true,
      description = "Print the effective spec (extends resolved, secrets masked).")
  static final class Render extends Base {
    @Option(names = "--env", paramLabel = "SPEC", required = true, description = "The spec.")
    Path specFile;

    @Override
    public Integer call() {
      out().print(environments().render(specFile));
      return 0;
    }
  }

  @Command(name = "new", mixinStandardHelpOptions = true,
      description = "Derive an isolated environment from a base spec and apply it.")
  static final class New extends Base {
    @Parameters(index = "0", paramLabel = "NAME",
        description = "Its name, also the prefix of its buckets, databases and secrets.")
    String name;

    @Option(names = "--from", paramLabel = "BASE", required = true, description = "Base spec.")
    Path base;

    @Option(names = "--ttl", paramLabel = "DURATION",
        description = "Expire after this long (30m, 24h, 7d); edx env gc destroys it then.")
    String ttl;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".edx/envs",
        description = "Where ephemeral specs live (default: ${DEFAULT-VALUE}).")
    Path directory;

    @Override
    public Integer call() {
      EnvironmentOperations environments = environments();
      Path file = environments.derive(base, name, Optional.ofNullable(ttl).map(New::duration),
          directory);
      print("Created environment '" + name + "' (" + file + "):", environments.apply(file), false);
      return 0;
    }

    static Duration duration(String text) {
      String t = text.trim();
      if (t.matches("\\d+[smhd]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      throw new IllegalArgumentException("Invalid --ttl '" + text
          + "': use a number and a unit, such as 30m, 24h or 7d");
    }
  }

  @Command(name = "gc", mixinStandardHelpOptions = true,
      description = "Destroy (with purge) the ephemeral environments that have expired.")
  static final class Gc extends Base {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".edx/envs",
        description = "Where ephemeral specs live (default: ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--auto-approve", description = "Destroy without asking.")
    boolean autoApprove;

    @Override
    public Integer call() throws IOException {
      EnvironmentOperations environments = environments();
      List<Path> expired = environments.expired(directory);
      if (expired.isEmpty()) {
        out().println("No expired environments in " + directory + ".");
        return 0;
      }
      if (!confirm("Destroy " + expired.size() + " expired environment(s) " + expired
          + " with their data?", autoApprove)) {
        out().println("Gc cancelled.");
        return 1;
      }
      for (Path file : expired) {
        print("Destroyed expired " + file + ":", environments.destroy(file, DataPolicy.PURGE),
            false);
        Files.delete(file);
      }
      return 0;
    }
  }

  @Command(name = "schema", mixinStandardHelpOptions = true,
      description = "Print the JSON Schema of environment specs, for editors.")
  static final class Schema extends Base {
    @Override
    public Integer call() {
      out().print(environments().schema());
      return 0;
    }
  }

  /** Parses {@code --output}. */
  static final class OutputConverter implements CommandLine.ITypeConverter<Output> {
    @Override
    public Output convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "text" -> Output.TEXT;
        case "json" -> Output.JSON;
        default -> throw new CommandLine.TypeConversionException(
            "Invalid --output '" + value + "': use text or json");
      };
    }
  }
}
