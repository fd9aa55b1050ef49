package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edx doctor} end to end, in-process, on the embedded environment and on a spec file. */
class EdxMainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return EdxMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void doctorRoundTripsEveryServiceOfTheEmbeddedEnvironment(@TempDir Path dir)
      throws IOException {
    int code = run("doctor", "--no-spark", "--data-dir", dir.toString());

    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .contains("storage    local (dev.edx.core.local.LocalStorageProvider),"
            + " minio (dev.edx.provider.minio.MinioStorageProvider),"
            + " s3 (dev.edx.provider.aws.S3StorageProvider)")
        .contains("metastore  glue (dev.edx.provider.aws.GlueMetastoreProvider),"
            + " hive (dev.edx.provider.hive.HiveMetastoreProvider),"
            + " local (dev.edx.core.local.LocalMetastoreProvider),"
            + " postgres (dev.edx.core.postgres.PostgresMetastoreProvider)")
        .contains("compute    emr-eks (dev.edx.provider.aws.EmrEksComputeProvider)")
        .contains("secretsmanager (dev.edx.provider.aws.SecretsManagerProvider)")
        .contains("environment 'embedded' is open")
        .containsPattern("ok +object +put, stat, read and listed"
            + " s3a://edx-doctor-\\w{12}/doctor/")
        .containsPattern("ok +job +job DoctorTask-\\S+ SUCCEEDED, wrote 'written by job ")
        .containsPattern("ok +table +created edx_doctor_\\w{12}\\.doctor_\\w+ v1, updated to v2,"
            + " listed 1")
        .containsPattern("ok +secret +put, read back and listed Secret\\{name=edx-doctor-\\w{12},"
            + " values=\\{token=\\*\\*\\*\\*}}")
        .containsPattern("ok +cleanup +removed bucket edx-doctor-\\w{12}, database"
            + " edx_doctor_\\w{12}")
        .containsPattern("skip +spark +--no-spark")
        .contains("all checks passed")
        .doesNotContain("FAIL");
    // The environment persists (storage is the minio provider on a folder-backed S3 endpoint,
    // the metastore a persistent embedded PostgreSQL) but doctor leaves nothing in it.
    assertThat(dir.resolve("postgres/data/PG_VERSION")).isRegularFile();
    assertThat(leftovers(dir.resolve("s3"))).isEmpty();
    assertThat(run("doctor", "--no-spark", "--data-dir", dir.toString())).isZero();
    assertThat(leftovers(dir.resolve("s3"))).isEmpty();
  }

  @Test
  void doctorOpensASpecFile(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("dev.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: dev}
        spec:
          secrets: {provider: local, directory: secrets}
          storage: {provider: local, root: data}
          metastore: {provider: local, directory: metastore}
          compute: {provider: local, threads: 1}
        """);
    assertThat(run("doctor", "--no-spark", "--env", spec.toString())).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("environment 'dev' is open").contains("all checks passed");
    assertThat(leftovers(dir.resolve("data"))).isEmpty();
    assertThat(leftovers(dir.resolve("metastore"))).isEmpty();
    assertThat(leftovers(dir.resolve("secrets"))).isEmpty();
  }

  /**
   * Doctor's Spark check on local compute: SparkPi as a SparkJob, its estimate read from the log.
   * Spark itself is not in the default build: the spec's {@code sparkClassPath} holds a stand-in
   * {@code org.apache.spark.deploy.SparkSubmit}, compiled here, that checks the application jar
   * holds the main class it was given and prints an estimate as SparkPi does ({@code
   * edx-spark-it} runs the real Spark).
   */
  @Test
  void doctorRunsSparkPiAsASparkJobAndPrintsItsEstimate(@TempDir Path dir) throws IOException {
    Path source = dir.resolve("src/org/apache/spark/deploy/SparkSubmit.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, String.join("\n",
        "package org.apache.spark.deploy;",
        "public class SparkSubmit {",
        "  public static void main(String[] args) throws Exception {",
        "    java.util.List<String> a = java.util.List.of(args);",
        "    String main = a.get(a.indexOf(\"--class\") + 1);",
        "    String jar = a.stream().filter(x -> x.endsWith(\".jar\")).findFirst().get();",
        "    try (java.util.jar.JarFile f = new java.util.jar.JarFile(",
        "        java.nio.file.Path.of(java.net.URI.create(jar)).toFile())) {",
        "      if (f.getEntry(main.replace('.', '/') + \".class\") == null) {",
        "        throw new IllegalStateException(main + \" is not in \" + jar);",
        "      }",
        "    }",
        "    System.out.println(\"Pi is roughly 3.14159\");",
        "  }",
        "}", ""));
    Path classes = dir.resolve("classes");
    assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d",
        classes.toString(), source.toString())).isZero();
    Path spec = dir.resolve("dev.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: dev}
        spec:
          secrets: {provider: local, directory: secrets}
          storage: {provider: local, root: data}
          metastore: {provider: local, directory: metastore}
          compute: {provider: local, threads: 1, sparkMaster: "local[1]", sparkClassPath: classes}
        """);

    assertThat(run("doctor", "--env", spec.toString())).as(out + "\n" + err).isZero();

    assertThat(out.toString())
        .contains("spark: no SPARK_HOME; running org.apache.spark.deploy.SparkSubmit on"
            + " sparkClassPath (1 entries)")
        .containsPattern("ok +spark +SparkPi: Pi is roughly 3\\.14159 \\(job"
            + " edx-doctor-spark-pi-\\w{8} SUCCEEDED in [0-9.]+ s\\)")
        .contains("all checks passed");
  }

  /** What doctor would have left in {@code folder}: anything named edx-doctor or edx_doctor. */
  private static List<Path> leftovers(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(p -> p.getFileName().toString().matches("(?i)edx[-_]doctor.*")).toList();
    }
  }

  @Test
  void badSpecGetsOneClearMessageAndExitCode1(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: dev}
        spec:
          storage: {provider: local, rooot: data}
        """);
    assertThat(run("doctor", "--no-spark", "--env", spec.toString())).isEqualTo(1);
    // The typo is two mistakes: an unknown key, and the required one missing; a line for each.
    assertThat(err.toString()).startsWith("edx: 2 problems in the spec:" + System.lineSeparator()
            + "  Invalid spec.storage.rooot (" + spec + " line 5): is not a setting of the 'local'"
            + " storage provider")
        .contains(System.lineSeparator() + "  Invalid spec.storage.root (" + spec
            + "): is required and missing")
        .doesNotContain("\tat ");
  }

  @Test
  void missingDatabaseIsReportedAsAFailedCheckNotACrash(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("nometastore.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: partial}
        spec:
          storage: {provider: local, root: data}
          compute: {provider: local}
        """);
    assertThat(run("doctor", "--no-spark", "--env", spec.toString())).isEqualTo(1);
    assertThat(out.toString())
        .containsPattern("ok +object")
        .containsPattern("FAIL +table +ConfigurationException: Cannot use metastore of"
            + " environment 'partial'")
        .contains("2 check(s) failed");
  }

  @Test
  void demoRunsThePipelineOverHttpAndPrintsTheTables(@TempDir Path dir) throws IOException {
    try {
      demoOnThePlatform(dir);
    } finally {
      run("down", "--data-dir", dir.toString());
    }
    assertThat(dir.resolve("platform.json")).doesNotExist();
  }

  /** The demo starts the platform of its data directory; the sql commands then use it. */
  private void demoOnThePlatform(Path dir) throws IOException {
    int code = run("demo", "--events", "60", "--data-dir", dir.toString());

    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .containsPattern("ingest 2015-01-01T03 missing")
        .containsPattern("convert 2012-06-14T15 converted +\\d+ bytes +60 events")
        .contains("== gha.events: 240 rows, 4 partition(s)")
        .contains("== gha_dm.t1: 240 rows, 4 partition(s)")
        .contains("== gha_dm.repo_daily:")
        .contains("== gha_dm.actor_daily:")
        .containsPattern("edx demo: platform started in [\\d.]+ s \\(pid \\d+\\)")
        .contains("eval \"$(./edx up --data-dir " + dir + " --output env)\"")
        .contains("aws s3 ls s3://gha-datamart/").contains("psql ").contains("spark-sql");
    assertThat(dir.resolve("platform.json")).isRegularFile();
    assertThat(run("sql", "--data-dir", dir.toString(),
        "SELECT count(*) AS n FROM gha_dm.t1 WHERE year = 2012")).isZero();
    assertThat(out.toString()).containsPattern("\\n60 *\\n\\(1 row\\)");

    // SHOW TABLES answers from the metastore, where the tables live.
    out.getBuffer().setLength(0);
    assertThat(run("sql", "--data-dir", dir.toString(), "SHOW TABLES")).isZero();
    assertThat(out.toString()).containsPattern("gha +\\| events +\\| parquet")
        .containsPattern("gha_dm +\\| t1 ")
        .containsPattern("\\(\\d+ rows\\)");

    out.getBuffer().setLength(0);
    assertThat(run("sql", "--data-dir", dir.toString(), "--format", "csv",
        "SELECT year, count(*) AS n, 'a,\"b' AS s FROM gha_dm.t1 GROUP BY year ORDER BY year"))
        .isZero();
    assertThat(out.toString()).isEqualTo("year,n,s\r\n2012,60,\"a,\"\"b\"\r\n"
        + "2015,180,\"a,\"\"b\"\r\n");

    out.getBuffer().setLength(0);
    assertThat(run("sql", "--data-dir", dir.toString(), "--format", "json",
        "SELECT year, count(*) AS n FROM gha_dm.t1 GROUP BY year ORDER BY year")).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("formatVersion").asInt()).isEqualTo(1);
    assertThat(json.get("columns").toString()).isEqualTo("[\"year\",\"n\"]");
    assertThat(json.get("rows").toString()).isEqualTo("[[2012,60],[2015,180]]");
    assertThat(json.get("count").asInt()).isEqualTo(2);

    assertThat(run("sql", "--data-dir", dir.toString(), "SELECT * FROM gha.evnts")).isEqualTo(1);
    assertThat(err.toString()).contains("evnts").contains("(the tables: gha.events,"
        + " gha_dm.actor_daily, gha_dm.repo_daily, gha_dm.t1)");
    assertThat(run("sql", "--data-dir", dir.toString(), "--format", "xml", "SHOW TABLES"))
        .isEqualTo(64);
    assertThat(err.toString()).contains("Invalid --format 'xml': use table, csv or json");
  }
}
