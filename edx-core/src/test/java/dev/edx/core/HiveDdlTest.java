package dev.edx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Column;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HiveDdlTest {
  private static final TableDefinition EVENTS = new TableDefinition(
      TableId.of("gha", "events"), "s3a://gha-lake/events", "parquet",
      List.of(Column.of("id", "bigint"),
          new Column("type", "string", Optional.of("event type, e.g. PushEvent")),
          Column.of("actor", "struct<id:bigint,login:string>"),
          Column.of("labels", "array<string>"),
          Column.of("counts", "map<string,int>"),
          Column.of("amount", "decimal(10,2)"),
          Column.of("created_at", "timestamp")),
      List.of(Column.of("year", "string"), Column.of("month", "string")),
      Map.of("created_by", "edx", "note", "it's"),
      Optional.of("GH Archive events"));

  @Test
  void sparkSql() {
    assertThat(HiveDdl.render(EVENTS, HiveDdl.Dialect.SPARK)).isEqualTo("""
        CREATE EXTERNAL TABLE `gha`.`events` (
          `id` BIGINT,
          `type` STRING COMMENT 'event type, e.g. PushEvent',
          `actor` STRUCT<id:BIGINT,login:STRING>,
          `labels` ARRAY<STRING>,
          `counts` MAP<STRING,INT>,
          `amount` DECIMAL(10,2),
          `created_at` TIMESTAMP
        )
        COMMENT 'GH Archive events'
        PARTITIONED BY (`year` STRING, `month` STRING)
        STORED AS PARQUET
        LOCATION 's3a://gha-lake/events'
        TBLPROPERTIES ('created_by'='edx', 'note'='it\\'s')""");
  }

  @Test
  void trinoHiveConnector() {
    assertThat(HiveDdl.render(EVENTS, HiveDdl.Dialect.TRINO)).isEqualTo("""
        CREATE TABLE "gha"."events" (
          "id" bigint,
          "type" varchar COMMENT 'event type, e.g. PushEvent',
          "actor" row("id" bigint, "login" varchar),
          "labels" array(varchar),
          "counts" map(varchar, integer),
          "amount" decimal(10, 2),
          "created_at" timestamp(3),
          "year" varchar,
          "month" varchar
        )
        COMMENT 'GH Archive events'
        WITH (
          external_location = 's3a://gha-lake/events',
          format = 'PARQUET',
          partitioned_by = ARRAY['year', 'month']
        )""");
  }

  @Test
  void athenaReadsS3Locations() {
    TableDefinition json = new TableDefinition(TableId.of("gha", "raw"), "s3a://gha-raw/2015",
        "json", List.of(Column.of("id", "bigint")), List.of(), Map.of(), Optional.empty());

    assertThat(HiveDdl.render(json, HiveDdl.Dialect.ATHENA)).isEqualTo("""
        CREATE EXTERNAL TABLE `gha`.`raw` (
          `id` BIGINT
        )
        ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
        STORED AS TEXTFILE
        LOCATION 's3://gha-raw/2015'""");
  }

  @Test
  void unknownFormatsAndTypesAreRefusedByName() {
    TableDefinition delta = TableDefinition.of(TableId.of("gha", "d"), "file:/d", "delta",
        List.of(Column.of("id", "bigint")), List.of());
    TableDefinition odd = TableDefinition.of(TableId.of("gha", "o"), "file:/o", "parquet",
        List.of(Column.of("u", "uniontype<int,string>")), List.of());
    TableDefinition broken = TableDefinition.of(TableId.of("gha", "b"), "file:/b", "parquet",
        List.of(Column.of("a", "array<string")), List.of());

    assertThatThrownBy(() -> HiveDdl.render(delta, HiveDdl.Dialect.SPARK))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'delta'");
    assertThatThrownBy(() -> HiveDdl.render(odd, HiveDdl.Dialect.TRINO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uniontype");
    assertThatThrownBy(() -> HiveDdl.render(broken, HiveDdl.Dialect.SPARK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot parse Hive type 'array<string'");
  }
}
