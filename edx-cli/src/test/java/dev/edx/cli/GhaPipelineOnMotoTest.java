package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.gha.cli.Samples;
import dev.edx.testkit.MotoEnvironment;
import dev.edx.testkit.MotoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Database;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * The GH Archive pipeline end to end on moto, a third-party implementation of the AWS APIs, as a
 * user runs it: {@code edx env apply} of a spec with storage {@code s3}, metastore {@code glue}
 * and secrets {@code secretsmanager} (the storage keys reach the spec through {@code ${secret:}}
 * from Secrets Manager), {@code edx gha run} on the real sample hours, {@code edx sql}, and {@code
 * edx env destroy --purge}, which leaves no bucket, database or secret behind. The counts are
 * those of the same hours run on the embedded environment.
 */
class GhaPipelineOnMotoTest {
  private static final List<String> HOURS = List.of("2015-01-01T01", "2012-06-14T15",
      "2021-01-01T01");
  /** The storage's own key pair, which reaches the spec only through Secrets Manager. */
  private static final String STORAGE_ACCESS_KEY = "gha-storage";
  private static final String STORAGE_SECRET_KEY = "gha-storage-secret-7f3a";

  private static Optional<MotoServer> moto;

  @TempDir
  Path dir;

  private StringWriter out;
  private StringWriter err;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    moto.ifPresent(MotoServer::close);
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return EdxMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private void succeeds(String... args) {
    int code = run(args);
    assertThat(code).as("edx %s%nout: %s%nerr: %s", String.join(" ", args), out, err).isZero();
    assertThat(out.toString() + err).doesNotContain(STORAGE_SECRET_KEY)
        .doesNotContain(MotoServer.SECRET_KEY);
  }

  @Test
  void applyRunQueryAndDestroyLeaveNothingBehind() {
    Samples.assumeAvailable();
    assumeTrue(moto.isPresent(), "moto is not installed (python3 -m moto.server)");
    try (MotoEnvironment aws = MotoEnvironment.builder(moto.get(), dir).setName("gha-on-moto")
        .setStorageKeys("gha-s3", STORAGE_ACCESS_KEY, STORAGE_SECRET_KEY)
        .setBuckets("gha-raw", "gha-lake", "gha-datamart").setDatabases("gha", "gha_dm")
        .setCompute("{provider: local, threads: 2}").build()) {
      S3Client s3 = aws.s3();
      GlueClient glue = aws.glue();
      String spec = aws.spec().toString();

      succeeds("env", "apply", "--env", spec, "--auto-approve");
      assertThat(s3.listBuckets().buckets()).extracting(Bucket::name)
          .containsExactlyInAnyOrder("gha-raw", "gha-lake", "gha-datamart");
      assertThat(glue.getDatabases(b -> { }).databaseList()).extracting(Database::name)
          .containsExactlyInAnyOrder("gha", "gha_dm");

      for (String hour : HOURS) {
        succeeds("gha", "run", "--env", spec, "--source", Samples.folder().toString(),
            "--from", hour);
      }
      // Registered where Glue, Athena, EMR and Trino read them: s3:// locations.
      assertThat(glue.getTables(b -> b.databaseName("gha")).tableList())
          .extracting(Table::name).contains("events");
      assertThat(glue.getTables(b -> b.databaseName("gha_dm")).tableList())
          .extracting(Table::name).contains("t1");
      for (String database : List.of("gha", "gha_dm")) {
        assertThat(glue.getTables(b -> b.databaseName(database)).tableList())
            .allSatisfy(t -> assertThat(t.storageDescriptor().location()).startsWith("s3://"));
      }

      List<String> onMoto = counts("--env", spec);
      List<String> embedded = new ArrayList<>();
      Path data = dir.resolve("embedded");
      for (String hour : HOURS) {
        succeeds("gha", "run", "--data-dir", data.toString(), "--source",
            Samples.folder().toString(), "--from", hour);
      }
      embedded.addAll(counts("--data-dir", data.toString()));
      assertThat(onMoto).isEqualTo(embedded).contains("13740");

      succeeds("env", "destroy", "--env", spec, "--purge", "--auto-approve");
      assertThat(s3.listBuckets().buckets()).isEmpty();
      assertThat(glue.getDatabases(b -> { }).databaseList()).isEmpty();
      assertThat(aws.secrets().listSecrets(b -> { }).secretList())
          .extracting(SecretListEntry::name).doesNotContain("gha-s3");
    }
  }

  /** The rows of the queries compared between both runs, as {@code edx sql --format csv} prints. */
  private List<String> counts(String... environment) {
    List<String> rows = new ArrayList<>();
    for (String query : List.of("SELECT count(*) FROM gha.events",
        "SELECT count(*) FROM gha_dm.t1",
        "SELECT type, count(*) AS n FROM gha.events GROUP BY type ORDER BY type")) {
      List<String> args = new ArrayList<>(List.of("sql"));
      args.addAll(List.of(environment));
      args.addAll(List.of("--format", "csv", query));
      succeeds(args.toArray(String[]::new));
      out.toString().lines().skip(1).forEach(rows::add);
    }
    return rows;
  }
}
