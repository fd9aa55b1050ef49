package dev.edx.gha.cli;

import dev.edx.api.Environment;
import dev.edx.gha.GhaPipeline;
import dev.edx.gha.Hour;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edx gha ingest|convert|tables|run}: the GH Archive pipeline's steps. */
@Command(name = "gha", mixinStandardHelpOptions = true,
    description = "The GH Archive pipeline: ingest, convert (json2parquet), tables, or run all.")
final class GhaCommand {

  @Spec
  CommandSpec spec;

  /** Options the pipeline commands share. */
  static final class Options {
    @Mixin
    EnvironmentOptions environment = new EnvironmentOptions();

    @Option(names = "--source", paramLabel = "URL|DIR", defaultValue = "https://data.gharchive.org",
        description = "Where hours come from: an http(s) URL or a folder"
            + " (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--from", paramLabel = "YYYY-MM-DDTHH", description = "First hour (UTC).")
    String from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DDTHH",
        description = "Last hour (UTC, included; default: --from).")
    String to;

    @Option(names = "--back-days", paramLabel = "N",
        description = "The last N days up to the current hour, instead of --from/--to.")
    Integer backDays;

    @Option(names = "--parallel", defaultValue = "4",
        description = "Downloads at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--toleration-hours", defaultValue = "6",
        description = "A 404 younger than this is 'not published yet' (default: ${DEFAULT-VALUE}).")
    int tolerationHours;

    @Option(names = "--raw-bucket", defaultValue = "gha-raw") String rawBucket;
    @Option(names = "--lake-bucket", defaultValue = "gha-lake") String lakeBucket;
    @Option(names = "--datamart-bucket", defaultValue = "gha-datamart") String datamartBucket;

    @Option(names = "--tables", paramLabel = "FILE",
        description = "Tables YAML (default: the built-in set).")
    Path tables;

    @Option(names = "--force", description = "Convert hours even when unchanged.")
    boolean force;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report.")
    Path report;

    List<Hour> hours() {
      if (backDays != null) {
        if (from != null || to != null) {
          throw new IllegalArgumentException("Give either --back-days or --from/--to, not both");
        }
        Hour last = Hour.containing(Instant.now().minus(1, ChronoUnit.HOURS));
        return Hour.range(new Hour(last.start().minusDays(backDays).plusHours(1)), last);
      }
      if (from == null) {
        throw new IllegalArgumentException("Give the hours: --from YYYY-MM-DDTHH [--to ...]"
            + " or --back-days N");
      }
      return Hour.range(Hour.parse(from), Hour.parse(to == null ? from : to));
    }

    GhaPipeline.Settings settings() throws IOException {
      return new GhaPipeline.Settings(source, rawBucket, lakeBucket, datamartBucket, parallel,
          tolerationHours, tables == null ? "" : Files.readString(tables), force, Map.of());
    }
  }

  private interface Step {
    void run(GhaPipeline pipeline) throws Exception;
  }

  private int execute(Options options, Step step) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    GhaPipeline.Settings settings = options.settings();
    try (Environment env = options.environment.open()) {
      out.println("environment '" + env.name() + "' (" + options.environment.describe() + ")");
      GhaPipeline pipeline = new GhaPipeline(env, settings, out, System.console() != null);
      step.run(pipeline);
      return pipeline.finish(options.report);
    }
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Download hours into the raw bucket (skipping those already there).")
  int ingest(@Mixin Options options) throws Exception {
    List<Hour> hours = options.hours();
    return execute(options, p -> p.ingest(hours));
  }

  @Command(name = "convert", mixinStandardHelpOptions = true,
      description = "Convert hours of the raw bucket to Parquet in the lake (json2parquet).")
  int convert(@Mixin Options options) throws Exception {
    List<Hour> hours = options.hours();
    return execute(options, p -> p.convert(hours));
  }

  @Command(name = "tables", mixinStandardHelpOptions = true,
      description = "Build and register the tables over the lake (changed partitions only).")
  int tables(@Mixin Options options) throws Exception {
    return execute(options, GhaPipeline::tables);
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "ingest, convert and tables, in sequence.")
  int run(@Mixin Options options) throws Exception {
    List<Hour> hours = options.hours();
    return execute(options, p -> p.run(hours));
  }
}
