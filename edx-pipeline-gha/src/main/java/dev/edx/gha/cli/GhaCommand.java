package dev.edx.gha.cli;

import dev.edx.api.Environment;
import dev.edx.api.Resources;
import dev.edx.gha.GhaPipeline;
import dev.edx.gha.Hour;
import dev.edx.gha.SparkEngine;
import dev.edx.gha.export.TableExporter;
import dev.edx.gha.publish.EventPublisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edx gha ingest|convert|tables|run}: the GH Archive pipeline's steps. Each step shows only
 * the options it uses, and every option is checked before the environment is opened: a wrong one
 * is a usage error (exit code 64) naming it.
 */
@Command(name = "gha", mixinStandardHelpOptions = true,
    description = "The GH Archive pipeline: ingest, convert (json2parquet), tables, or run all;"
        + " export a table to a relational data store, publish hours to a Kafka topic.")
final class GhaCommand {

  @Spec
  CommandSpec spec;

  /** Which hours: {@code --from}/{@code --to} or {@code --back-days}. */
  static final class HourOptions {
    @Option(names = "--from", paramLabel = "YYYY-MM-DDTHH", description = "First hour (UTC).")
    String from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DDTHH",
        description = "Last hour (UTC, included; default: --from).")
    String to;

    @Option(names = "--back-days", paramLabel = "N",
        description = "The last N days (N >= 1) up to the current hour, instead of --from/--to.")
    Integer backDays;

    List<Hour> hours(CommandSpec spec) {
      if (backDays != null) {
        if (from != null || to != null) {
          throw CommandLines.usage(spec, "Give either --back-days or --from/--to, not both");
        }
        if (backDays < 1) {
          throw CommandLines.usage(spec, "Invalid --back-days " + backDays
              + ": give a number of days of at least 1");
        }
        Hour last = Hour.containing(Instant.now().minus(1, ChronoUnit.HOURS));
        return Hour.range(new Hour(last.start().minusDays(backDays).plusHours(1)), last);
      }
      if (from == null) {
        throw CommandLines.usage(spec, to != null ? "--to needs --from"
            : "Give the hours: --from YYYY-MM-DDTHH [--to ...] or --back-days N");
      }
      Hour first = parse(spec, "--from", from);
      Hour last = to == null ? first : parse(spec, "--to", to);
      if (last.compareTo(first) < 0) {
        throw CommandLines.usage(spec, "Invalid hour range: --to " + last + " is before --from "
            + first);
      }
      return Hour.range(first, last);
    }

    private static Hour parse(CommandSpec spec, String option, String text) {
      try {
        return Hour.parse(text);
      } catch (IllegalArgumentException e) {
        throw CommandLines.usage(spec, "Invalid " + option + " '" + text
            + "': use YYYY-MM-DDTHH in UTC, such as 2015-01-01T15");
      }
    }
  }

  /** Where hours come from and how they are downloaded. */
  static final class DownloadOptions {
    @Option(names = "--source", paramLabel = "URL|DIR", defaultValue = "https://data.gharchive.org",
        description = "Where hours come from: an http(s) URL or an existing folder"
            + " (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
        description = "Downloads at once, at least 1 (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--toleration-hours", paramLabel = "N", defaultValue = "6",
        description = "A 404 younger than this is 'not published yet' (default: ${DEFAULT-VALUE}).")
    int tolerationHours;

    void check(CommandSpec spec) {
      if (parallel < 1) {
        throw CommandLines.usage(spec, "Invalid --parallel " + parallel
            + ": give the number of downloads at once, at least 1");
      }
      if (tolerationHours < 0) {
        throw CommandLines.usage(spec, "Invalid --toleration-hours " + tolerationHours
            + ": give a number of hours, 0 or more");
      }
      if (source.startsWith("http://") || source.startsWith("https://")) {
        return;
      }
      Path folder;
      try {
        folder = Path.of(source);
      } catch (InvalidPathException e) {
        throw CommandLines.usage(spec, "Invalid --source '" + source + "': " + e.getReason());
      }
      if (!Files.isDirectory(folder)) {
        throw CommandLines.usage(spec, "Invalid --source '" + source + "': "
            + (Files.exists(folder) ? "not a folder" : "no such folder")
            + "; give an http(s) URL or a folder of YYYY-MM-DD-H.json.gz files");
      }
    }
  }

  /** {@code --raw-bucket}. */
  static final class RawBucket {
    @Option(names = "--raw-bucket", paramLabel = "BUCKET", defaultValue = "gha-raw",
        description = "Bucket of the downloaded hours, as YYYY/MM/DD/H.json.gz"
            + " (default: ${DEFAULT-VALUE}).")
    String name;
  }

  /** {@code --lake-bucket}. */
  static final class LakeBucket {
    @Option(names = "--lake-bucket", paramLabel = "BUCKET", defaultValue = "gha-lake",
        description = "Bucket of the Parquet lake (events/year=/month=/day=/hour=), where runs"
            + " also keep their results (default: ${DEFAULT-VALUE}).")
    String name;
  }

  /** {@code --datamart-bucket}. */
  static final class DatamartBucket {
    @Option(names = "--datamart-bucket", paramLabel = "BUCKET", defaultValue = "gha-datamart",
        description = "Bucket of the analysis tables (default: ${DEFAULT-VALUE}).")
    String name;
  }

  /** {@code --tables}. */
  static final class TablesFile {
    @Option(names = "--tables", paramLabel = "FILE",
        description = "Tables YAML (default: the built-in set).")
    Path file;

    String yaml(CommandSpec spec) throws IOException {
      if (file == null) {
        return "";
      }
      if (!Files.isRegularFile(file)) {
        throw CommandLines.usage(spec, "Invalid --tables '" + file + "': no such file");
      }
      return Files.readString(file);
    }
  }

  /** {@code --force}. */
  static final class Force {
    @Option(names = "--force", description = "Convert hours even when their Parquet is up to"
        + " date with the raw hour.")
    boolean force;
  }

  /** {@code --report}. */
  static final class Report {
    @Option(names = "--report", paramLabel = "FILE",
        description = "Write a JSON report of every hour to FILE.")
    Path file;
  }

  /** {@code --engine} and the Spark application's options. */
  static final class EngineOptions {
    @Option(names = "--engine", paramLabel = "java|spark", defaultValue = "java",
        description = "What runs convert and tables: java (tasks on the environment's compute)"
            + " or spark (the pipeline's Spark application, as Spark jobs on the environment's"
            + " compute) (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--spark-app-jar", paramLabel = "PATH|URI",
        description = "The Spark application jar: a local file, or a location the cluster reads"
            + " (s3a://, s3://, local:// in the image). Default: the jar the build puts in "
            + SparkEngine.MODULE + "/target/ (`" + SparkEngine.BUILD + "`).")
    String jar;

    @Option(names = "--spark-upload", description = "Upload the local application jar to the"
        + " lake bucket under " + SparkEngine.UPLOAD_PREFIX + " and run it from there (for a"
        + " cluster that cannot read this machine's files).")
    boolean upload;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE",
        description = "Spark conf for the jobs (repeatable). Never put credentials here: the"
            + " compute hands Spark the storage's credentials itself.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--spark-executors", paramLabel = "N", defaultValue = "1",
        description = "Executors, at least 1 (default: ${DEFAULT-VALUE}).")
    int executors;

    @Option(names = "--spark-cores", paramLabel = "N", defaultValue = "1",
        description = "Cores of the driver and of each executor (default: ${DEFAULT-VALUE}).")
    int cores;

    @Option(names = "--spark-memory", paramLabel = "SIZE", defaultValue = "1g",
        description = "Memory of the driver and of each executor (default: ${DEFAULT-VALUE}).")
    String memory;

    /** The Spark options when the engine is spark, else empty; a wrong option is a usage error. */
    Optional<SparkEngine.Options> check(CommandSpec spec) {
      if (engine.equals("java")) {
        boolean sparkOptions = jar != null || upload || !conf.isEmpty() || executors != 1
            || cores != 1 || !memory.equals("1g");
        if (sparkOptions) {
          throw CommandLines.usage(spec, "The --spark-* options need --engine spark");
        }
        return Optional.empty();
      }
      if (!engine.equals("spark")) {
        throw CommandLines.usage(spec, "Invalid --engine '" + engine + "': use java or spark");
      }
      if (executors < 1) {
        throw CommandLines.usage(spec, "Invalid --spark-executors " + executors
            + ": give at least 1");
      }
      Resources resources;
      try {
        resources = Resources.of(cores, memory);
      } catch (IllegalArgumentException e) {
        throw CommandLines.usage(spec, "Invalid --spark-cores/--spark-memory: "
            + e.getMessage());
      }
      for (String key : conf.keySet()) {
        if (!key.startsWith("spark.")) {
          throw CommandLines.usage(spec, "Invalid --spark-conf '" + key + "': Spark conf keys"
              + " start with spark.");
        }
      }
      return Optional.of(new SparkEngine.Options(Optional.ofNullable(jar), upload, conf,
          resources, executors));
    }
  }

  private interface Step {
    void run(GhaPipeline pipeline) throws Exception;
  }

  private int execute(EnvironmentOptions environment, GhaPipeline.Settings settings, Report report,
      Step step) throws Exception {
    return execute(environment, settings, report, Optional.empty(), null, step);
  }

  private int execute(EnvironmentOptions environment, GhaPipeline.Settings settings, Report report,
      Optional<SparkEngine.Options> sparkOptions, CommandSpec command, Step step)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Optional<Path> specFile = sparkOptions.isEmpty() ? Optional.empty()
        : Optional.of(environment.specFile().orElseThrow(() -> CommandLines.usage(command,
            "--engine spark needs an environment a Spark driver can open: give --env SPEC, or"
                + " start the platform (`edx up`) on --data-dir " + environment.dataDirectory)));
    try (Environment env = environment.open()) {
      out.println("environment '" + env.name() + "' (" + environment.describe() + ")");
      Optional<SparkEngine> spark = sparkOptions.map(o -> new SparkEngine(env, o,
          specFile.get(), () -> EnvironmentOptions.factory().render(specFile.get())));
      GhaPipeline pipeline = new GhaPipeline(env, settings, spark, out,
          System.console() != null);
      step.run(pipeline);
      return pipeline.finish(report.file);
    }
  }

  private static GhaPipeline.Settings settings(DownloadOptions download, String raw, String lake,
      String datamart, String tables, boolean force) {
    return new GhaPipeline.Settings(download == null ? "" : download.source, raw, lake, datamart,
        download == null ? 1 : download.parallel, download == null ? 0 : download.tolerationHours,
        tables, force, Map.of());
  }

  private CommandSpec sub(String name) {
    return spec.subcommands().get(name).getCommandSpec();
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Download hours into the raw bucket (skipping those already there).")
  int ingest(@Mixin EnvironmentOptions environment, @Mixin HourOptions hourOptions,
      @Mixin DownloadOptions download, @Mixin RawBucket raw, @Mixin LakeBucket lake,
      @Mixin Report report) throws Exception {
    CommandSpec command = sub("ingest");
    List<Hour> hours = hourOptions.hours(command);
    download.check(command);
    return execute(environment, settings(download, raw.name, lake.name, "gha-datamart", "",
        false), report, p -> p.ingest(hours));
  }

  @Command(name = "convert", mixinStandardHelpOptions = true,
      description = "Convert hours of the raw bucket to Parquet in the lake (json2parquet).")
  int convert(@Mixin EnvironmentOptions environment, @Mixin HourOptions hourOptions,
      @Mixin RawBucket raw, @Mixin LakeBucket lake, @Mixin Force force,
      @Mixin EngineOptions engine, @Mixin Report report) throws Exception {
    CommandSpec command = sub("convert");
    List<Hour> hours = hourOptions.hours(command);
    return execute(environment, settings(null, raw.name, lake.name, "gha-datamart", "",
        force.force), report, engine.check(command), command, p -> p.convert(hours));
  }

  @Command(name = "tables", mixinStandardHelpOptions = true,
      description = "Build and register the tables over the lake (changed partitions only).")
  int tables(@Mixin EnvironmentOptions environment, @Mixin LakeBucket lake,
      @Mixin DatamartBucket datamart, @Mixin TablesFile tables, @Mixin EngineOptions engine,
      @Mixin Report report) throws Exception {
    CommandSpec command = sub("tables");
    String yaml = tables.yaml(command);
    return execute(environment, settings(null, "gha-raw", lake.name, datamart.name, yaml, false),
        report, engine.check(command), command, GhaPipeline::tables);
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "ingest, convert and tables, in sequence.")
  int run(@Mixin EnvironmentOptions environment, @Mixin HourOptions hourOptions,
      @Mixin DownloadOptions download, @Mixin RawBucket raw, @Mixin LakeBucket lake,
      @Mixin DatamartBucket datamart, @Mixin TablesFile tables, @Mixin Force force,
      @Mixin EngineOptions engine, @Mixin Report report) throws Exception {
    CommandSpec command = sub("run");
    List<Hour> hours = hourOptions.hours(command);
    download.check(command);
    String yaml = tables.yaml(command);
    return execute(environment, settings(download, raw.name, lake.name, datamart.name, yaml,
        force.force), report, engine.check(command), command, p -> p.run(hours));
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Load a table into a relational data store (spec.datastores), one"
          + " transaction per partition: a re-run replaces a partition's rows.")
  int export(@Mixin EnvironmentOptions environment,
      @Option(names = "--table", required = true, paramLabel = "DATABASE.TABLE",
          description = "The table, such as gha_dm.repo_daily.") String table,
      @Option(names = "--store", paramLabel = "STORE",
          description = "The relational data store (spec.datastores.STORE, provider jdbc).")
      String store,
      @Option(names = "--to", hidden = true, paramLabel = "STORE",
          description = "Not an option of export: --to is the last hour in every command;"
              + " the data store is --store.") String oldTo,
      @Option(names = "--schema", paramLabel = "SCHEMA",
          description = "The target schema (default: the table's database).") String schema,
      @Option(names = "--name", paramLabel = "NAME",
          description = "The target table (default: the table's name).") String name,
      @Option(names = "--method", paramLabel = "auto|insert", defaultValue = "auto",
          description = "auto: PostgreSQL's COPY where the driver is pgjdbc, batched INSERTs"
              + " elsewhere; insert: batched INSERTs always (default: ${DEFAULT-VALUE}).")
      String method,
      @Mixin LakeBucket lake) throws Exception {
    CommandSpec command = sub("export");
    if (oldTo != null) {
      throw CommandLines.usage(command, "--to is the last hour (YYYY-MM-DDTHH) in every edx gha"
          + " command; name the data store with --store: --store " + oldTo);
    }
    if (store == null) {
      throw CommandLines.usage(command, "Give the data store: --store STORE (a jdbc data store"
          + " of spec.datastores)");
    }
    if (!table.matches("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*")) {
      throw CommandLines.usage(command, "Invalid --table '" + table + "': use DATABASE.TABLE,"
          + " such as gha_dm.repo_daily");
    }
    if (!method.equals("auto") && !method.equals("insert")) {
      throw CommandLines.usage(command, "Invalid --method '" + method + "': use auto or insert");
    }
    for (String[] option : new String[][] {{"--schema", schema}, {"--name", name}}) {
      if (option[1] != null && !option[1].matches("[a-z_][a-z0-9_]{0,62}")) {
        throw CommandLines.usage(command, "Invalid " + option[0] + " '" + option[1] + "': use a"
            + " lowercase letter or '_', then lowercase letters, digits or '_'");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Environment env = environment.open()) {
      out.println("environment '" + env.name() + "' (" + environment.describe() + ")");
      GhaPipeline pipeline = new GhaPipeline(env, settings(null, "gha-raw", lake.name,
          "gha-datamart", "", false), out, false);
      TableExporter.ExportResult result = pipeline.export(table, store, schema, name, method);
      out.println("exported " + result.rows() + " rows of " + result.table() + " in "
          + result.partitions().size() + " partition(s) to " + result.target() + " of data store"
          + " '" + store + "' (" + result.method() + ")");
      return CommandLines.OK;
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Send the events of lake hours to a Kafka topic of a stream data store"
          + " (spec.datastores), keyed by repository; once per hour for readers of committed"
          + " data (read_committed).")
  int publish(@Mixin EnvironmentOptions environment,
      @Option(names = "--store", paramLabel = "STORE",
          description = "The stream data store (spec.datastores.STORE, provider kafka).")
      String store,
      @Mixin HourOptions hourOptions,
      @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "gha.events",
          description = "The topic (declared in the store's topics; default: ${DEFAULT-VALUE}).")
      String topic,
      @Option(names = "--marker-topic", paramLabel = "TOPIC",
          defaultValue = "edx.gha.published", description = "The compacted topic recording the"
              + " hours published, made when missing (default: ${DEFAULT-VALUE}).")
      String markerTopic,
      @Option(names = "--force", description = "Send hours already published again (a reader"
          + " then sees them twice).") boolean force,
      @Mixin LakeBucket lake) throws Exception {
    CommandSpec command = sub("publish");
    if (hourOptions.to != null && !hourOptions.to.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}")
        && store == null) {
      throw CommandLines.usage(command, "--to is the last hour (YYYY-MM-DDTHH) in every edx gha"
          + " command; name the data store with --store: --store " + hourOptions.to);
    }
    if (store == null) {
      throw CommandLines.usage(command, "Give the data store: --store STORE (a kafka data store"
          + " of spec.datastores)");
    }
    List<Hour> hours = hourOptions.hours(command);
    PrintWriter out = spec.commandLine().getOut();
    try (Environment env = environment.open()) {
      out.println("environment '" + env.name() + "' (" + environment.describe() + ")");
      GhaPipeline pipeline = new GhaPipeline(env, settings(null, "gha-raw", lake.name,
          "gha-datamart", "", force), out, false);
      List<EventPublisher.HourPublished> results = pipeline.publish(store, topic, markerTopic,
          hours);
      long sent = results.stream().filter(r -> r.status().equals("published"))
          .mapToLong(EventPublisher.HourPublished::events).sum();
      out.println("published " + sent + " events of " + results.stream()
          .filter(r -> r.status().equals("published")).count() + " hour(s) to topic " + topic
          + "; " + results.stream().filter(r -> r.status().equals("already-published")).count()
          + " already published, " + results.stream().filter(r -> r.status().equals("absent"))
              .count() + " not in the lake");
      return CommandLines.OK;
    }
  }
}
