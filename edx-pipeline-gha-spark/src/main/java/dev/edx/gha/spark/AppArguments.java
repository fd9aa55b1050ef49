package dev.edx.gha.spark;

import static java.util.Objects.requireNonNull;

import dev.edx.gha.Hour;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The application's arguments (see the module README, "The argument contract"), parsed once.
 *
 * @param step {@code convert} or {@code tables}
 * @param hours the hours of {@code convert}, empty for {@code tables}
 * @param tables the tables file of {@code tables}, when given
 */
record AppArguments(String step, String env, String run, String rawBucket, String lakeBucket,
    String datamartBucket, List<Hour> hours, boolean force, Optional<String> tables) {

  static final String USAGE = """
      usage: GhaSparkApp convert --env ENV_SPEC --run RUN_ID --raw-bucket RAW --lake-bucket LAKE \
      --hours 2015-01-01T15,2015-01-01T16 [--force]
             GhaSparkApp tables  --env ENV_SPEC --run RUN_ID --lake-bucket LAKE \
      --datamart-bucket DM [--tables TABLES_YAML]""";

  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "convert", Set.of("--env", "--run", "--raw-bucket", "--lake-bucket", "--hours", "--force"),
      "tables", Set.of("--env", "--run", "--lake-bucket", "--datamart-bucket", "--tables"));
  private static final Map<String, Set<String>> REQUIRED = Map.of(
      "convert", Set.of("--env", "--run", "--raw-bucket", "--lake-bucket", "--hours"),
      "tables", Set.of("--env", "--run", "--lake-bucket", "--datamart-bucket"));

  AppArguments {
    requireNonNull(step, "step is null");
    hours = List.copyOf(hours);
    requireNonNull(tables, "tables is null");
  }

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException naming the bad argument, with the usage
   */
  static AppArguments parse(String... args) {
    if (args.length == 0 || !OPTIONS.containsKey(args[0])) {
      throw bad("the first argument is the step, convert or tables"
          + (args.length == 0 ? "" : " (not '" + args[0] + "')"));
    }
    String step = args[0];
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String option = args[i];
      if (!OPTIONS.get(step).contains(option)) {
        throw bad("unknown option '" + option + "' of " + step);
      }
      if (values.containsKey(option)) {
        throw bad("option " + option + " given twice");
      }
      if (option.equals("--force")) {
        values.put(option, "true");
        continue;
      }
      if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
        throw bad("option " + option + " needs a value");
      }
      values.put(option, args[++i]);
    }
    for (String option : REQUIRED.get(step)) {
      if (!values.containsKey(option) || values.get(option).isBlank()) {
        throw bad("option " + option + " is required for " + step);
      }
    }
    List<Hour> hours = new ArrayList<>();
    if (values.containsKey("--hours")) {
      for (String h : values.get("--hours").split(",")) {
        if (!h.isBlank()) {
          try {
            hours.add(Hour.parse(h));
          } catch (IllegalArgumentException e) {
            throw bad("--hours: " + e.getMessage());
          }
        }
      }
      if (hours.isEmpty()) {
        throw bad("--hours names no hour");
      }
    }
    return new AppArguments(step, values.get("--env"), values.get("--run"),
        values.getOrDefault("--raw-bucket", ""), values.get("--lake-bucket"),
        values.getOrDefault("--datamart-bucket", ""), hours, values.containsKey("--force"),
        Optional.ofNullable(values.get("--tables")));
  }

  private static IllegalArgumentException bad(String why) {
    return new IllegalArgumentException("Invalid arguments: " + why + "\n" + USAGE);
  }
}
