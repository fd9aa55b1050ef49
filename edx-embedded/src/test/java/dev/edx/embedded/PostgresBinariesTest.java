package dev.edx.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.exceptions.ConfigurationException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which platforms get embedded PostgreSQL, and what the others are told to do instead. */
class PostgresBinariesTest {

  @Test
  void thisBuildCarriesTheBinariesOfTheMachineThatBuiltIt() {
    assertThatCode(() -> PostgresEndpoint.requireBinaries(System.getProperty("os.name"),
        System.getProperty("os.arch"),
        r -> PostgresEndpoint.class.getClassLoader().getResource(r) != null))
        .doesNotThrowAnyException();
  }

  @Test
  void eachSupportedPlatformFindsItsOwnBinaries() {
    assertThatCode(() -> {
      PostgresEndpoint.requireBinaries("Linux", "amd64",
          Set.of("postgres-linux-x86_64.txz")::contains);
      PostgresEndpoint.requireBinaries("Linux", "aarch64",
          Set.of("postgres-linux-arm_64.txz")::contains);
      PostgresEndpoint.requireBinaries("Mac OS X", "x86_64",
          Set.of("postgres-darwin-x86_64.txz")::contains);
      PostgresEndpoint.requireBinaries("Mac OS X", "aarch64",
          Set.of("postgres-darwin-arm_64.txz")::contains);
      // Apple silicon runs the x86-64 binaries under Rosetta 2, as zonky does.
      PostgresEndpoint.requireBinaries("Mac OS X", "aarch64",
          Set.of("postgres-darwin-x86_64.txz")::contains);
    }).doesNotThrowAnyException();
  }

  @Test
  void aPlatformWithoutBinariesIsToldHowToUseAnExistingServer() {
    assertThatThrownBy(() -> PostgresEndpoint.requireBinaries("Linux", "ppc64le",
        Set.of("postgres-linux-x86_64.txz")::contains))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("Cannot start an embedded PostgreSQL server: this build has no"
            + " PostgreSQL binaries for Linux ppc64le (no postgres-linux-ppcle_64.txz on the class"
            + " path)")
        .hasMessageContaining("EDX_TEST_JDBC_URL=jdbc:postgresql://HOST:5432/postgres")
        .hasMessageContaining("EDX_TEST_JDBC_USER")
        .hasMessageContaining("EDX_TEST_JDBC_PASSWORD")
        .hasMessageContaining("--env")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void anIntelMacDoesNotRunAppleSiliconBinaries() {
    assertThatThrownBy(() -> PostgresEndpoint.requireBinaries("Mac OS X", "x86_64",
        Set.of("postgres-darwin-arm_64.txz")::contains))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("postgres-darwin-x86_64.txz");
  }
}
