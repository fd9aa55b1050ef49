package dev.edx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The generated JSON Schema, checked with a real JSON Schema validator, accepts and rejects the
 * same specs that opening them does: both come from the providers' declared settings.
 */
class SpecSchemaTest {
  private final EnvironmentLoader loader =
      EnvironmentLoader.builder().setEnvironmentVariables(Map.of()).build();
  private final JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
      .getSchema(loader.providers().schema());

  private static final String GOOD = """
      apiVersion: edx.dev/v1
      kind: Environment
      metadata: {name: dev}
      spec:
        secrets: {provider: local, directory: secrets}
        storage: {provider: local, root: data, buckets: [gha-raw, {name: shared, adopt: true}]}
        metastore: {provider: local, directory: metastore, databases: [gha_dm]}
        compute: {provider: local, threads: 2}
      """;

  private Set<ValidationMessage> check(String yaml) throws Exception {
    JsonNode node = new YAMLMapper().readTree(yaml);
    return schema.validate(new ObjectMapper().valueToTree(node));
  }

  private void opens(String yaml, Path dir) {
    loader.open(EnvironmentSpec.parse(new StringReader(yaml), "dev.yaml", dir)).close();
  }

  @Test
  void goodSpecPassesBoth(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    assertThat(check(GOOD)).isEmpty();
    opens(GOOD, dir);
  }

  @Test
  void eachMistakeFailsBoth(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    for (String[] mistake : new String[][] {
        {"root: data,", "rooot: data,", "spec.storage.rooot"},
        {"threads: 2", "threads: lots", "spec.compute.threads"},
        {"directory: metastore, ", "", "spec.metastore.directory"},
        {"{name: shared, adopt: true}", "{name: shared, adopt: maybe}", "adopt"},
        {"kind: Environment", "kind: Cluster", "kind"}}) {
      String bad = GOOD.replace(mistake[0], mistake[1]);
      assertThat(check(bad)).as("schema rejects %s", mistake[1]).isNotEmpty();
      assertThatThrownBy(() -> opens(bad, dir)).as("open rejects %s", mistake[1])
          .hasMessageContaining(mistake[2]);
    }
  }

  @Test
  void schemaDescribesProvidersAndMarksOverlaysAsPartial() throws Exception {
    String text = loader.providers().schema();
    assertThat(text).contains("\"const\" : \"local\"").contains("Jobs that run at once");
    assertThat(check("extends: base.yaml\nspec:\n  storage: {root: other}\n")).isEmpty();
    assertThat(check("metadata: {name: x}\n")).as("a spec without extends is complete")
        .isNotEmpty();
  }
}
