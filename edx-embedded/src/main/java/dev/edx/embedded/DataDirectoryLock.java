package dev.edx.embedded;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who runs the servers of a data directory: the one process that holds an exclusive file lock on
 * {@code <directory>/edx.lock} for as long as its servers run (the platform's daemon, or an edx
 * command that started its own). The file names the holder (pid, what, since) for the error a
 * second process gets. The operating system releases the lock when the holder dies, so a crashed
 * holder never leaves the directory locked. Closing releases it; idempotent.
 */
public final class DataDirectoryLock implements AutoCloseable {
  /** The lock file's name in the data directory. */
  public static final String FILE = "edx.lock";

  /**
   * The lock files this JVM holds. File locks belong to the process, and on Linux closing any
   * channel of a locked file releases the process's lock on it: so this JVM never opens a file it
   * holds (a second owner in this JVM is refused from this set). A fact of the process, not a
   * cache: entries live exactly as long as the locks.
   */
  private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();
  /** What the lock files this JVM holds say, so that it never reads them (see above). */
  private static final Map<Path, Holder> HOLDERS_HERE = new ConcurrentHashMap<>();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DataDirectoryLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** The holder of a data directory, as its lock file names it. */
  public record Holder(long pid, String what, Instant since) {
    public Holder {
      requireNonNull(what, "what is null");
      requireNonNull(since, "since is null");
    }

    /** For example {@code edx process 1234 (edx sql ...), since 2026-11-30T14:02:11Z}. */
    public String describe() {
      return "process " + pid + " (" + what + "), since " + since.truncatedTo(ChronoUnit.SECONDS);
    }
  }

  /**
   * Takes the lock of {@code directory} (created if missing) for {@code what}, or returns empty
   * when another process (or another owner in this JVM) holds it.
   */
  public static Optional<DataDirectoryLock> tryAcquire(Path directory, String what) {
    requireNonNull(what, "what is null");
    Path file = lockFile(directory);
    if (!HELD_HERE.add(file)) {
      return Optional.empty();
    }
    FileChannel channel = null;
    try {
      Files.createDirectories(file.getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        HELD_HERE.remove(file);
        return Optional.empty();
      }
      Holder holder = new Holder(ProcessHandle.current().pid(), oneLine(what), Instant.now());
      HOLDERS_HERE.put(file, holder);
      String text = "pid=" + holder.pid() + "\nwhat=" + holder.what() + "\nsince="
          + holder.since() + "\n";
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return Optional.of(new DataDirectoryLock(file, channel, lock));
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      HOLDERS_HERE.remove(file);
      HELD_HERE.remove(file);
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new UncheckedIOException("Cannot lock the data directory " + file.getParent(),
          (IOException) e);
    }
  }

  /**
   * Whether some process (this one included) holds the lock of {@code directory} now. Probing
   * takes the lock for an instant when it is free.
   */
  public static boolean held(Path directory) {
    if (HELD_HERE.contains(lockFile(directory))) {
      return true;
    }
    if (!Files.exists(lockFile(directory))) {
      return false;
    }
    Optional<DataDirectoryLock> probe = tryAcquireQuietly(lockFile(directory));
    probe.ifPresent(DataDirectoryLock::close);
    return probe.isEmpty();
  }

  /** Takes the lock without rewriting the holder's description (a probe). */
  private static Optional<DataDirectoryLock> tryAcquireQuietly(Path file) {
    if (!HELD_HERE.add(file)) {
      return Optional.empty();
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        HELD_HERE.remove(file);
        return Optional.empty();
      }
      return Optional.of(new DataDirectoryLock(file, channel, lock));
    } catch (NoSuchFileException e) {
      closeQuietly(channel);
      HELD_HERE.remove(file);
      return Optional.empty();
    } catch (IOException e) {
      closeQuietly(channel);
      HELD_HERE.remove(file);
      throw new UncheckedIOException("Cannot probe the lock " + file, e);
    }
  }

  /** The holder the lock file of {@code directory} names, if it can be read. */
  public static Optional<Holder> holder(Path directory) {
    Path file = lockFile(directory);
    if (HELD_HERE.contains(file)) {
      return Optional.ofNullable(HOLDERS_HERE.get(file));
    }
    try {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String line : Files.readAllLines(lockFile(directory), StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          fields.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      return Optional.of(new Holder(Long.parseLong(fields.get("pid")), fields.get("what"),
          Instant.parse(fields.get("since"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The lock file of {@code directory}. */
  public static Path lockFile(Path directory) {
    return directory.toAbsolutePath().normalize().resolve(FILE);
  }

  private static String oneLine(String text) {
    String line = text.replaceAll("[\\r\\n]+", " ").strip();
    return line.length() <= 160 ? line : line.substring(0, 157) + "...";
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Closing a channel we failed to use: nothing else to do.
      }
    }
  }

  /** Releases the lock; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        lock.release();
      } catch (IOException ignored) {
        // Closing the channel below releases the lock too.
      }
      closeQuietly(channel);
      HOLDERS_HERE.remove(file);
      HELD_HERE.remove(file);
    }
  }

  @Override
  public String toString() {
    return "DataDirectoryLock{" + file + "}";
  }
}
