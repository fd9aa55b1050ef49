package dev.edx.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueRecordsTest {

  @Test
  void objectRefRejectsInvalidBucketNames() {
    assertThatThrownBy(() -> ObjectRef.of("Bad_Bucket", "k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid bucket name 'Bad_Bucket'");
    assertThatThrownBy(() -> ObjectRef.of("ab", "k")).hasMessageContaining("3-63");
    assertThatThrownBy(() -> ObjectRef.of("gha-raw", "")).hasMessageContaining("empty");
    assertThat(ObjectRef.of("gha-raw", "2015/01/01/1.json.gz")).hasToString(
        "gha-raw/2015/01/01/1.json.gz");
  }

  @Test
  void hiveIdentifiersAreValidatedAndLowercased() {
    assertThat(TableId.of("GHA_dm", "Events").toString()).isEqualTo("gha_dm.events");
    assertThatThrownBy(() -> TableId.of("gha", "x'; drop table t; --"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid table name 'x'; drop table t; --'")
        .hasMessageContaining("Hive identifiers");
    assertThatThrownBy(() -> Column.of("1st", "int")).hasMessageContaining("Invalid column name");
  }

  @Test
  void databaseNamesFromUserInputCannotCarrySql() {
    assertThatThrownBy(() -> Database.of("gha_dm; DROP DATABASE edx"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid database name 'gha_dm; DROP DATABASE edx'")
        .hasMessageContaining("Hive identifiers");
    assertThatThrownBy(() -> TableId.of("gha\"dm", "events"))
        .hasMessageContaining("Invalid database name 'gha\"dm'");
  }

  @Test
  void tableDefinitionRejectsPartitionKeyThatRepeatsAColumn() {
    assertThatThrownBy(() -> TableDefinition.of(TableId.of("db", "t"), "file:/tmp/t", "parquet",
            List.of(Column.of("year", "int")), List.of(Column.of("year", "int"))))
        .hasMessageContaining("partition key 'year' repeats a column name");
  }

  @Test
  void secretMasksItsValues() {
    Secret secret = Secret.of("pg", Map.of("password", "hunter2", "user", "edx"));
    assertThat(secret.toString()).doesNotContain("hunter2").doesNotContain("edx,")
        .contains("password=****").contains("user=****");
    assertThat(secret.require("password")).isEqualTo("hunter2");
    assertThatThrownBy(() -> secret.require("token"))
        .hasMessageContaining("secret key 'token' of secret 'pg'")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void resourcesAcceptSparkAndKubernetesMemoryNotation() {
    assertThat(Resources.of(2, "4Gi").memory()).isEqualTo("4Gi");
    assertThat(Resources.of(1, "512m").cores()).isEqualTo(1);
    assertThatThrownBy(() -> Resources.of(1, "lots")).hasMessageContaining("Invalid memory 'lots'");
    assertThatThrownBy(() -> Resources.of(0, "1g"))
        .hasMessageContaining("cores must be at least 1");
  }

  @Test
  void jobStatesKnowWhichAreTerminal() {
    assertThat(JobState.SUCCEEDED.isTerminal()).isTrue();
    assertThat(JobState.CANCELLED.isTerminal()).isTrue();
    assertThat(JobState.PENDING.isTerminal()).isFalse();
    assertThat(JobStatus.of(JobState.FAILED, "boom")).hasToString("FAILED (boom)");
  }
}
