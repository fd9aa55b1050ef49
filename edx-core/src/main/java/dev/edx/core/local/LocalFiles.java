package dev.edx.core.local;

import dev.edx.api.exceptions.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-system helpers of {@link LocalObjectStorage}: temporary files, copying into a channel,
 * counting and deleting folder trees, pruning empty folders, quiet syncs, deletes and closes.
 */
final class LocalFiles {
  private static final Logger LOG = LoggerFactory.getLogger(LocalFiles.class);

  private static final int BUFFER_SIZE = 64 * 1024;

  private LocalFiles() {}

  /** A new empty temporary file in {@code tempDirectory}, which is created if missing. */
  static Path newTempFile(Path tempDirectory, String what) {
    try {
      Files.createDirectories(tempDirectory);
      return Files.createTempFile(tempDirectory, "object-", ".tmp");
    } catch (IOException e) {
      throw new ProviderException("Cannot " + what + ": cannot create a temporary file in "
          + tempDirectory + ": " + e, e);
    }
  }

  /** Deletes empty folders from {@code dir} up to, not including, the bucket's folder. */
  static void pruneEmptyFolders(Path dir, Path bucketDir) {
    while (dir != null && dir.startsWith(bucketDir) && !dir.equals(bucketDir)) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      } catch (IOException e) {
        LOG.debug("Cannot prune empty folder {}", dir, e);
        return;
      }
      dir = dir.getParent();
    }
  }

  /** Counts the objects of a bucket, stopping at {@code limit}. */
  static long countObjects(String bucket, Path dir, long limit) {
    AtomicLong count = new AtomicLong();
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          if (attributes.isRegularFile() && count.incrementAndGet() >= limit) {
            return FileVisitResult.TERMINATE;
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new ProviderException("Cannot count the objects of bucket '" + bucket + "': " + e, e);
    }
    return count.get();
  }

  static void deleteTree(Path dir, String what) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
            throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          Files.delete(folder);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new ProviderException("Cannot " + what + ": " + e, e);
    }
  }

  static long copy(InputStream in, FileChannel out) throws IOException {
    byte[] buffer = new byte[BUFFER_SIZE];
    ByteBuffer wrapper = ByteBuffer.wrap(buffer);
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      wrapper.clear().limit(n);
      while (wrapper.hasRemaining()) {
        out.write(wrapper);
      }
      total += n;
    }
    return total;
  }

  /** Whether an exception means the path (or one of its folders) does not exist. */
  static boolean isMissing(IOException e, Path path) {
    return e instanceof NoSuchFileException || e instanceof NotDirectoryException
        || (e instanceof FileSystemException && !Files.exists(path));
  }

  static void syncQuietly(Path dir) {
    // Makes the rename durable; not every platform can open a folder (Windows cannot).
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.trace("Cannot sync folder {}", dir, e);
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Cannot delete temporary file {}", file, e);
    }
  }

  static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("Cannot close {}", channel, e);
    }
  }
}
