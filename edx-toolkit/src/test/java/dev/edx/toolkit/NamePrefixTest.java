package dev.edx.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Environment;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NamePrefixTest {
  private final ServiceSpec spec = ServiceSpec.builder("datastores.warehouse", "jdbc")
      .setSource("envs/pr42.yaml")
      .set("schemas", List.of("gha", "s".repeat(60))).setLine("schemas", 8)
      .build();

  @Test
  void eachRuleMakesThePhysicalNameOfItsKind() {
    NamePrefix pr42 = NamePrefix.of("pr42");
    assertThat(pr42.dashed("gha-raw")).isEqualTo("pr42-gha-raw");
    assertThat(pr42.identifier("gha")).isEqualTo("pr42_gha");
    assertThat(pr42.identifier("Repo")).isEqualTo("pr42_Repo");
    assertThat(pr42.topic("gha.events")).isEqualTo("pr42.gha.events");
    NamePrefix dashed = NamePrefix.of("pr-42");
    assertThat(dashed.identifier("gha")).isEqualTo("pr_42_gha");
    assertThat(dashed.topic("gha.events")).isEqualTo("pr-42.gha.events");
    assertThat(dashed.dashed("pg")).isEqualTo("pr-42-pg");
    assertThat(pr42.value()).contains("pr42");
  }

  @Test
  void withoutAPrefixPhysicalNamesAreTheLogicalOnes() {
    NamePrefix none = NamePrefix.NONE;
    assertThat(none.dashed("gha-raw")).isEqualTo("gha-raw");
    assertThat(none.identifier("gha")).isEqualTo("gha");
    assertThat(none.topic("gha.events")).isEqualTo("gha.events");
    assertThat(none.value()).isEmpty();
    assertThat(NamePrefix.of(context(Optional.empty()))).isEqualTo(NamePrefix.NONE);
    assertThat(NamePrefix.of(context(Optional.of("pr42")))).isEqualTo(NamePrefix.of("pr42"));
    // Nothing to check: the logical name was checked where it was read.
    assertThat(none.check(spec, "schemas[1]", "schema", "x".repeat(99), n -> {
      throw new IllegalArgumentException("never called");
    })).isEqualTo("x".repeat(99));
  }

  @Test
  void anInvalidPrefixNamesTheKeyAndTheRule() {
    for (String bad : List.of("PR42", "pr_42", "-pr42", "pr42-", "p".repeat(21), "")) {
      assertThatThrownBy(() -> NamePrefix.of(bad))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("metadata.namePrefix '" + bad + "'")
          .hasMessageContaining("at most 20 lowercase letters, digits and '-'");
    }
  }

  @Test
  void declaredResourcesGetTheirPhysicalNamesAndATooLongOneFailsNamingTheEntry() {
    NamePrefix pr42 = NamePrefix.of("pr42");
    List<DeclaredResource> declared = List.of(new DeclaredResource("gha", false),
        new DeclaredResource("staging", true));
    assertThat(pr42.physical(spec, "schemas", "schema", declared, pr42::identifier, n -> { }))
        .containsExactly(new DeclaredResource("pr42_gha", false),
            new DeclaredResource("pr42_staging", true));
    assertThat(NamePrefix.NONE.physical(spec, "schemas", "schema", declared,
        NamePrefix.NONE::identifier, n -> { })).isEqualTo(declared);

    List<DeclaredResource> tooLong = List.of(new DeclaredResource("gha", false),
        new DeclaredResource("s".repeat(60), false));
    assertThatThrownBy(() -> pr42.physical(spec, "schemas", "schema", tooLong, pr42::identifier,
        n -> {
          if (n.length() > 63) {
            throw new IllegalArgumentException("at most 63 characters");
          }
        }))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.datastores.warehouse.schemas[1]")
        .hasMessageContaining("with metadata.namePrefix 'pr42' its physical schema name is 'pr42_"
            + "s".repeat(60) + "', which is not valid: at most 63 characters")
        .hasMessageContaining("shorten the name or the prefix");
  }

  private static ProviderContext context(Optional<String> prefix) {
    return new ProviderContext() {
      @Override
      public String environmentName() {
        return "pr42";
      }

      @Override
      public Optional<String> namePrefix() {
        return prefix;
      }

      @Override
      public Path baseDirectory() {
        return Path.of(".");
      }

      @Override
      public ClassLoader classLoader() {
        return NamePrefixTest.class.getClassLoader();
      }

      @Override
      public Environment environment() {
        throw new IllegalStateException("no environment in this test");
      }
    };
  }
}
