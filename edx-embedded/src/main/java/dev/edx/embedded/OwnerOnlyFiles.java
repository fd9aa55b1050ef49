package dev.edx.embedded;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folders and files that only their owner can read, write or enter: what the embedded platform
 * keeps its data in (the S3 store, PostgreSQL's data and passwords, the secrets, {@code
 * platform.json}). New folders are created {@code 0700} and new files {@code 0600}; an existing
 * tree that is open to its group or to others is tightened, with one WARN line saying so when the
 * folder itself was open (files below an owner-only folder, which nobody else could reach, are
 * tightened without a line).
 *
 * <p>A process cannot set its umask per thread in Java, so files that a library writes below such
 * a folder (s3proxy's object files, for one) keep the permissions that library gives them: the
 * {@code 0700} folder above them is what keeps other users out. Symbolic links are neither
 * followed nor changed. On a file system without POSIX permissions (Windows) nothing is done.
 */
public final class OwnerOnlyFiles {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);
  private static final Set<PosixFilePermission> OWNER = EnumSet.of(
      PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_EXECUTE);
  private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString(
      "rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString(
      "rw-------");

  private OwnerOnlyFiles() {}

  /**
   * Makes {@code directory} and everything below it owner-only: creates it (and its missing
   * parents) {@code 0700} if it does not exist; otherwise removes every group and other permission
   * from it and from the folders and files below it, except below the {@code opaque} folders,
   * which are tightened themselves but not entered (a store that records something of its own in
   * those bits, such as s3proxy's object ACLs: the folder's {@code 0700} keeps others out).
   *
   * @return how many folders and files were tightened (0 for a new or already owner-only tree)
   * @throws UncheckedIOException naming the path that cannot be created or changed (for example a
   *     file that belongs to another user)
   */
  public static int secureTree(Path directory, Path... opaque) {
    requireNonNull(directory, "directory is null");
    Path given = directory.toAbsolutePath().normalize();
    if (!Files.exists(given)) {
      createDirectories(given);
      return 0;
    }
    if (!posix(given)) {
      return 0;
    }
    Path root;
    try {
      // A data folder that is a link to another place: it is that place that is made private.
      root = given.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot resolve " + given + ": " + e, e);
    }
    Set<Path> doNotEnter = new HashSet<>();
    for (Path p : opaque) {
      doNotEnter.add(root.resolve(given.relativize(given.resolve(p).normalize())));
    }
    int[] tightened = {0};
    boolean rootWasOpen;
    try {
      rootWasOpen = tighten(root);
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
            throws IOException {
          tightened[0] += dir.equals(root) || !tighten(dir) ? 0 : 1;
          return doNotEnter.contains(dir) ? FileVisitResult.SKIP_SUBTREE
              : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
            throws IOException {
          if (attributes.isRegularFile() || attributes.isDirectory()) {
            tightened[0] += tighten(file) ? 1 : 0;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE; // removed meanwhile: nothing left to protect
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot restrict " + root + " to its owner: " + e
          + ". Make its owner the user that runs edx (chown -R), or remove it", e);
    }
    if (rootWasOpen) {
      LOG.warn("{} was open to its group or to other users: made it and {} folders and files"
          + " below it accessible to their owner only", root, tightened[0]);
    } else if (tightened[0] > 0) {
      // Below an owner-only folder nobody else could reach them: not worth a line each run.
      LOG.debug("Made {} folders and files under {} accessible to their owner only", tightened[0],
          root);
    }
    return tightened[0] + (rootWasOpen ? 1 : 0);
  }

  /**
   * Makes {@code directory} itself owner-only ({@code 0700}), creating it and its missing parents
   * if need be, without entering it: for a folder whose content belongs to a store that records
   * something of its own in the permission bits (s3proxy's object and bucket ACLs).
   *
   * @return whether an existing folder was tightened
   */
  public static boolean secureFolder(Path directory) {
    return secureTree(directory, directory) > 0;
  }

  /** Creates {@code directory} and its missing parents {@code 0700}; an existing one is kept. */
  public static Path createDirectories(Path directory) {
    requireNonNull(directory, "directory is null");
    try {
      if (posix(existingAncestor(directory))) {
        return Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(FOLDER));
      }
      return Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the folder " + directory + ": " + e, e);
    }
  }

  /**
   * Writes {@code content} to {@code file} as UTF-8, readable and writable by its owner only
   * ({@code 0600} from the moment it exists): written to a new file beside it, then moved over it
   * atomically where the file system allows, so a reader sees the old or the new content, never a
   * part.
   */
  public static void writeString(Path file, String content) {
    requireNonNull(file, "file is null");
    requireNonNull(content, "content is null");
    Path target = file.toAbsolutePath().normalize();
    Path folder = target.getParent();
    Path temporary = null;
    try {
      FileAttribute<?>[] attributes = posix(folder)
          ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
          : new FileAttribute<?>[0];
      temporary = Files.createTempFile(folder, "." + target.getFileName() + "-", ".tmp",
          attributes);
      Files.writeString(temporary, content, StandardCharsets.UTF_8);
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + target + ": " + e, e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException e) {
          LOG.debug("Cannot delete {}", temporary, e);
        }
      }
    }
  }

  /** Removes the group and other permissions of {@code path}; true if it had any. */
  private static boolean tighten(Path path) throws IOException {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, PosixFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return false;
    }
    Set<PosixFilePermission> permissions = attributes.permissions();
    if (attributes.isSymbolicLink() || OWNER.containsAll(permissions)) {
      return false;
    }
    Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission p : permissions) {
      if (OWNER.contains(p)) {
        owner.add(p);
      }
    }
    // chmod by path, not the NOFOLLOW_LINKS view: the JDK implements that one by opening the
    // file and closing it again, and closing any descriptor of a file drops this process's POSIX
    // locks on it (the data directory's edx.lock). Links were ruled out above.
    Files.setPosixFilePermissions(path, owner);
    return true;
  }

  private static Path existingAncestor(Path path) {
    Path p = path.toAbsolutePath().normalize();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p;
  }

  private static boolean posix(Path path) {
    boolean posix = path != null
        && Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    if (!posix) {
      LOG.debug("{} has no POSIX permissions: its access is left to the file system", path);
    }
    return posix;
  }
}
