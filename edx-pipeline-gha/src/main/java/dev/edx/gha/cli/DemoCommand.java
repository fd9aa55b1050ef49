package dev.edx.gha.cli;

import dev.edx.api.Environment;
import dev.edx.api.TableId;
import dev.edx.gha.GhaPipeline;
import dev.edx.gha.Hour;
import dev.edx.gha.demo.GhArchiveGenerator;
import dev.edx.gha.demo.HourServer;
import dev.edx.gha.tables.TableBuilder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edx demo}: the whole pipeline on the embedded environment, over HTTP, with generated
 * GH Archive-shaped hours served from a local server: three 2015 hours, one 2012 (Timeline era)
 * hour, and one hour the server does not have (reported as missing).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run ingest, convert and tables over generated hours served by a local HTTP"
        + " server, then print the tables.")
final class DemoCommand implements Callable<Integer> {
  @Mixin
  EnvironmentOptions options = new EnvironmentOptions();

  @Option(names = "--events", defaultValue = "400",
      description = "Events per generated hour (default: ${DEFAULT-VALUE}).")
  int events;

  @Spec
  CommandSpec spec;

  static final List<Hour> SERVED = List.of(Hour.parse("2015-01-01T00"),
      Hour.parse("2015-01-01T01"), Hour.parse("2015-01-01T02"), Hour.parse("2012-06-14T15"));
  static final Hour MISSING = Hour.parse("2015-01-01T03");

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (HourServer server = new HourServer(); Environment env = options.open()) {
      for (Hour hour : SERVED) {
        server.put(hour.fileName(), GhArchiveGenerator.gzip(hour, events));
      }
      out.println("edx demo: environment '" + env.name() + "' (" + options.describe()
          + "), GH Archive-shaped hours served at " + server.url());
      List<Hour> hours = new ArrayList<>(SERVED);
      hours.add(MISSING);
      GhaPipeline pipeline = new GhaPipeline(env, new GhaPipeline.Settings(server.url(),
          "gha-raw", "gha-lake", "gha-datamart", 4, 6, "", false,
          Map.of("retries", "1", "backoffMillis", "50")), out, System.console() != null);
      pipeline.run(hours);
      out.println();
      for (String database : List.of(TableBuilder.EVENTS_DATABASE, "gha_dm")) {
        for (TableId id : env.metastore().listTables(database)) {
          long partitions;
          try (var list = env.metastore().listPartitions(id, Map.of())) {
            partitions = list.count();
          }
          SqlEngine.Rows count = SqlEngine.query(env, "SELECT count(*) FROM " + id);
          out.println("== " + id + ": " + count.rows().get(0).get(0) + " rows, " + partitions
              + " partition(s)");
          String columns = id.table().equals("events")
              ? "id, type, actor.login AS actor, repo.name AS repo, created_at" : "*";
          SqlEngine.print(SqlEngine.query(env, "SELECT " + columns + " FROM " + id
              + " ORDER BY ALL LIMIT 3"), out);
          out.println();
        }
      }
      out.println("try: ./edx sql " + (options.spec == null ? "--data-dir "
          + options.dataDirectory + " " : "--env " + options.spec + " ")
          + "\"SELECT type, count(*) FROM gha_dm.t1 GROUP BY type ORDER BY 2 DESC\"");
      return pipeline.finish(null);
    }
  }
}
