package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.JobHandle;
import dev.edx.api.JobSpec;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.exceptions.JobTimeoutException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job of {@link LocalCompute}: its status, its log, and what to stop on cancel (the worker's
 * future and, for process jobs, the process). Status changes go through {@link #start} and {@link
 * #finish}, under this object's monitor; a terminal status never changes again.
 */
final class LocalJob implements JobHandle {
  private static final Logger LOG = LoggerFactory.getLogger(LocalJob.class);
  /**
   * The longest {@link #await} waits before it reads the clock again: status changes wake it at
   * once, but the clock cannot (a test's clock moves without notice).
   */
  private static final Duration CLOCK_CHECK = Duration.ofMillis(50);

  private final String id;
  private final JobSpec spec;
  private final JobLog log;
  private final InstantSource clock;
  private JobStatus status = JobStatus.of(JobState.PENDING);
  private boolean cancelRequested;
  private Future<?> future;
  private Process process;

  LocalJob(String id, JobSpec spec, JobLog log, InstantSource clock) {
    this.id = requireNonNull(id, "id is null");
    this.spec = requireNonNull(spec, "spec is null");
    this.log = requireNonNull(log, "log is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public String id() {
    return id;
  }

  JobSpec spec() {
    return spec;
  }

  JobLog log() {
    return log;
  }

  @Override
  public synchronized JobStatus status() {
    return status;
  }

  synchronized void attach(Future<?> future) {
    this.future = future;
  }

  /**
   * Moves PENDING to RUNNING; false when the job was cancelled while it waited, in which case the
   * worker must not run it.
   */
  synchronized boolean start() {
    if (status.state() != JobState.PENDING || cancelRequested) {
      return false;
    }
    setStatus(JobStatus.of(JobState.RUNNING));
    return true;
  }

  /** Records the process to destroy on cancel; false (and destroys it) if cancel came first. */
  synchronized boolean attach(Process process) {
    this.process = process;
    if (cancelRequested) {
      LocalCompute.destroy(process);
      return false;
    }
    return true;
  }

  synchronized boolean cancelRequested() {
    return cancelRequested;
  }

  /**
   * Ends the job: CANCELLED if cancel was asked for before it ended, else {@code outcome}. A job
   * that already ended keeps its state.
   */
  synchronized void finish(JobStatus outcome) {
    if (status.isTerminal()) {
      return;
    }
    setStatus(cancelRequested ? JobStatus.of(JobState.CANCELLED, "cancelled") : outcome);
  }

  @Override
  public void cancel() {
    Future<?> toCancel;
    Process toDestroy;
    synchronized (this) {
      if (status.isTerminal() || cancelRequested) {
        return;
      }
      cancelRequested = true;
      log.line("cancel requested");
      if (status.state() == JobState.PENDING) {
        // Never started: it will not run (start() refuses it), so it is cancelled now.
        setStatus(JobStatus.of(JobState.CANCELLED, "cancelled before it started"));
      }
      toCancel = future;
      toDestroy = process;
    }
    if (toCancel != null) {
      toCancel.cancel(true);
    }
    if (toDestroy != null) {
      LocalCompute.destroy(toDestroy);
    }
  }

  @Override
  public JobStatus await(Duration timeout) {
    requireNonNull(timeout, "timeout is null");
    Instant deadline = clock.instant().plus(timeout);
    synchronized (this) {
      while (!status.isTerminal()) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          throw new JobTimeoutException(id, status, "Cannot await job " + id
              + ": not finished after " + timeout + "; last status " + status
              + "; the job keeps running");
        }
        try {
          Duration wait = left.compareTo(CLOCK_CHECK) < 0 ? left : CLOCK_CHECK;
          TimeUnit.NANOSECONDS.timedWait(this, wait.toNanos());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new JobTimeoutException(id, status,
              "Cannot await job " + id + ": interrupted; last status " + status);
        }
      }
      return status;
    }
  }

  @Override
  public InputStream logs() {
    return log.open();
  }

  private void setStatus(JobStatus next) {
    LOG.debug("Job {}: {} -> {}", id, status, next);
    status = next;
    if (next.isTerminal()) {
      log.line("job " + id + " " + next);
      LOG.info("Job {} ended {}", id, next);
    }
    notifyAll();
  }

  @Override
  public String toString() {
    return "LocalJob{" + id + ", " + status() + "}";
  }
}
