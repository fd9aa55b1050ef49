package dev.edx.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.api.Secret;
import dev.edx.api.Secrets;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code local} secrets provider's files, permissions and spec. */
class FolderSecretsTest {

  @TempDir
  Path base;

  private Secrets secrets() {
    return Specs.create(new LocalSecretsProvider(),
        ServiceSpec.builder("secrets", "local").set("directory", "secrets").build(),
        new TestProviderContext(base));
  }

  @Test
  void oneUtf8PropertiesFilePerSecretReadableByItsOwnerOnly() throws Exception {
    assumeTrue(base.getFileSystem().supportedFileAttributeViews().contains("posix"));
    secrets().put(Secret.of("pg", Map.of("password", "pässword")));

    Path file = base.resolve("secrets/pg.properties");
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("password=pässword");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");

    secrets().put(Secret.of("pg", Map.of("password", "other")));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .as("a replaced secret keeps owner-only permissions").isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).as("no temporary file is left").containsExactly(file);
    }
  }

  @Test
  void otherFilesInTheFolderAreNotSecrets() throws Exception {
    Secrets secrets = secrets();
    secrets.put(Secret.of("pg", Map.of("k", "v")));
    Files.writeString(base.resolve("secrets/README.txt"), "notes");
    Files.writeString(base.resolve("secrets/.pg-123.tmp"), "k=partial");
    Files.writeString(base.resolve("secrets/Not_Valid.properties"), "k=v");

    assertThat(secrets.list()).containsExactly("pg");
  }

  @Test
  void aMissingFolderHoldsNoSecrets() {
    assertThat(secrets().list()).isEmpty();
    assertThat(secrets().get("pg")).isEmpty();
    assertThat(secrets().delete("pg")).isFalse();
    assertThat(base.resolve("secrets")).doesNotExist();
  }

  @Test
  void aCorruptFileFailsWithoutShowingItsContent() throws Exception {
    Files.createDirectories(base.resolve("secrets"));
    Files.writeString(base.resolve("secrets/pg.properties"), "bad$key=hunter22\n");

    assertThatThrownBy(() -> secrets().get("pg"))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("Cannot read secret 'pg'")
        .hasMessageNotContaining("hunter22");
  }

  @Test
  void namesThatCouldEscapeTheFolderAreRejected() {
    assertThatThrownBy(() -> secrets().get("../pg")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> secrets().delete("a/b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void providerNeedsADirectoryAndRejectsUnknownKeys() {
    TestProviderContext context = new TestProviderContext(base);
    assertThatThrownBy(() -> Specs.create(new LocalSecretsProvider(),
        ServiceSpec.builder("secrets", "local").build(), context))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.secrets.directory")
        .hasMessageContaining("is required");
    assertThatThrownBy(() -> Specs.create(new LocalSecretsProvider(),
        ServiceSpec.builder("secrets", "local").set("directory", "s").set("path", "p").build(),
        context))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("spec.secrets.path");
  }
}
