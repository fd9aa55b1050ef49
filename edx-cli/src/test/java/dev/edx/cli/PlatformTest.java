package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edx.api.Database;
import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.core.Environments;
import dev.edx.embedded.EmbeddedEnvironments;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edx up}, {@code status}, {@code down} end to end: the platform runs in a JVM of its own
 * (as {@code ./edx up} starts it), commands of this JVM and of other processes use it, its data
 * survives a restart, and a data directory held by a command without a platform gets one line.
 */
class PlatformTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Result(int code, String out, String err) {}

  private static Result edx(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = EdxMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void upStatusDownAndTheDataSurvives(@TempDir Path dir) throws Exception {
    String data = dir.toString();
    try {
      Result up = edx("up", "--data-dir", data);
      assertThat(up.code()).as(up.out() + up.err()).isZero();
      assertThat(up.out()).containsPattern("edx platform started in [\\d.]+ s \\(pid \\d+\\)")
          .contains("s3").contains("postgres").contains("environment.yaml");

      // platform.json: the contract's keys, readable by its owner only.
      Path descriptor = dir.resolve("platform.json");
      assertThat(Files.getPosixFilePermissions(descriptor)).isEqualTo(
          Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      JsonNode json = JSON.readTree(descriptor.toFile());
      assertThat(json.at("/s3/endpoint").asText()).matches("http://127\\.0\\.0\\.1:\\d+");
      assertThat(json.at("/s3/region").asText()).isEqualTo("us-east-1");
      assertThat(json.at("/s3/accessKey").asText()).isNotBlank();
      assertThat(json.at("/s3/secretKey").asText()).isNotBlank();
      assertThat(json.at("/postgres/jdbcUrl").asText())
          .matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/edx");
      assertThat(json.at("/postgres/user").asText()).isEqualTo("edx");
      assertThat(json.at("/postgres/password").asText()).isNotBlank();
      assertThat(json.at("/spec").asText()).isEqualTo(dir.resolve("environment.yaml")
          .toString());
      // The Hive Metastore, one more service of the platform (the launcher's class path has it):
      // a real Hive client lists its databases and creates one that must survive a restart.
      String hiveUri = json.at("/hiveMetastore/uri").asText();
      assertThat(hiveUri).matches("thrift://127\\.0\\.0\\.1:\\d+");
      try (HiveMetaStoreClient hive = hiveClient(hiveUri)) {
        assertThat(hive.getAllDatabases()).contains("default");
        hive.createDatabase(new org.apache.hadoop.hive.metastore.api.Database("kept_hive",
            "survives a restart", json.at("/hiveMetastore/warehouse").asText() + "kept_hive",
            Map.of()));
      }
      long pid = json.at("/pid").asLong();
      assertThat(ProcessHandle.of(pid)).isPresent();
      assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
      // The spec holds no secret: it reads them from owner-only files.
      String spec = Files.readString(dir.resolve("environment.yaml"));
      assertThat(spec).doesNotContain(json.at("/s3/secretKey").asText())
          .doesNotContain(json.at("/postgres/password").asText());

      Result status = edx("status", "--data-dir", data);
      assertThat(status.code()).isZero();
      assertThat(status.out()).contains("edx platform: running in " + data + " (pid " + pid)
          .contains(json.at("/s3/endpoint").asText()).doesNotContain("NOT REACHABLE");
      Result again = edx("up", "--data-dir", data);
      assertThat(again.code()).isZero();
      assertThat(again.out()).contains("already running (pid " + pid + ")");

      Result env = edx("up", "--data-dir", data, "--output", "env");
      assertThat(env.code()).as(env.err()).isZero();
      assertThat(env.out())
          .contains("export AWS_ENDPOINT_URL='" + json.at("/s3/endpoint").asText() + "'")
          .contains("export AWS_SECRET_ACCESS_KEY='" + json.at("/s3/secretKey").asText() + "'")
          .contains("export PGHOST='127.0.0.1'")
          .contains("export PGPORT='" + json.at("/postgres/jdbcUrl").asText()
              .replaceAll(".*:(\\d+)/edx", "$1") + "'")
          .contains("export PGPASSWORD='" + json.at("/postgres/password").asText() + "'")
          .contains("--conf spark.hadoop.fs.s3a.endpoint=" + json.at("/s3/endpoint").asText())
          .contains("--conf spark.hadoop.fs.s3a.path.style.access=true");
      // psql's variables name a server that takes the password.
      try (Connection c = DriverManager.getConnection(json.at("/postgres/jdbcUrl").asText(),
          json.at("/postgres/user").asText(), json.at("/postgres/password").asText());
          Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
        assertThat(r.next()).isTrue();
      }

      // Environments.open on the spec, and the embedded environment of the data directory
      // (what every edx command opens), both reach the platform: what one writes, the other
      // reads.
      try (Environment viaSpec = Environments.open(dir.resolve("environment.yaml"))) {
        viaSpec.storage().createBucket("kept");
        viaSpec.storage().put(ObjectRef.of("kept", "a.txt"),
            "survives".getBytes(StandardCharsets.UTF_8));
        viaSpec.metastore().createDatabase(Database.of("kept_db"));
      }
      try (Environment embedded = EmbeddedEnvironments.openPersistent(dir)) {
        assertThat(embedded.storage().uri(ObjectRef.of("kept", "a.txt")).toString())
            .startsWith("s3a://");
        assertThat(read(embedded, "kept", "a.txt")).isEqualTo("survives");
      }

      // Two commands at once, one of them in another process, both on the platform.
      CompletableFuture<Result> doctor = CompletableFuture.supplyAsync(
          () -> edx("doctor", "--no-spark", "--data-dir", data));
      Process sql = edxProcess(dir, "sql", "--data-dir", data, "SHOW TABLES");
      Result doctorResult = doctor.get(300, TimeUnit.SECONDS);
      assertThat(sql.waitFor(300, TimeUnit.SECONDS)).isTrue();
      String sqlOut = Files.readString(dir.resolve("sql.out"));
      assertThat(doctorResult.code()).as(doctorResult.out() + doctorResult.err()).isZero();
      assertThat(doctorResult.out()).contains("all checks passed");
      assertThat(sql.exitValue()).as(sqlOut).isZero();
      assertThat(sqlOut).doesNotContain("Exception");

      Result down = edx("down", "--data-dir", data);
      assertThat(down.code()).as(down.err()).isZero();
      assertThat(down.out()).containsPattern("edx platform in .* stopped in [\\d.]+ s");
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(descriptor).doesNotExist();
      assertThat(dir.resolve("environment.yaml")).doesNotExist();
      assertThat(edx("status", "--data-dir", data).code()).isEqualTo(StatusCommand.NOT_RUNNING);
      assertThat(edx("down", "--data-dir", data).out()).contains("none runs");

      // The next up sees the same data (PostgreSQL was shut down cleanly).
      assertThat(edx("up", "--data-dir", data).code()).isZero();
      try (Environment viaSpec = Environments.open(dir.resolve("environment.yaml"))) {
        assertThat(read(viaSpec, "kept", "a.txt")).isEqualTo("survives");
        assertThat(viaSpec.metastore().listDatabases()).contains("kept_db");
      }
      String hiveAgain = JSON.readTree(descriptor.toFile()).at("/hiveMetastore/uri").asText();
      try (HiveMetaStoreClient hive = hiveClient(hiveAgain)) {
        assertThat(hive.getDatabase("kept_hive").getDescription())
            .isEqualTo("survives a restart");
      }
    } finally {
      edx("down", "--data-dir", data);
    }
    assertThat(dir.resolve("platform.json")).doesNotExist();
  }

  @Test
  void aBusyDataDirectoryWithoutPlatformGetsOneLineSayingWhatHoldsIt(@TempDir Path dir)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder = new ProcessBuilder(java, "-Xmx256m",
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp",
        System.getProperty("java.class.path"), HoldDataDirectory.class.getName(),
        dir.toString()).redirectErrorStream(true).start();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(),
          StandardCharsets.UTF_8));
      List<String> seen = new ArrayList<>();
      for (String line = lines.readLine(); line != null && !line.startsWith("open ");
          line = lines.readLine()) {
        seen.add(line);
      }
      assertThat(holder.isAlive()).as(String.join("\n", seen)).isTrue();

      Result sql = edx("sql", "--data-dir", dir.toString(), "SELECT 1");
      assertThat(sql.code()).isEqualTo(1);
      assertThat(sql.err().strip()).doesNotContain("\n").doesNotContain("Exception")
          .startsWith("edx: Cannot open the embedded environment in " + dir)
          .contains("in use by edx process " + holder.pid() + " (")
          .contains(HoldDataDirectory.class.getName())
          .contains("edx up --data-dir " + dir);

      Result up = edx("up", "--data-dir", dir.toString());
      assertThat(up.code()).isEqualTo(1);
      assertThat(up.err().strip()).doesNotContain("\n")
          .startsWith("edx: Cannot start the platform in " + dir)
          .contains("in use by edx process " + holder.pid());

      Result status = edx("status", "--data-dir", dir.toString());
      assertThat(status.code()).isEqualTo(StatusCommand.NOT_RUNNING);
      assertThat(status.out()).contains("not running").contains("in use by edx process "
          + holder.pid());
    } finally {
      holder.getOutputStream().close();
      assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    // Once the holder has ended, the directory is free again.
    Result sql = edx("sql", "--data-dir", dir.toString(), "SELECT 42 AS answer");
    assertThat(sql.code()).as(sql.err()).isZero();
    assertThat(sql.out()).contains("42");
  }

  private static HiveMetaStoreClient hiveClient(String uri) throws Exception {
    org.apache.hadoop.conf.Configuration conf = MetastoreConf.newMetastoreConf();
    MetastoreConf.setVar(conf, MetastoreConf.ConfVars.THRIFT_URIS, uri);
    return new HiveMetaStoreClient(conf);
  }

  private static String read(Environment env, String bucket, String key) throws Exception {
    return new String(env.storage().readAllBytes(ObjectRef.of(bucket, key)),
        StandardCharsets.UTF_8);
  }

  /** Starts {@code edx args} in a JVM of its own; its output goes to {@code dir/sql.out}. */
  private static Process edxProcess(Path dir, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m",
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp",
        System.getProperty("java.class.path"), EdxMain.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("sql.out").toFile()).start();
  }
}
