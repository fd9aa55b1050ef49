package dev.edx.gha;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  @Test
  void holdsNativeLibrariesOnlyForTheImagesPlatforms() throws IOException {
    try (JarFile file = new JarFile(runnerJar().toFile())) {
      List<String> names = file.stream().map(ZipEntry::getName).toList();
      assertThat(names).filteredOn(n -> n.startsWith("libduckdb_java.so"))
          .containsExactlyInAnyOrder("libduckdb_java.so_linux_amd64",
              "libduckdb_java.so_linux_arm64");
      assertThat(names).filteredOn(n -> n.contains("libzstd-jni"))
          .allMatch(n -> n.startsWith("linux/amd64/") || n.startsWith("linux/aarch64/"))
          .hasSize(2);
    }
  }

  @Test
  void mergesTheLicenceAndNoticeFilesOfWhatItShades() throws IOException {
    try (JarFile file = new JarFile(runnerJar().toFile())) {
      String licence = read(file, "META-INF/LICENSE");
      assertThat(licence).as("edx's own licence first").startsWith(Files.readString(
          Path.of("..", "LICENSE")));
      assertThat(licence.split("Apache License\\s+Version 2\\.0", -1).length - 1)
          .as("the licences of the shaded jars are appended, not overwritten")
          .isGreaterThan(2);
      assertThat(read(file, "META-INF/LICENSE.txt")).isNotBlank();
      String notice = read(file, "META-INF/NOTICE");
      // edx's own notice first, then those of the shaded projects, merged.
      assertThat(notice.strip()).startsWith("edx\nCopyright 2026 the edx authors\n\nThis product"
          + " includes software developed by the edx authors")
          .contains("Jackson").contains("Apache Commons");
    }
  }

  private static Path runnerJar() {
    return Path.of(System.getProperty("edx.runner.jar", "target/none-all.jar"));
  }

  private static String read(JarFile file, String name) throws IOException {
    ZipEntry entry = file.getEntry(name);
    assertThat(entry).as(name).isNotNull();
    return new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
  }
}
