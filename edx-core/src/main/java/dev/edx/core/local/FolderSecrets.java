package dev.edx.core.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.edx.api.Secret;
import dev.edx.api.Secrets;
import dev.edx.api.exceptions.ProviderException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets in a folder: secret {@code pg} is the file {@code <directory>/pg.properties}, in UTF-8.
 * Files are written to a temporary file and renamed into place, so a reader never sees half a
 * secret; where the file system is POSIX, the folder is {@code rwx------} and each file {@code
 * rw-------}. Values never reach logs or exception messages. Thread safe.
 */
final class FolderSecrets implements Secrets {
  private static final Logger LOG = LoggerFactory.getLogger(FolderSecrets.class);
  private static final String SUFFIX = ".properties";

  private final Path directory;
  private final boolean posix;

  FolderSecrets(Path directory) {
    this.directory = requireNonNull(directory, "directory is null").toAbsolutePath().normalize();
    this.posix = this.directory.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  @Override
  public Optional<Secret> get(String name) {
    Path file = file(name);
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      // The causes name the file or the encoding problem, never the content.
      throw new ProviderException("Cannot read secret '" + name + "' from " + file
          + ": it is not a UTF-8 properties file (" + e.getClass().getSimpleName() + ")", e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : properties.stringPropertyNames()) {
      values.put(key, properties.getProperty(key));
    }
    try {
      return Optional.of(Secret.of(name, values));
    } catch (IllegalArgumentException e) {
      throw new ProviderException("Cannot read secret '" + name + "' from " + file + ": "
          + e.getMessage());
    }
  }

  @Override
  public void put(Secret secret) {
    requireNonNull(secret, "secret is null");
    String name = secret.name();
    Path file = file(name);
    Properties properties = new Properties();
    properties.putAll(secret.reveal());
    Path temp = null;
    try {
      createDirectory();
      temp = posix
          ? Files.createTempFile(directory, "." + name + "-", ".tmp", ownerOnly("rw-------"))
          : Files.createTempFile(directory, "." + name + "-", ".tmp");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          Writer writer = Channels.newWriter(channel, UTF_8)) {
        properties.store(writer, "edx secret " + name);
        writer.flush();
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ProviderException("Cannot put secret '" + name + "' in " + directory + ": "
          + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        deleteQuietly(temp);
      }
    }
    LOG.debug("Put secret {} with keys {}", name, secret.keys());
  }

  @Override
  public boolean delete(String name) {
    Path file = file(name);
    try {
      boolean existed = Files.deleteIfExists(file);
      LOG.debug("Deleted secret {}: {}", name, existed ? "it existed" : "it did not exist");
      return existed;
    } catch (IOException e) {
      throw new ProviderException("Cannot delete secret '" + name + "' from " + directory + ": "
          + e, e);
    }
  }

  @Override
  public List<String> list() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        String name = fileName.substring(0, fileName.length() - SUFFIX.length());
        if (SecretNames.isValid(name) && Files.isRegularFile(file)) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      throw new ProviderException("Cannot list secrets in " + directory + ": " + e, e);
    }
    names.sort(null);
    return List.copyOf(names);
  }

  private Path file(String name) {
    return directory.resolve(SecretNames.validate(name) + SUFFIX);
  }

  private void createDirectory() throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    if (posix) {
      Files.createDirectories(directory, ownerOnly("rwx------"));
    } else {
      Files.createDirectories(directory);
    }
  }

  private static FileAttribute<?> ownerOnly(String permissions) {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Cannot delete temporary file {}", file, e);
    }
  }

  @Override
  public String toString() {
    return "FolderSecrets{directory=" + directory + "}";
  }
}
