package dev.edx.gha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.embedded.PostgresEndpoint;
import dev.edx.testkit.EdxTest;
import dev.edx.testkit.KafkaBroker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edx gha export} and {@code publish} over the real GH Archive samples ({@link Samples}:
 * skipped without them), on the embedded PostgreSQL and the in-JVM KRaft broker: the warehouse's
 * {@code repo_daily} has the table's rows and sums, and a committed reader gets the 13,740 events
 * of the three hours once, after two runs.
 */
@EdxTest
class GhaExportPublishSamplesTest {
  private static final List<String> HOURS =
      List.of("2015-01-01T01", "2012-06-14T15", "2021-01-01T01");
  private static final String SUMS = "count(*), sum(pushes), sum(commits_pushed),"
      + " sum(prs_opened), sum(prs_merged), sum(issues_opened), sum(stars), sum(forks)";

  @TempDir
  Path dir;

  @BeforeEach
  void needsTheSamples() {
    Samples.assumeAvailable();
  }

  @Test
  void theSamplesGoToTheWarehouseAndToKafkaWithTheTablesCounts(PostgresEndpoint postgres,
      KafkaBroker kafka) throws Exception {
    String url = postgres.createDatabase("edxt_gha_samples_" + ProcessHandle.current().pid());
    Path spec = GhaExportPublishTest.dataStoresSpec(dir, "gha-samples", postgres, url, kafka,
        "gha.samples");
    for (String hour : HOURS) {
      GhaExportPublishTest.Run run = GhaExportPublishTest.edx("gha", "run", "--env",
          spec.toString(), "--source", Samples.folder().toString(), "--from", hour);
      assertThat(run.code()).as(run.out()).isZero();
    }
    List<String> table;
    try (Environment env = GhaCli.factory().open(spec)) {
      table = SqlEngine.query(env, "SELECT " + SUMS + " FROM gha_dm.repo_daily").rows().get(0);
    }

    GhaExportPublishTest.Run export = GhaExportPublishTest.edx("gha", "export", "--env",
        spec.toString(), "--table", "gha_dm.repo_daily", "--store", "warehouse");
    assertThat(export.code()).as(export.out()).isZero();
    try (Connection c = DriverManager.getConnection(url, postgres.user(), postgres.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + SUMS + " FROM gha_dm.repo_daily")) {
      rs.next();
      for (int i = 0; i < table.size(); i++) {
        assertThat(rs.getString(i + 1)).as("column %d", i + 1).isEqualTo(table.get(i));
      }
    }

    for (int attempt = 0; attempt < 2; attempt++) {
      for (String hour : HOURS) {
        GhaExportPublishTest.Run publish = GhaExportPublishTest.edx("gha", "publish", "--env",
            spec.toString(), "--store", "events", "--topic", "gha.samples", "--from", hour);
        assertThat(publish.code()).as(publish.out()).isZero();
      }
    }
    Map<String, Long> keys = GhaExportPublishTest.read(kafka, "gha.samples", "read_committed");
    assertThat(keys.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(13_740L);
  }
}
