package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Environment;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.api.spi.StorageProvider;
import dev.edx.core.EnvironmentSpec;
import dev.edx.core.Environments;
import dev.edx.toolkit.Specs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example specs in {@code envs/} (which the README uses) are valid: each parses strictly and
 * each service section passes its provider's declared settings, as {@code edx env validate}
 * checks them before it opens anything, without connecting to a server ({@code ${...}}
 * references stay unresolved). The local one is also applied and opened.
 */
class ExampleSpecsTest {
  private static final Path ENVS = Path.of("..", "envs");
  private static final Map<String, Class<? extends ServiceProvider<?>>> SPI = Map.of(
      "storage", StorageProvider.class,
      "compute", ComputeProvider.class,
      "metastore", MetastoreProvider.class,
      "secrets", SecretsProvider.class);

  private static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(ENVS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void theExamplesTheReadmeNamesAreThere() throws IOException {
    assertThat(examples()).extracting(f -> f.getFileName().toString())
        .contains("local.yaml", "minio-postgres.yaml", "k8s.yaml", "runner.yaml", "aws.yaml",
            "embedded.yaml");
  }

  @Test
  void eachExampleParsesAndPassesItsProvidersDeclaredSettings() throws IOException {
    Set<String> providersUsed = new TreeSet<>();
    for (Path file : examples()) {
      EnvironmentSpec spec = EnvironmentSpec.parse(file);
      for (String service : EnvironmentSpec.SERVICES) {
        ServiceSpec section = spec.service(service).orElseThrow(() -> new AssertionError(
            file + " declares no " + service + " service"));
        ServiceProvider<?> provider = provider(section);
        assertThatCode(() -> Specs.checked(provider, section)).as(file + " " + service)
            .doesNotThrowAnyException();
        providersUsed.add(service + ":" + provider.name());
      }
    }
    assertThat(providersUsed).contains("storage:local", "storage:minio", "storage:s3",
        "metastore:local", "metastore:postgres", "metastore:glue", "compute:local",
        "compute:k8s", "compute:emr-eks", "secrets:local", "secrets:env", "secrets:k8s",
        "secrets:secretsmanager");
  }

  @Test
  void aMistakeInAnExampleWouldBeCaught(@TempDir Path dir) throws IOException {
    Path broken = dir.resolve("minio-postgres.yaml");
    Files.writeString(broken, Files.readString(ENVS.resolve("minio-postgres.yaml"))
        .replace("jdbcUrl:", "jdbcURL:"));
    ServiceSpec metastore = EnvironmentSpec.parse(broken).service("metastore").orElseThrow();

    assertThatThrownBy(() -> Specs.checked(provider(metastore), metastore))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.metastore.jdbcURL")
        .hasMessageContaining("did you mean 'jdbcUrl'");
  }

  @Test
  void theLocalExampleAppliesAndOpens(@TempDir Path dir) throws IOException {
    Path copy = Files.createDirectories(dir.resolve("envs")).resolve("local.yaml");
    Files.copy(ENVS.resolve("local.yaml"), copy);

    Environments.apply(EnvironmentSpec.parse(copy));
    try (Environment env = Environments.open(copy)) {
      assertThat(env.storage().bucketExists("gha-raw")).isTrue();
    }
    assertThat(dir.resolve(".edx/local/data/gha-raw")).isDirectory();
  }

  private static ServiceProvider<?> provider(ServiceSpec section) {
    return ServiceLoader.load(SPI.get(section.service())).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals(section.provider()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(section.source() + ": no " + section.service()
            + " provider named '" + section.provider() + "' on the class path"));
  }
}
