package dev.edx.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.core.EnvironmentSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataStoreSpecTest {

  @Test
  void writesOneDataStoreEntryUnderTheMetadataAndReadsItAsASpecFile() {
    DataStoreSpec.Builder builder = DataStoreSpec.builder("events", "kafka")
        .setMetadata("{name: pr42, namePrefix: pr42}")
        .set("bootstrapServers", "127.0.0.1:9092")
        .addYaml("topics:\n  - {name: lab.events, partitions: 2}\n  - lab.audit");
    assertThat(builder.yaml()).isEqualTo("""
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: pr42, namePrefix: pr42}
        spec:
          secrets: {provider: env}
          datastores:
            events:
              provider: kafka
              bootstrapServers: "127.0.0.1:9092"
              topics:
                - {name: lab.events, partitions: 2}
                - lab.audit
        """);

    EnvironmentSpec spec = builder.build();
    assertThat(spec.name()).isEqualTo("pr42");
    assertThat(spec.namePrefix()).contains("pr42");
    assertThat(spec.source()).isEqualTo("events.yaml");
    assertThat(spec.service("secrets")).map(ServiceSpec::provider).contains("env");
    ServiceSpec events = spec.datastore("events").orElseThrow();
    assertThat(events.provider()).isEqualTo("kafka");
    assertThat(events.get("bootstrapServers")).contains("127.0.0.1:9092");
    assertThat(events.get("topics")).contains(
        List.of(Map.of("name", "lab.events", "partitions", 2), "lab.audit"));
  }

  @Test
  void anEnvironmentNamedAfterTheStoreUnlessTheMetadataSaysOtherwise() {
    EnvironmentSpec spec = DataStoreSpec.builder("graph", "neo4j").build();
    assertThat(spec.name()).isEqualTo("graph-test");
    assertThat(spec.namePrefix()).isEmpty();
    assertThat(spec.datastore("graph")).map(ServiceSpec::provider).contains("neo4j");
  }

  @Test
  void aStringSettingIsReadBackAsTheSameStringWhateverItHolds() {
    List<String> values = List.of("${secret:wh/password}", "a \"quoted\" word", "C:\\edx\\",
        "key: value # not a comment", "{not: a map}", "true", "0123", "two\nlines", "tab\there",
        "");
    DataStoreSpec.Builder builder = DataStoreSpec.builder("wh", "jdbc");
    for (int i = 0; i < values.size(); i++) {
      builder.set("k" + i, values.get(i));
    }
    ServiceSpec wh = builder.build().datastore("wh").orElseThrow();
    for (int i = 0; i < values.size(); i++) {
      assertThat(wh.get("k" + i)).as("k%d", i).isEqualTo(Optional.of(values.get(i)));
    }
  }
}
