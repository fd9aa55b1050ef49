package dev.edx.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Secret;
import dev.edx.api.Secrets;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code env} provider's naming rules and spec. */
class EnvSecretsTest {

  @Test
  void doubleUnderscoreSeparatesNameFromKeyAndBothAreLowercased() {
    EnvSecrets secrets = new EnvSecrets(Map.of(
        "EDX_SECRET_PG__PASSWORD", "x",
        "EDX_SECRET_PG__USER", "edx",
        "EDX_SECRET_MY_DB__USER_NAME", "alice",
        "EDX_SECRET_A_B_C__K", "abc"), "EDX_SECRET_");

    assertThat(secrets.list()).containsExactly("a-b-c", "my-db", "pg");
    assertThat(secrets.get("pg")).contains(Secret.of("pg", Map.of("password", "x", "user", "edx")));
    assertThat(secrets.get("my-db").orElseThrow().reveal()).isEqualTo(Map.of("user_name", "alice"));
    assertThat(secrets.get("a-b-c").orElseThrow().require("k")).isEqualTo("abc");
  }

  @Test
  void variablesThatDoNotFollowTheRulesAreIgnored() {
    EnvSecrets secrets = new EnvSecrets(Map.of(
        "EDX_SECRET_PG", "no key",
        "EDX_SECRET_PG__", "empty key",
        "EDX_SECRET___KEY", "empty name",
        "EDX_SECRET_BAD$NAME__K", "bad name",
        "EDX_SECRET_OK__K$EY", "bad key",
        "OTHER_PG__PASSWORD", "other prefix",
        "edx_secret_pg__password", "prefix is case sensitive"), "EDX_SECRET_");

    assertThat(secrets.list()).isEmpty();
    assertThat(secrets.get("pg")).isEmpty();
  }

  @Test
  void customPrefix() {
    EnvSecrets secrets = new EnvSecrets(Map.of("APP_PG__PASSWORD", "x",
        "EDX_SECRET_PG__PASSWORD", "y"), "APP_");
    assertThat(secrets.get("pg").orElseThrow().require("password")).isEqualTo("x");
  }

  @Test
  void isReadOnlyAndSaysSo() {
    EnvSecrets secrets = new EnvSecrets(Map.of("EDX_SECRET_PG__PASSWORD", "hunter22"),
        "EDX_SECRET_");
    assertThatThrownBy(() -> secrets.put(Secret.of("x", Map.of("k", "hunter22"))))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("Cannot put secret 'x': the env secrets provider is read-only; use the local"
            + " or k8s provider to write secrets");
    assertThatThrownBy(() -> secrets.delete("pg"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageStartingWith("Cannot delete secret 'pg': the env secrets provider is read-only");
    assertThat(secrets.toString()).contains("pg").doesNotContain("hunter22");
  }

  @Test
  void providerReadsItsEnvironmentWithTheDefaultPrefix() {
    EnvSecretsProvider provider = new EnvSecretsProvider();
    TestProviderContext context = new TestProviderContext(Path.of("."),
        Map.of("EDX_SECRET_PG__PASSWORD", "x", "CUSTOM_PG__PASSWORD", "y"));

    Secrets defaults =
        Specs.create(provider, ServiceSpec.builder("secrets", "env").build(), context);
    assertThat(defaults.get("pg").orElseThrow().require("password")).isEqualTo("x");

    Secrets custom = Specs.create(provider, ServiceSpec.builder("secrets", "env")
        .set("prefix", "CUSTOM_").build(), context);
    assertThat(custom.get("pg").orElseThrow().require("password")).isEqualTo("y");

    assertThat(new EnvSecretsProvider().name()).isEqualTo("env");
  }

  @Test
  void providerRejectsUnknownKeysAndAnEmptyPrefix() {
    EnvSecretsProvider provider = new EnvSecretsProvider();
    TestProviderContext context = new TestProviderContext(Path.of("."));
    assertThatThrownBy(() -> Specs.create(provider, ServiceSpec.builder("secrets", "env")
        .set("prefx", "A_").build(), context))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.secrets.prefx")
        .hasMessageContaining("did you mean 'prefix'?");
    assertThatThrownBy(() -> Specs.create(provider, ServiceSpec.builder("secrets", "env")
        .set("prefix", "").build(), context))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.secrets.prefix")
        .hasMessageContaining("must not be empty");
  }
}
