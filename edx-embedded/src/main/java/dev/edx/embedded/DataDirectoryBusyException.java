package dev.edx.embedded;

import dev.edx.api.exceptions.EdxException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Another process runs the servers of a data directory, and no platform serves it: the message
 * names that process and what to do.
 */
public final class DataDirectoryBusyException extends EdxException {
  private static final long serialVersionUID = 1L;

  private final transient Path directory;

  private DataDirectoryBusyException(String message, Path directory) {
    super(message);
    this.directory = directory;
  }

  /** The data directory. */
  public Path directory() {
    return directory;
  }

  /** The exception for {@code action} on {@code directory}, naming its holder if known. */
  public static DataDirectoryBusyException of(Path directory, String action) {
    Path dir = directory.toAbsolutePath().normalize();
    Optional<DataDirectoryLock.Holder> holder = DataDirectoryLock.holder(dir);
    String who = holder.map(h -> "edx " + h.describe()).orElse("another process");
    boolean platform = holder.map(h -> h.what().equals(Platform.LOCK_OWNER)).orElse(false);
    String advice = platform
        ? "it is a platform that is starting or stopping: try again in a moment, or see"
            + " `edx status --data-dir " + directory + "`"
        : "wait for it to end, or run `edx up --data-dir " + directory + "` first so that edx"
            + " commands share one platform (two at once included)";
    return new DataDirectoryBusyException("Cannot " + action + " in " + dir + ": the data"
        + " directory is in use by " + who + ", which runs its own servers on it; " + advice,
        dir);
  }
}
