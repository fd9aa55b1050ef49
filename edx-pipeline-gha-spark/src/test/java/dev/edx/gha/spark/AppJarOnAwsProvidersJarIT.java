package dev.edx.gha.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.core.EnvironmentSpec;
import dev.edx.core.Environments;
import dev.edx.gha.Hour;
import dev.edx.gha.cli.GhaCli;
import dev.edx.gha.demo.GhArchiveGenerator;
import dev.edx.testkit.MotoEnvironment;
import dev.edx.testkit.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The application's shaded jar (its relocated AWS SDK and edx's {@code aws} providers) under a
 * real Spark: {@code edx gha convert} and {@code tables} with {@code --engine spark}, as a user
 * runs them, on an environment whose storage is {@code s3}, metastore {@code glue} and secrets
 * {@code secretsmanager}, all on moto (a third-party implementation of the AWS APIs); the storage
 * keys reach the spec only through {@code ${secret:}} from Secrets Manager. Local compute runs
 * each step as a SparkJob: spark-submit's entry point in a JVM of its own, on the Spark 4.0.1 and
 * S3A class path edx-spark-runtime resolves (from the local Maven repository, as on a machine
 * without {@code SPARK_HOME}), with the jar this module's {@code package} built as the application
 * resource. In that driver, the relocated SDK reads the secret from Secrets Manager, writes the
 * result objects, markers and quarantine objects through S3 and registers the tables in Glue;
 * Spark's S3A reads the raw hours and writes the Parquet files. Asserted through moto's own APIs:
 * the lake and datamart objects, the quarantined line, the Glue tables and partitions.
 *
 * <p>Run by failsafe after {@code package} (the shaded jar exists only then), under {@code
 * -Pspark}; skipped when moto is not installed ({@code .ci/run} requires it).
 */
class AppJarOnAwsProvidersJarIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Hour> HOURS = List.of(Hour.of(2024, 3, 5, 0), Hour.of(2024, 3, 5, 1));
  private static final int EVENTS = 400;
  /** The storage's own key pair, which reaches the spec only through Secrets Manager. */
  private static final String STORAGE_ACCESS_KEY = "gha-spark-storage";
  private static final String STORAGE_SECRET_KEY = "gha-spark-storage-secret-4c1d";

  private static Optional<MotoServer> moto;

  @TempDir
  Path dir;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    moto.ifPresent(MotoServer::close);
  }

  private static String edx(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GhaCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as("edx %s%nout: %s%nerr: %s", String.join(" ", args), out, err).isZero();
    assertThat(out.toString() + err).doesNotContain(STORAGE_SECRET_KEY)
        .doesNotContain(MotoServer.SECRET_KEY);
    return out.toString();
  }

  /** A generated hour with one bad line (line {@code EVENTS + 1}) at its end. */
  private static byte[] rawHour(Hour hour) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      GhArchiveGenerator.writeModern(hour, EVENTS, gz);
      gz.write("{\"id\": \"1\", \"type\": truncated\n".getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  @Test
  void convertAndTablesRunFromTheAppJarOnS3GlueAndSecretsManager() throws Exception {
    assumeTrue(moto.isPresent(), "moto is not installed (python3 -m moto.server)");
    Path jar = Path.of(System.getProperty("edx.gha.spark.jar"));
    assertThat(jar).as("the application jar (built by this module's package phase)")
        .isRegularFile();
    Path sparkCache = Path.of("target", "spark-runtime-cache").toAbsolutePath();
    try (MotoEnvironment aws = MotoEnvironment.builder(moto.get(), dir)
        .setName("gha-spark-on-moto")
        .setStorageKeys("gha-s3", STORAGE_ACCESS_KEY, STORAGE_SECRET_KEY)
        .setBuckets("gha-raw", "gha-lake", "gha-datamart").setDatabases("gha", "gha_dm")
        .setCompute("{provider: local, threads: 1, sparkMaster: \"local[2]\", sparkOffline: true,"
            + " sparkCacheDirectory: \"" + sparkCache + "\"}")
        .build()) {
      S3Client s3 = aws.s3();
      Path spec = aws.spec();
      Environments.apply(EnvironmentSpec.parse(spec));
      try (Environment env = Environments.open(spec)) {
        for (Hour hour : HOURS) {
          env.storage().put(ObjectRef.of("gha-raw", hour.rawKey()), rawHour(hour));
        }
      }
      String[] spark = {"--engine", "spark", "--spark-app-jar", jar.toString(),
          "--spark-conf", "spark.ui.enabled=false"};

      Path convertReport = dir.resolve("convert.json");
      edx(concat(new String[] {"gha", "convert", "--env", spec.toString(), "--from",
          HOURS.get(0).toString(), "--to", HOURS.get(1).toString(), "--report",
          convertReport.toString()}, spark));
      JsonNode converted = JSON.readTree(convertReport.toFile());
      assertThat(converted.get("hours")).hasSize(2).allSatisfy(h -> {
        assertThat(h.get("status").asText()).isEqualTo("converted");
        assertThat(h.get("events").asLong()).isEqualTo(EVENTS);
        assertThat(h.get("quarantined").asLong()).isEqualTo(1);
      });
      for (Hour hour : HOURS) {
        assertThat(keys(s3, "gha-lake", hour.lakePrefix()))
            .containsExactly(hour.lakePrefix() + "part-00000.parquet");
        ResponseBytes<GetObjectResponse> quarantine = s3.getObjectAsBytes(b -> b
            .bucket("gha-lake").key(hour.quarantineKey()));
        assertThat(quarantine.asUtf8String()).contains("\"line\":" + (EVENTS + 1));
      }

      Path tablesReport = dir.resolve("tables.json");
      edx(concat(new String[] {"gha", "tables", "--env", spec.toString(), "--report",
          tablesReport.toString()}, spark));
      Map<String, String> tables = new TreeMap<>();
      JSON.readTree(tablesReport.toFile()).get("tables").forEach(t -> tables.put(
          t.get("name").asText(), t.get("rows").asLong() + " rows, "
              + t.get("partitions").asLong() + " partitions"));
      assertThat(tables).containsEntry("gha.events", (2 * EVENTS) + " rows, 2 partitions")
          .hasSizeGreaterThan(1);
      // Registered in Glue by the driver (the relocated SDK), where the lake's files are.
      Table events = aws.glue().getTable(b -> b.databaseName("gha").name("events")).table();
      assertThat(events.storageDescriptor().location()).startsWith("s3://gha-lake/");
      assertThat(aws.glue().getPartitions(b -> b.databaseName("gha").tableName("events"))
          .partitions()).extracting(Partition::values).hasSize(2);
      List<String> datamartTables = aws.glue().getTables(b -> b.databaseName("gha_dm")).tableList()
          .stream().map(Table::name).toList();
      assertThat(datamartTables).hasSize(tables.size() - 1);
      for (String table : datamartTables) {
        assertThat(keys(s3, "gha-datamart", "gha_dm/" + table + "/")).as(table)
            .anySatisfy(k -> assertThat(k).endsWith("/part-00000.parquet"));
      }
    }
  }

  private static List<String> keys(S3Client s3, String bucket, String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key).toList();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
