package dev.edx.spark.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.TransferEvent;

/**
 * Download progress of a resolution, as lines: at most one every {@link #INTERVAL_NANOS} (the
 * files done and their megabytes, and the last one), and one for every large file. Downloads run
 * on several threads: thread safe.
 */
final class DownloadProgress extends AbstractTransferListener {
  static final long INTERVAL_NANOS = 2_000_000_000L;
  /** A file at least this large gets a line of its own. */
  static final long LARGE_BYTES = 10L << 20;

  private final Consumer<String> progress;
  private final LongSupplier nanoTime;
  private int files;
  private long bytes;
  private long lastLine;

  DownloadProgress(Consumer<String> progress) {
    this(progress, System::nanoTime);
  }

  DownloadProgress(Consumer<String> progress, LongSupplier nanoTime) {
    this.progress = requireNonNull(progress, "progress is null");
    this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    this.lastLine = nanoTime.getAsLong();
  }

  @Override
  public void transferSucceeded(TransferEvent event) {
    if (event.getRequestType() != TransferEvent.RequestType.GET) {
      return;
    }
    long size = event.getTransferredBytes();
    String name = event.getResource().getResourceName();
    String line = null;
    synchronized (this) {
      files++;
      bytes += size;
      long now = nanoTime.getAsLong();
      if (size >= LARGE_BYTES || now - lastLine >= INTERVAL_NANOS) {
        lastLine = now;
        line = "downloaded " + files + " files, " + megabytes(bytes) + " so far (last: "
            + name.substring(name.lastIndexOf('/') + 1) + ", " + megabytes(size) + ")";
      }
    }
    if (line != null) {
      progress.accept(line);
    }
  }

  /** What was downloaded in all, for the closing line. */
  synchronized String summary() {
    return files == 0 ? "nothing downloaded (all in the local repository)"
        : "downloaded " + files + " files (" + megabytes(bytes) + ")";
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
