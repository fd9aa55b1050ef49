package dev.edx.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Compute;
import dev.edx.api.ContainerJob;
import dev.edx.api.JobState;
import dev.edx.api.Metastore;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.api.spi.Provisioner;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProvidersTest {
  @TempDir
  Path folder;

  @Test
  void bothProvidersAreFoundByServiceLoader() {
    assertThat(ServiceLoader.load(ComputeProvider.class).stream().map(p -> p.get().name()))
        .contains("local");
    assertThat(ServiceLoader.load(MetastoreProvider.class).stream().map(p -> p.get().name()))
        .contains("local");
  }

  @Test
  void computeWithDefaultsRunsJobs() {
    Compute compute = Specs.create(new LocalComputeProvider(),
        ServiceSpec.builder("compute", "local").build(), new TestContext(folder));
    assertThat(compute).isInstanceOf(LocalCompute.class);
    try (LocalCompute local = (LocalCompute) compute) {
      var status = local.submit(new ContainerJob("ok", "img", List.of("true"), Map.of()))
          .await(Duration.ofSeconds(20));
      assertThat(status.state()).isEqualTo(JobState.SUCCEEDED);
    }
  }

  @Test
  void computeSpecRejectsUnknownKeys() {
    ServiceSpec spec = ServiceSpec.builder("compute", "local").setSource("dev.yaml")
        .set("thread", 4).setLine("thread", 12).build();

    assertThatThrownBy(
        () -> Specs.create(new LocalComputeProvider(), spec, new TestContext(folder)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.compute.thread (dev.yaml line 12)")
        .hasMessageContaining("did you mean 'threads'?");
  }

  @Test
  void computeSpecRejectsZeroThreadsAndBadLogSizes() {
    ServiceSpec zeroThreads = ServiceSpec.builder("compute", "local").set("threads", 0).build();
    ServiceSpec zeroLog = ServiceSpec.builder("compute", "local").set("maxLogBytes", 0).build();

    assertThatThrownBy(() -> LocalComputeProvider.Settings.from(zeroThreads, folder, folder))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.compute.threads")
        .hasMessageContaining("must be at least 1, not 0");
    assertThatThrownBy(() -> LocalComputeProvider.Settings.from(zeroLog, folder, folder))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.compute.maxLogBytes");
  }

  @Test
  void computeSpecDefaults() {
    Path home = Path.of("/home/someone");
    assertThat(LocalComputeProvider.Settings.from(ServiceSpec.builder("compute", "local").build(),
        folder, home))
        .isEqualTo(new LocalComputeProvider.Settings(2, 1024 * 1024,
            LocalSpark.Settings.defaults("local[*]", home)));
  }

  @Test
  void metastoreDirectoryIsRelativeToTheBaseDirectory() {
    ServiceSpec spec = ServiceSpec.builder("metastore", "local").set("directory", "meta")
        .set("databases", List.of("gha_dm")).build();

    Metastore metastore = Specs.create(new LocalMetastoreProvider(), spec, new TestContext(folder));
    ((Provisioner) metastore).apply();

    assertThat(metastore.listDatabases()).containsExactly("gha_dm");
    assertThat(Files.isRegularFile(folder.resolve("meta/gha_dm/database.json"))).isTrue();
  }

  @Test
  void metastoreSpecErrorsNameTheKey() {
    ServiceSpec missing = ServiceSpec.builder("metastore", "local").build();
    ServiceSpec badName = ServiceSpec.builder("metastore", "local").set("directory", "m")
        .set("databases", List.of("ok", "not-ok")).build();
    ServiceSpec unknown = ServiceSpec.builder("metastore", "local").set("directory", "m")
        .set("jdbcUrl", "x").build();
    LocalMetastoreProvider provider = new LocalMetastoreProvider();

    assertThatThrownBy(() -> Specs.create(provider, missing, new TestContext(folder)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.metastore.directory").hasMessageContaining("required");
    assertThatThrownBy(() -> Specs.create(provider, badName, new TestContext(folder)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.metastore.databases[1]").hasMessageContaining("not-ok");
    assertThatThrownBy(() -> Specs.create(provider, unknown, new TestContext(folder)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.metastore.jdbcUrl");
  }
}
