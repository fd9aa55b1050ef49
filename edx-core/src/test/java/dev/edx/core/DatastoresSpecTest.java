package dev.edx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edx.api.DataStore;
import dev.edx.api.Environment;
import dev.edx.api.RelationalStore;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.Change.Action;
import dev.edx.api.spi.DataPolicy;
import dev.edx.core.TestProviders.FolderStore;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code spec.datastores} section: parsed as strictly as the services, resolved and masked
 * like them, found by name and handle type, and provisioned through plan, apply and destroy.
 */
class DatastoresSpecTest {
  private static final String HEAD = """
      apiVersion: edx.dev/v1
      kind: Environment
      metadata: {name: dev}
      spec:
        secrets:
          provider: memory
          values:
            wh: {password: s3cr3t-warehouse}
      """;

  @TempDir
  Path dir;

  private final EnvironmentLoader loader = EnvironmentLoader.builder()
      .setEnvironmentVariables(Map.of()).build();

  @BeforeEach
  void clearEvents() {
    TestProviders.EVENTS.clear();
  }

  private EnvironmentSpec parse(String datastores) {
    return EnvironmentSpec.parse(new StringReader(HEAD + datastores), "dev.yaml", dir);
  }

  private EnvironmentSpec twoStores(String topics) {
    return parse("""
          datastores:
            warehouse:
              provider: folder
              directory: wh
              password: "${secret:wh/password}"
              topics: %s
            events: {provider: folder, directory: ev}
        """.formatted(topics));
  }

  @Test
  void datastoresAreParsedByNameInSpecOrderWithTheirLines() {
    EnvironmentSpec spec = twoStores("[a, b]");
    assertThat(spec.datastores()).containsOnlyKeys("warehouse", "events");
    assertThat(spec.datastores().keySet()).containsExactly("warehouse", "events");
    assertThat(spec.datastore("warehouse").orElseThrow().service())
        .isEqualTo("datastores.warehouse");
    assertThat(spec.datastore("warehouse").orElseThrow().line("directory")).isEqualTo(12);
    assertThat(spec.datastore("warehouse").orElseThrow().path("topics"))
        .isEqualTo("spec.datastores.warehouse.topics");
  }

  @Test
  void anUnknownKeyIsAnErrorNamingTheKeyTheFileAndTheLine() {
    EnvironmentSpec spec = parse("""
          datastores:
            warehouse: {provider: folder, directory: wh, drectory: x}
        """);
    assertThatThrownBy(() -> loader.open(spec)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.drectory")
        .hasMessageContaining("dev.yaml line 10")
        .hasMessageContaining("directory");
  }

  @Test
  void aMissingRequiredKeyAndAnUnknownProviderAreReportedTogether() {
    EnvironmentSpec spec = parse("""
          datastores:
            warehouse: {provider: folder}
            graph: {provider: neo5j}
        """);
    assertThatThrownBy(() -> loader.open(spec)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.directory")
        .hasMessageContaining("unknown data store provider 'neo5j'")
        .hasMessageContaining("[folder]");
  }

  @Test
  void badNamesAndShapesFailAtParse() {
    assertThatThrownBy(() -> parse("""
          datastores:
            Warehouse: {provider: folder, directory: wh}
        """)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.Warehouse").hasMessageContaining("line 10")
        .hasMessageContaining("not a valid data store name");
    assertThatThrownBy(() -> parse("""
          datastores: [warehouse]
        """)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores").hasMessageContaining("must be a map");
    assertThatThrownBy(() -> parse("""
          datastores:
            warehouse: {directory: wh}
        """)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Missing spec.datastores.warehouse.provider");
  }

  @Test
  void secretsAreResolvedForTheProviderAndMaskedInItsSpecAndTheRendering() {
    EnvironmentSpec spec = twoStores("[]");
    try (Environment env = loader.open(spec)) {
      FolderStore store = env.datastore("warehouse", FolderStore.class);
      assertThat(store.spec().get("password")).contains("s3cr3t-warehouse");
      assertThat(store.spec().toString()).doesNotContain("s3cr3t").contains("password=****");
    }
    String literal = loader.render(parse("""
          datastores:
            warehouse: {provider: folder, directory: wh, password: literal-s3cr3t}
        """));
    assertThat(literal).contains("datastores:").contains("warehouse:")
        .contains("password: '****'").doesNotContain("literal-s3cr3t");
    assertThat(loader.render(spec)).contains("${secret:wh/password}");
  }

  @Test
  void codeGetsTypedHandlesByNameAndClearErrorsOtherwise() {
    try (Environment env = loader.open(twoStores("[]"))) {
      assertThat(env.datastores().keySet()).containsExactly("warehouse", "events");
      DataStore events = env.datastore("events", DataStore.class);
      assertThat(events.name()).isEqualTo("events");
      assertThat(events.provider()).isEqualTo("folder");
      assertThatThrownBy(() -> env.datastore("graph", DataStore.class))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("declares no spec.datastores.graph")
          .hasMessageContaining("[warehouse, events]");
      assertThatThrownBy(() -> env.datastore("events", RelationalStore.class))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("as a RelationalStore")
          .hasMessageContaining("provider 'folder'");
    }
  }

  @Test
  void storesAreCreatedAfterTheServicesAndClosedBeforeThem() {
    loader.open(twoStores("[]")).close();
    assertThat(TestProviders.EVENTS).containsExactly("create secrets",
        "create datastores.warehouse", "create datastores.events",
        "close datastores.events", "close datastores.warehouse", "close secrets");
  }

  @Test
  void planApplyAndDestroyGoThroughTheStoresProvisioners() throws Exception {
    EnvironmentSpec v1 = twoStores("[a, b]");
    assertThat(loader.plan(v1)).extracting(Change::service, Change::resource, Change::action)
        .containsExactly(tuple("datastores.warehouse", "topic a", Action.CREATE),
            tuple("datastores.warehouse", "topic b", Action.CREATE));
    loader.apply(v1);
    assertThat(Files.readString(dir.resolve("wh/a"))).isEqualTo("dev");
    assertThat(loader.apply(v1)).extracting(Change::action).containsOnly(Action.NONE);

    Files.writeString(dir.resolve("wh/b"), "dev\nsome data");
    assertThat(loader.destroy(twoStores("[a, b]"), DataPolicy.RETAIN))
        .extracting(Change::resource, Change::action)
        .containsExactly(tuple("topic a", Action.DELETE), tuple("topic b", Action.RETAIN));
    assertThat(dir.resolve("wh/a")).doesNotExist();
    assertThat(dir.resolve("wh/b")).exists();
    assertThat(loader.planDestroy(v1, DataPolicy.PURGE)).extracting(Change::action)
        .containsExactly(Action.NONE, Action.DELETE);
  }

  @Test
  void theSchemaDescribesTheDatastoresSection() throws Exception {
    JsonNode schema = new ObjectMapper().readTree(loader.providers().schema());
    JsonNode datastores = schema.at("/properties/spec/properties/datastores");
    assertThat(datastores.path("type").asText()).isEqualTo("object");
    assertThat(datastores.at("/propertyNames/pattern").asText()).startsWith("^[a-z]");
    JsonNode section = datastores.path("additionalProperties");
    assertThat(section.at("/properties/provider/enum").toString()).isEqualTo("[\"folder\"]");
    JsonNode rule = section.at("/allOf/0/then");
    assertThat(rule.at("/properties/password/description").asText()).contains("Sensitive");
    assertThat(rule.path("required").toString()).isEqualTo("[\"directory\"]");
    assertThat(schema.at("/then/properties/spec/properties/datastores/additionalProperties"
        + "/required").toString()).isEqualTo("[\"provider\"]");
  }

  @Test
  void specsBuiltInCodeMayCarryDatastores() {
    EnvironmentSpec spec = twoStores("[]");
    EnvironmentSpec without = spec.withDatastores(Map.of());
    assertThat(without.datastores()).isEmpty();
    assertThatThrownBy(() -> spec.withDatastores(Map.of("x", spec.datastore("events")
        .orElseThrow()))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("datastores.x");
    assertThat(List.copyOf(spec.withDatastores(spec.datastores()).datastores().keySet()))
        .containsExactly("warehouse", "events");
  }
}
