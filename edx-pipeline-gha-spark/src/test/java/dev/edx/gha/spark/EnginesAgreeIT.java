package dev.edx.gha.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.Partition;
import dev.edx.api.Table;
import dev.edx.api.TableId;
import dev.edx.core.Environments;
import dev.edx.embedded.Platform;
import dev.edx.embedded.PlatformInfo;
import dev.edx.gha.GhaPipeline;
import dev.edx.gha.Hour;
import dev.edx.gha.HourResult;
import dev.edx.gha.Results;
import dev.edx.gha.cli.Samples;
import dev.edx.gha.tables.TableBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two engines agree: on the real GH Archive samples (plus one hour with bad lines and
 * duplicates made from one of them), the Java path (the pipeline's tasks, DuckDB) and the Spark
 * path ({@link GhaSparkApp} on a local[2] session in this JVM, through S3A) write the same lake
 * and datamart layout, the same rows in {@code gha.events} and in every datamart table (counts,
 * per-type counts, column types and per-column checksums, read back by DuckDB), the same
 * quarantine objects and the same result figures; and the Spark path registers its tables in the
 * environment's metastore. The environment is the embedded platform (an S3 endpoint, the
 * PostgreSQL metastore) in this JVM.
 */
class EnginesAgreeIT {
  private static final List<Hour> SAMPLES = List.of(Hour.parse("2012-06-14T15"),
      Hour.parse("2015-01-01T01"), Hour.parse("2021-01-01T01"));
  /** The hour made from the 2021 sample with bad lines and a duplicate. */
  private static final Hour BAD = Hour.parse("2021-01-01T02");
  private static final List<String> DATAMART = List.of("gha_dm/t1", "gha_dm/repo_daily",
      "gha_dm/actor_daily");

  @TempDir
  Path dir;

  @BeforeEach
  void needsTheSamples() {
    Samples.assumeAvailable();
  }

  @Test
  void sparkWritesWhatJavaWrites() throws Exception {
    List<Hour> hours = new ArrayList<>(SAMPLES);
    hours.add(BAD);
    try (Platform platform = Platform.start(dir.resolve("platform"), List.of());
        Environment env = Environments.open(platform.info().spec())) {
      env.storage().createBucket("gha-raw");
      for (Hour h : SAMPLES) {
        env.storage().put(ObjectRef.of("gha-raw", h.rawKey()),
            Samples.folder().resolve(h.fileName()));
      }
      env.storage().put(ObjectRef.of("gha-raw", BAD.rawKey()), badHour());

      // The Java path: the pipeline's tasks on local compute.
      StringWriter log = new StringWriter();
      GhaPipeline java = new GhaPipeline(env, new GhaPipeline.Settings("unused", "gha-raw",
          "java-lake", "java-dm", 1, 0, "", false, Map.of()), new PrintWriter(log), false);
      Map<String, HourResult> javaHours = byHour(java.convert(hours));
      List<TableBuilder.TableResult> javaTables = java.tables();
      assertThat(javaHours.values()).as(log.toString()).noneMatch(HourResult::failed);
      Map<String, String> javaRows = rows(env, "java-lake", "java-dm");

      // The Spark path: the application, on a session as spark-submit would configure it.
      SparkSession spark = session(platform.info());
      try {
        String spec = platform.info().spec().toString();
        String hourList = hours.stream().map(Hour::toString).collect(Collectors.joining(","));
        App convert = app(spark, "convert", "--env", spec, "--run", "sparkrun",
            "--raw-bucket", "gha-raw", "--lake-bucket", "spark-lake", "--hours", hourList);
        assertThat(convert.status()).as(convert.out() + convert.err()).isZero();
        App tables = app(spark, "tables", "--env", spec, "--run", "sparkrun",
            "--lake-bucket", "spark-lake", "--datamart-bucket", "spark-dm");
        assertThat(tables.status()).as(tables.out() + tables.err()).isZero();

        // The result objects, where GhaPipeline reads them.
        Map<String, HourResult> sparkHours = new TreeMap<>();
        for (Hour h : hours) {
          List<HourResult> r = List.of(Results.read(env.storage(), ObjectRef.of("spark-lake",
              "_edx/runs/sparkrun/convert-" + h + ".json"), HourResult[].class).orElseThrow());
          assertThat(r).hasSize(1);
          sparkHours.put(h.toString(), r.get(0));
        }
        assertThat(normalized(sparkHours, "spark-lake"))
            .isEqualTo(normalized(javaHours, "java-lake"));
        assertThat(sparkHours.get(BAD.toString()).quarantined()).isEqualTo(3);
        assertThat(sparkHours.get(BAD.toString()).duplicates()).isEqualTo(1);
        assertThat(sparkHours.get("2015-01-01T01").events()).isEqualTo(7427);
        List<TableBuilder.TableResult> sparkTables = List.of(Results.read(env.storage(),
            ObjectRef.of("spark-lake", "_edx/runs/sparkrun/tables.json"),
            TableBuilder.TableResult[].class).orElseThrow());
        assertThat(sparkTables).isEqualTo(javaTables);

        // The same layout, rows and quarantine objects.
        Map<String, String> sparkRows = rows(env, "spark-lake", "spark-dm");
        assertThat(sparkRows.keySet()).isEqualTo(javaRows.keySet());
        for (String key : javaRows.keySet()) {
          assertThat(sparkRows.get(key)).as(key).isEqualTo(javaRows.get(key));
        }
        assertThat(javaRows.get("gha.events count")).startsWith("14140|");

        // The Spark path registered its tables in the metastore (the last build wins).
        Table events = env.metastore().loadTable(TableId.of("gha", "events")).orElseThrow();
        assertThat(events.definition().location()).isEqualTo(
            env.storage().uri(ObjectRef.of("spark-lake", "events")).toString());
        for (String t : DATAMART) {
          TableId id = TableId.of("gha_dm", t.substring(t.indexOf('/') + 1));
          Table table = env.metastore().loadTable(id).orElseThrow();
          assertThat(table.definition().location()).isEqualTo(
              env.storage().uri(ObjectRef.of("spark-dm", t)).toString());
          try (Stream<Partition> partitions = env.metastore().listPartitions(id, Map.of())) {
            assertThat(partitions.map(Partition::location).toList()).isNotEmpty()
                .allMatch(l -> l.startsWith(env.storage().uri(ObjectRef.of("spark-dm", t))
                    .toString()));
          }
        }

        // A second run finds every hour unchanged, as the Java converter would.
        App again = app(spark, "convert", "--env", spec, "--run", "again",
            "--raw-bucket", "gha-raw", "--lake-bucket", "spark-lake", "--hours", hourList);
        assertThat(again.status()).as(again.out() + again.err()).isZero();
        assertThat(again.out().lines().filter(l -> l.contains(" unchanged: ")).count())
            .isEqualTo(hours.size());
      } finally {
        spark.stop();
      }
    }
  }

  record App(int status, String out, String err) {}

  private static App app(SparkSession spark, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = GhaSparkApp.run(spark, o, e, args);
    }
    return new App(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** A local session configured as a submitter configures one for the platform's S3 endpoint. */
  static SparkSession session(PlatformInfo platform) {
    return SparkSession.builder().master("local[2]").appName("EnginesAgreeIT")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.metrics.conf.*.sink.servlet.class", ServletlessMetricsSink.class.getName())
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.hadoop.fs.s3a.endpoint", platform.s3Endpoint().toString())
        .config("spark.hadoop.fs.s3a.endpoint.region", platform.s3Region())
        .config("spark.hadoop.fs.s3a.path.style.access", "true")
        .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
        .config("spark.hadoop.fs.s3a.access.key", platform.s3AccessKey())
        .config("spark.hadoop.fs.s3a.secret.key", platform.s3SecretKey())
        .config("spark.hadoop.fs.s3a.aws.credentials.provider",
            "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
        .getOrCreate();
  }

  /** The results with the lake bucket's name (in the quarantine message) made neutral. */
  private static Map<String, HourResult> normalized(Map<String, HourResult> results,
      String lake) {
    Map<String, HourResult> m = new TreeMap<>();
    results.forEach((hour, r) -> m.put(hour, new HourResult(r.hour(), r.step(), r.status(),
        r.bytes(), r.events(), r.duplicates(), r.quarantined(),
        r.message().replace(lake + "/", "LAKE/"))));
    return m;
  }

  private static Map<String, HourResult> byHour(List<HourResult> results) {
    Map<String, HourResult> m = new TreeMap<>();
    for (HourResult r : results) {
      m.put(r.hour(), r);
    }
    return m;
  }

  /**
   * The first 400 lines of the 2021 sample as hour {@link #BAD}, with a line that is not JSON,
   * a truncated event, an empty line, a line that is not an object and a duplicate event.
   */
  private Path badHour() throws IOException {
    List<String> lines;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(
        Samples.folder().resolve(SAMPLES.get(2).fileName())))) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(400)
          .collect(Collectors.toCollection(ArrayList::new));
    }
    lines.add(10, "this is not JSON");
    lines.add(50, lines.get(49).substring(0, lines.get(49).length() / 2));
    lines.add(100, "");
    lines.add(200, "[1, 2, 3]");
    lines.add(300, lines.get(20));
    Path file = dir.resolve("bad.json.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  /**
   * What a lake and a datamart hold, engine-neutrally: the keys of their data objects, the
   * quarantine objects' text and, for {@code gha.events} and each datamart table (its files
   * read by DuckDB), the column names and types, the row count with one checksum per column,
   * and the rows per event type.
   */
  private Map<String, String> rows(Environment env, String lake, String datamart)
      throws Exception {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("lake keys", keys(env, lake, "events/") + " " + keys(env, lake, "quarantine/"));
    m.put("datamart keys", keys(env, datamart, "gha_dm/").toString());
    try (Stream<ObjectInfo> q = env.storage().list(lake, "quarantine/")) {
      for (ObjectInfo info : q.toList()) {
        m.put("quarantine " + info.ref().key(), new String(
            env.storage().readAllBytes(info.ref()), StandardCharsets.UTF_8));
      }
    }
    Map<String, List<ObjectInfo>> tables = new LinkedHashMap<>();
    tables.put("gha.events", parquet(env, lake, "events/"));
    for (String t : DATAMART) {
      tables.put(t.replace('/', '.'), parquet(env, datamart, t + "/"));
    }
    Path local = Files.createTempDirectory(dir, lake + "-");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      for (Map.Entry<String, List<ObjectInfo>> table : tables.entrySet()) {
        assertThat(table.getValue()).as(table.getKey() + " in " + lake).isNotEmpty();
        List<String> files = new ArrayList<>();
        for (ObjectInfo info : table.getValue()) {
          Path f = local.resolve(info.ref().key());
          Files.createDirectories(f.getParent());
          try (InputStream in = env.storage().open(info.ref())) {
            Files.copy(in, f);
          }
          files.add("'" + f + "'");
        }
        String from = "read_parquet([" + String.join(", ", files) + "])";
        List<String> columns = new ArrayList<>();
        StringBuilder types = new StringBuilder();
        try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + from)) {
          while (r.next()) {
            columns.add(r.getString("column_name"));
            types.append(r.getString("column_name")).append(' ')
                .append(r.getString("column_type")).append(", ");
          }
        }
        m.put(table.getKey() + " columns", types.toString());
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        for (String col : columns) {
          sql.append(", sum(hash(\"").append(col).append("\")), count(\"").append(col)
              .append("\")");
        }
        m.put(table.getKey() + " count", row(s, sql + " FROM " + from));
        if (columns.contains("type")) {
          m.put(table.getKey() + " by type", row(s, "SELECT string_agg(type || '=' || n, ','"
              + " ORDER BY type) FROM (SELECT type, count(*) AS n FROM " + from
              + " GROUP BY type)"));
        }
      }
    }
    return m;
  }

  private static String row(Statement s, String sql) throws Exception {
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      List<String> values = new ArrayList<>();
      for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
        values.add(r.getString(i));
      }
      return String.join("|", values);
    }
  }

  private static List<ObjectInfo> parquet(Environment env, String bucket, String prefix) {
    try (Stream<ObjectInfo> list = env.storage().list(bucket, prefix)) {
      return list.filter(i -> i.ref().key().endsWith(".parquet")).toList();
    }
  }

  private static List<String> keys(Environment env, String bucket, String prefix) {
    try (Stream<ObjectInfo> list = env.storage().list(bucket, prefix)) {
      return list.map(i -> i.ref().key()).sorted().toList();
    }
  }
}
