package dev.edx.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner-only folders and files: created so, and a looser existing tree tightened. */
class OwnerOnlyFilesTest {

  @BeforeAll
  static void posix() {
    assumeThat(FileSystems.getDefault().supportedFileAttributeViews())
        .as("POSIX permissions (not on Windows)").contains("posix");
  }

  @Test
  void aNewTreeAndItsMissingParentsAreCreatedOwnerOnly(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("home/.edx/embedded");

    assertThat(OwnerOnlyFiles.secureTree(data)).isZero();

    assertThat(mode(data)).isEqualTo("rwx------");
    assertThat(mode(data.getParent())).isEqualTo("rwx------");
    assertThat(mode(dir.resolve("home"))).isEqualTo("rwx------");
  }

  @Test
  void aWrittenFileIsOwnerOnlyAndReplacedWhole(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("platform.json");
    Files.writeString(file, "{\"old\": true}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    OwnerOnlyFiles.writeString(file, "{\"new\": true}");

    assertThat(file).hasContent("{\"new\": true}");
    assertThat(mode(file)).isEqualTo("rw-------");
    try (var left = Files.list(dir)) {
      assertThat(left).as("no temporary file is left beside it").containsExactly(file);
    }
  }

  @Test
  void aLooserTreeIsTightenedOnceKeepingTheOwnersOwnBits(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("data");
    Path storage = Files.createDirectories(data.resolve("storage/gha-raw/2015"));
    Path object = Files.writeString(storage.resolve("01.json.gz"), "x");
    Path script = Files.writeString(data.resolve("run.sh"), "#!/bin/sh");
    Path secret = Files.writeString(data.resolve("secret"), "s");
    chmod(data, "rwxr-xr-x");
    chmod(data.resolve("storage"), "rwxrwxrwx");
    chmod(object, "rw-rw-r--");
    chmod(script, "rwxr-xr-x");
    chmod(secret, "rw-------");

    // data, storage, storage/gha-raw, storage/gha-raw/2015 (0755 by umask), the object, script
    assertThat(OwnerOnlyFiles.secureTree(data)).isEqualTo(6);

    assertThat(mode(data)).isEqualTo("rwx------");
    assertThat(mode(data.resolve("storage"))).isEqualTo("rwx------");
    assertThat(mode(storage)).isEqualTo("rwx------");
    assertThat(mode(object)).isEqualTo("rw-------");
    assertThat(mode(script)).as("the owner's execute bit stays").isEqualTo("rwx------");
    assertThat(mode(secret)).isEqualTo("rw-------");
    assertThat(OwnerOnlyFiles.secureTree(data)).as("a second pass finds nothing to do").isZero();
  }

  @Test
  void anOpaqueFolderIsClosedButWhatIsBelowItIsLeftAlone(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("data");
    Path bucket = Files.createDirectories(data.resolve("s3/public-bucket"));
    Path object = Files.writeString(bucket.resolve("index.html"), "<p>");
    chmod(data.resolve("s3"), "rwxr-xr-x");
    chmod(bucket, "rwxr-xr-x");
    chmod(object, "rw-r--r--");

    OwnerOnlyFiles.secureTree(data, data.resolve("s3"));

    assertThat(mode(data.resolve("s3"))).isEqualTo("rwx------");
    assertThat(mode(bucket)).as("s3proxy's bucket ACL").isEqualTo("rwxr-xr-x");
    assertThat(mode(object)).as("s3proxy's object ACL (public-read)").isEqualTo("rw-r--r--");
  }

  @Test
  void aLinkIsNeitherFollowedNorChanged(@TempDir Path dir) throws IOException {
    Path outside = Files.writeString(dir.resolve("shared.txt"), "shared");
    chmod(outside, "rw-r--r--");
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.createSymbolicLink(data.resolve("link"), outside);
    chmod(data, "rwxr-xr-x");

    assertThat(OwnerOnlyFiles.secureTree(data)).isEqualTo(1);

    assertThat(mode(outside)).isEqualTo("rw-r--r--");
    assertThat(mode(data)).isEqualTo("rwx------");
  }

  @Test
  void aFolderIsClosedWithoutEnteringIt(@TempDir Path dir) throws IOException {
    Path s3 = Files.createDirectories(dir.resolve("s3/bucket"));
    chmod(s3.getParent(), "rwxr-x--x");

    assertThat(OwnerOnlyFiles.secureFolder(s3.getParent())).isTrue();
    assertThat(OwnerOnlyFiles.secureFolder(s3.getParent())).isFalse();

    assertThat(mode(s3.getParent())).isEqualTo("rwx------");
    assertThat(mode(s3)).isEqualTo("rwxr-xr-x");
  }

  static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }

  private static void chmod(Path path, String mode) throws IOException {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
  }
}
