package dev.edx.gha;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar of this module is the Kubernetes runner image's class path: it holds edx-core, the
 * providers, {@code EdxRunner} and the pipeline's tasks, and no test code or embedded servers
 * (those belong to edx-testkit and edx-embedded, which only tests and the {@code edx} command line
 * use). Runs after {@code package} (failsafe), on the jar the build just made.
 */
class RunnerJarIT {
  private static final List<String> FORBIDDEN = List.of("org/junit/", "org/assertj/", "org/gaul/",
      "io/zonky/", "dev/edx/testkit/", "dev/edx/embedded/", "org/opentest4j/");

  @Test
  void holdsTheRunnerAndTheTasksButNoTestCode() throws IOException {
    Path jar = Path.of(System.getProperty("edx.runner.jar", "target/none-all.jar"));
    assertThat(jar).as("the shaded jar (mvn package)").isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> names = file.stream().map(ZipEntry::getName).toList();
      assertThat(names).as("entries of %s", jar)
          .filteredOn(n -> FORBIDDEN.stream().anyMatch(n::startsWith))
          .isEmpty();
      assertThat(names).contains("dev/edx/provider/k8s/runner/EdxRunner.class",
          "dev/edx/core/CoreEnvironmentFactory.class", "dev/edx/core/internal/DoctorTask.class",
          "dev/edx/gha/ingest/IngestTask.class", "dev/edx/gha/convert/Json2ParquetTask.class",
          "dev/edx/gha/tables/CreateTablesTask.class",
          "META-INF/services/dev.edx.api.spi.EnvironmentFactory");
      assertThat(new String(file.getInputStream(file.getEntry(
          "META-INF/services/dev.edx.api.spi.EnvironmentFactory")).readAllBytes()).strip())
          .as("only edx-core's factory: a runner opens spec files, never embedded servers")
          .isEqualTo("dev.edx.core.CoreEnvironmentFactory");
      assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("dev.edx.provider.k8s.runner.EdxRunner");
    }
    assertThat(Files.size(jar)).as("size of %s", jar).isPositive();
  }
}
