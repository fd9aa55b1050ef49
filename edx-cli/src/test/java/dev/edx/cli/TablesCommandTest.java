package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Environment;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.core.Environments;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edx tables ddl}: HiveDdl for the tables of the environment's metastore. */
class TablesCommandTest {
  @TempDir
  Path dir;

  private Path spec;
  private StringWriter out;
  private StringWriter err;

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return EdxMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @BeforeEach
  void registerTables() throws IOException {
    spec = dir.resolve("dev.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: dev}
        spec:
          storage: {provider: local, root: data}
          metastore: {provider: local, directory: metastore}
        """);
    try (Environment env = Environments.open(spec)) {
      env.metastore().createDatabase(Database.of("gha"));
      env.metastore().createTable(TableDefinition.of(TableId.of("gha", "events"),
          "s3a://gha-lake/events", "parquet",
          List.of(Column.of("id", "bigint"), Column.of("type", "string")),
          List.of(Column.of("year", "int"))));
      env.metastore().createTable(TableDefinition.of(TableId.of("gha", "t1"),
          "s3a://gha-datamart/t1", "parquet", List.of(Column.of("repo", "string")), List.of()));
    }
  }

  @Test
  void printsTheDdlOfEachDialect() {
    assertThat(run("tables", "ddl", "--env", spec.toString(), "--dialect", "spark",
        "gha.events")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("CREATE EXTERNAL TABLE `gha`.`events` (")
        .contains("PARTITIONED BY (`year` INT)")
        .contains("LOCATION 's3a://gha-lake/events'")
        .doesNotContain("t1");

    assertThat(run("tables", "ddl", "--env", spec.toString(), "--dialect", "athena",
        "gha.events")).isZero();
    assertThat(out.toString()).contains("LOCATION 's3://gha-lake/events'");

    assertThat(run("tables", "ddl", "--env", spec.toString(), "--dialect", "TRINO")).isZero();
    assertThat(out.toString()).contains("external_location = 's3a://gha-lake/events'")
        .contains("partitioned_by = ARRAY['year']")
        .contains("external_location = 's3a://gha-datamart/t1'");
    assertThat(out.toString().split(";", -1)).hasSize(3);

    assertThat(run("tables", "ddl", "--env", spec.toString(), "--dialect", "spark", "gha"))
        .isZero();
    assertThat(out.toString()).contains("`gha`.`events`").contains("`gha`.`t1`");
  }

  @Test
  void unknownTablesAndDialectsAreClearErrors() {
    assertThat(run("tables", "ddl", "--env", spec.toString(), "--dialect", "spark",
        "gha.evnts")).isEqualTo(1);
    assertThat(err.toString().strip()).isEqualTo("edx: Cannot print the DDL of gha.evnts: no"
        + " such table in spec " + spec + " (edx sql \"SHOW TABLES\" lists the tables)");
    assertThat(run("tables", "ddl", "--env", spec.toString(), "--dialect", "spark", "nodb.t"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("no database nodb");
    assertThat(run("tables", "ddl", "--env", spec.toString(), "--dialect", "oracle"))
        .isEqualTo(64);
    assertThat(err.toString()).contains("Invalid --dialect 'oracle': use spark, trino or athena");
    assertThat(run("tables", "ddl", "--env", spec.toString())).isEqualTo(64);
  }
}
