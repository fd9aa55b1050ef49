package dev.edx.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.edx.api.Environment;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.gha.cli.CommandLines;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
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
  static final int CHANGES_PENDING = CommandLines.CHANGES;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  enum Output { TEXT, JSON }

  /** The version of the JSON documents {@code --output json} prints. */
  static final int FORMAT_VERSION = 1;

  static final ObjectMapper JSON = new ObjectMapper();

  /** What every {@code env} subcommand that prints a result shares. */
  abstract static class Base implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
        converter = OutputConverter.class,
        description = "text (default) or json: one JSON document on stdout, with"
            + " \"formatVersion\": " + FORMAT_VERSION + ".")
    Output output;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    static EnvironmentOperations environments() {
      return new EnvironmentOperations();
    }

    /** A JSON document of this command: its format version, then {@code fields}. */
    ObjectNode document() {
      ObjectNode node = JSON.createObjectNode();
      node.put("formatVersion", FORMAT_VERSION);
      node.put("command", spec.qualifiedName().replaceFirst("^edx ", ""));
      return node;
    }

    void printJson(ObjectNode document) {
      try {
        out().println(JSON.writeValueAsString(document));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("Cannot write the JSON output", e);
      }
    }

    void print(String title, List<Change> changes, boolean showUnchanged) {
      if (output == Output.JSON) {
        printJson(withChanges(document(), changes));
        return;
      }
      printText(out(), title, changes, showUnchanged);
    }

    /**
     * In text mode, nothing; with {@code --output json}, a command that would ask must be told
     * {@code --auto-approve}: JSON goes to a program, which cannot answer.
     */
    void checkCanAsk(boolean autoApprove) {
      if (output == Output.JSON && !autoApprove) {
        throw CommandLines.usage(spec, "--output json needs --auto-approve: edx does not ask"
            + " for confirmation when its output is for a program");
      }
    }

    /** Asks on the terminal (stderr, the answer from the console or stdin): only "yes" is yes. */
    boolean confirm(String question, boolean autoApprove) {
      if (autoApprove) {
        return true;
      }
      PrintWriter terminal = spec.commandLine().getErr();
      terminal.print(question + " Only 'yes' will be accepted: ");
      terminal.flush();
      try {
        Console console = System.console();
        String answer = console != null ? console.readLine() : new BufferedReader(
            new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return "yes".equals(answer == null ? null : answer.trim());
      } catch (IOException e) {
        return false;
      }
    }
  }

  static void printText(PrintWriter out, String title, List<Change> changes,
      boolean showUnchanged) {
    out.println(title);
    for (Change c : changes) {
      if (c.action() == Change.Action.NONE && !showUnchanged) {
        continue;
      }
      out.printf("  %s %-9s %-32s %s%n", symbol(c.action()), c.service(), c.resource(),
          c.detail());
    }
    out.println(summary(changes));
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

  /** Adds {@code changes}, their counts per action and {@code changed} to {@code node}. */
  static ObjectNode withChanges(ObjectNode node, List<Change> changes) {
    ArrayNode list = node.putArray("changes");
    Map<Change.Action, Integer> counts = new EnumMap<>(Change.Action.class);
    for (Change.Action action : Change.Action.values()) {
      counts.put(action, 0);
    }
    for (Change c : changes) {
      list.addObject().put("service", c.service()).put("resource", c.resource())
          .put("action", c.action().name().toLowerCase(Locale.ROOT)).put("detail", c.detail());
      counts.merge(c.action(), 1, Integer::sum);
    }
    ObjectNode countNode = node.putObject("counts");
    counts.forEach((action, n) -> countNode.put(action.name().toLowerCase(Locale.ROOT), n));
    node.put("changed", hasChanges(changes));
    return node;
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
        if (output == Output.JSON) {
          printJson(document().put("valid", true).put("environment", env.name()));
        } else {
          out().println(specFile + " is valid: environment '" + env.name() + "' opens");
        }
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
      checkCanAsk(autoApprove);
      EnvironmentOperations environments = environments();
      List<Change> planned = environments.plan(specFile);
      if (!hasChanges(planned)) {
        print("No changes: " + specFile + " matches what exists.", planned, false);
        return 0;
      }
      if (output == Output.TEXT) {
        printText(out(), "edx will make these changes for " + specFile + ":", planned, false);
        out().flush();
      }
      if (!autoApprove) {
        if (!confirm("Apply these changes?", false)) {
          out().println("Apply cancelled.");
          return 1;
        }
        requireUnchanged("apply", planned, environments.plan(specFile));
      }
      print("Applied " + specFile + ":", environments.apply(specFile), false);
      return 0;
    }
  }

  /**
   * Stops when what would be done now differs from what was shown and approved: edx does exactly
   * what it showed, or nothing.
   */
  static void requireUnchanged(String verb, List<Change> shown, List<Change> now) {
    if (new HashSet<>(shown).equals(new HashSet<>(now))) {
      return;
    }
    List<String> differences = new ArrayList<>();
    now.stream().filter(c -> !shown.contains(c)).forEach(c -> differences.add("now " + c));
    shown.stream().filter(c -> !now.contains(c)).forEach(c -> differences.add("was " + c));
    throw new IllegalStateException("Cannot " + verb + ": the environment changed after the"
        + " plan was shown (" + String.join("; ", differences) + "); nothing was done, run edx"
        + " env " + verb + " again to see the new plan");
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
      checkCanAsk(autoApprove);
      DataPolicy policy = purge ? DataPolicy.PURGE : DataPolicy.RETAIN;
      EnvironmentOperations environments = environments();
      String policyName = policy.name().toLowerCase(Locale.ROOT);
      List<Change> shown = environments.planDestroy(specFile, policy);
      if (output == Output.TEXT) {
        printText(out(), "edx will destroy what environment " + specFile + " owns (data policy "
            + policyName + (purge ? ": resources holding data are deleted with it):"
            : ": resources holding data are kept; --purge deletes them too):"), shown, true);
        out().flush();
      }
      if (!autoApprove) {
        if (!confirm("Destroy what environment " + specFile + " owns"
            + (purge ? ", with its data" : "") + "?", false)) {
          out().println("Destroy cancelled.");
          return 1;
        }
        requireUnchanged("destroy", shown, environments.planDestroy(specFile, policy));
      }
      List<Change> done = environments.destroy(specFile, policy);
      if (output == Output.JSON) {
        ObjectNode document = withChanges(document(), done);
        withChanges(document.putObject("planned"), shown);
        printJson(document);
      } else {
        printText(out(), "Destroyed " + specFile + " (data policy " + policyName + "):", done,
            true);
      }
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
    public Integer call() throws IOException {
      String yaml = environments().render(specFile);
      if (output == Output.JSON) {
        ObjectNode document = document();
        document.set("environment", new YAMLMapper().readTree(yaml));
        printJson(document);
      } else {
        out().print(yaml);
      }
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
      List<Change> changes = environments.apply(file);
      if (output == Output.JSON) {
        printJson(withChanges(document().put("environment", name).put("file", file.toString()),
            changes));
      } else {
        printText(out(), "Created environment '" + name + "' (" + file + "):", changes, false);
      }
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
      checkCanAsk(autoApprove);
      EnvironmentOperations environments = environments();
      List<Path> expired = environments.expired(directory);
      ObjectNode document = document();
      ArrayNode destroyed = document.putArray("destroyed");
      if (expired.isEmpty()) {
        if (output == Output.JSON) {
          printJson(document.put("count", 0));
        } else {
          out().println("No expired environments in " + directory + ".");
        }
        return 0;
      }
      if (!confirm("Destroy " + expired.size() + " expired environment(s) " + expired
          + " with their data?", autoApprove)) {
        out().println("Gc cancelled.");
        return 1;
      }
      for (Path file : expired) {
        List<Change> changes = environments.destroy(file, DataPolicy.PURGE);
        if (output == Output.JSON) {
          withChanges(destroyed.addObject().put("file", file.toString()), changes);
        } else {
          printText(out(), "Destroyed expired " + file + ":", changes, false);
        }
        Files.delete(file);
      }
      if (output == Output.JSON) {
        printJson(document.put("count", expired.size()));
      }
      return 0;
    }
  }

  @Command(name = "schema", mixinStandardHelpOptions = true,
      description = "Print the JSON Schema of environment specs, for editors.")
  static final class Schema implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(new EnvironmentOperations().schema());
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
