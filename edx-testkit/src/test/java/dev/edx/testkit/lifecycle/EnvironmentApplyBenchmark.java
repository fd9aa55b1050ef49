package dev.edx.testkit.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.spi.Change;
import dev.edx.core.EnvironmentLoader;
import dev.edx.core.EnvironmentSpec;
import dev.edx.embedded.PostgresEndpoint;
import dev.edx.testkit.BenchmarkReport;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applying an environment from nothing: local storage with the pipeline's three buckets, the
 * {@code postgres} metastore on the embedded PostgreSQL (schema migrations plus two databases),
 * local secrets and compute, through {@code EnvironmentLoader.apply}. The peer is the least a
 * hand-written script would do: create the three folders and, over JDBC, a schema and two rows.
 * Each run starts from nothing (a fresh folder and a fresh PostgreSQL database).
 */
class EnvironmentApplyBenchmark {
  private static final AtomicInteger RUN = new AtomicInteger();

  @Test
  void applyFromNothing(@TempDir Path dir) throws Exception {
    EnvironmentLoader loader = EnvironmentLoader.builder().setEnvironmentVariables(Map.of())
        .build();
    int runs = BenchmarkReport.scaled(1, 5);
    BenchmarkReport report = BenchmarkReport.named("environment-apply");
    try (PostgresEndpoint postgres = PostgresEndpoint.start()) {
      BenchmarkReport.Comparison result = report.compare("apply from nothing (3 buckets, schema, 2"
              + " databases)", "mkdir + JDBC script", 1, runs, 1, "applies",
          () -> {
            int run = RUN.incrementAndGet();
            String jdbcUrl = postgres.createDatabase("bench_apply_" + run);
            EnvironmentSpec spec = EnvironmentSpec.parse(new StringReader("""
                apiVersion: edx.dev/v1
                kind: Environment
                metadata: {name: bench}
                spec:
                  secrets: {provider: local, directory: secrets}
                  storage: {provider: local, root: data, buckets: [gha-raw, gha-lake, gha-datamart]}
                  metastore:
                    provider: postgres
                    jdbcUrl: "%s"
                    user: "%s"
                    password: "%s"
                    databases: [gha, gha_dm]
                  compute: {provider: local}
                """.formatted(jdbcUrl, postgres.user(), postgres.password())), "bench.yaml",
                Files.createDirectories(dir.resolve("edx-" + run)));
            List<Change> changes = loader.apply(spec);
            assertThat(changes).extracting(Change::action).contains(Change.Action.CREATE)
                .doesNotContain(Change.Action.DELETE);
            // 3 buckets and 2 databases; the schema is migrated when the metastore opens.
            assertThat(changes.stream().filter(ch -> ch.action() == Change.Action.CREATE))
                .hasSize(5);
            return changes;
          },
          () -> {
            int run = RUN.incrementAndGet();
            String jdbcUrl = postgres.createDatabase("bench_apply_" + run);
            Path data = dir.resolve("peer-" + run + "/data");
            for (String bucket : List.of("gha-raw", "gha-lake", "gha-datamart")) {
              Files.createDirectories(data.resolve(bucket));
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl, postgres.user(),
                postgres.password()); Statement s = c.createStatement()) {
              s.execute("CREATE SCHEMA meta");
              s.execute("CREATE TABLE meta.databases (name text PRIMARY KEY)");
              s.execute("INSERT INTO meta.databases VALUES ('gha'), ('gha_dm')");
            }
            return data;
          });
      assertThat(result.edxNanos()).isPositive();
    }
    report.print();
  }
}
