package dev.edx.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.ContainerJob;
import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.TaskJob;
import dev.edx.api.exceptions.JobTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compute measures time on a clock the tests move ({@link #now}), so no await here times out
 * because the machine is slow: {@link #TIMEOUT} passes only when a test advances the clock. The
 * class timeout is the guard against a hang, not a measure of anything.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LocalComputeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** The compute's clock: it stands still unless a test moves it. */
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-11-30T10:00:00Z"));
  /** A permit per reading of the clock, so a test knows an await has taken its deadline. */
  private final Semaphore clockReads = new Semaphore(0);

  @TempDir
  Path folder;

  private LocalCompute compute;

  @AfterEach
  void close() {
    if (compute != null) {
      compute.close();
    }
  }

  private LocalCompute compute(int threads, long maxLogBytes, Map<String, String> env) {
    compute = new LocalCompute(threads, maxLogBytes, "local[2]", getClass().getClassLoader(),
        name -> Optional.ofNullable(env.get(name)), () -> {
          throw new IllegalStateException("no environment in this test");
        }, (InstantSource) () -> {
          Instant t = now.get();
          clockReads.release(); // after the read: a test that moves on moves the clock after it
          return t;
        });
    return compute;
  }

  @Test
  void pendingJobCancelledBehindAFullPoolNeverRuns() {
    LocalCompute compute = compute(1, 1 << 20, Map.of());
    JobHandle running = compute.submit(TaskJob.of(TestTasks.Sleep.class, Map.of()));
    awaitLog(running, "sleeping");
    JobHandle pending = compute.submit(TaskJob.of(TestTasks.Sleep.class, Map.of()));
    assertThat(pending.status().state()).isEqualTo(JobState.PENDING);

    pending.cancel();

    assertThat(pending.status().state()).isEqualTo(JobState.CANCELLED);
    running.cancel();
    assertThat(running.await(TIMEOUT).state()).isEqualTo(JobState.CANCELLED);
    // The worker is free again: a new job runs, and the cancelled one never did.
    JobHandle next = compute.submit(TaskJob.of(TestTasks.Sleep.class, Map.of("millis", "1")));
    assertThat(next.await(TIMEOUT).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(pending.status().state()).isEqualTo(JobState.CANCELLED);
    assertThat(log(pending)).doesNotContain("sleeping");
  }

  @Test
  void awaitTimesOutWhenTheClockPassesTheTimeoutAndNotBefore() throws Exception {
    LocalCompute compute = compute(1, 1 << 20, Map.of());
    JobHandle running = compute.submit(TaskJob.of(TestTasks.Sleep.class, Map.of()));
    awaitLog(running, "sleeping");

    clockReads.drainPermits();
    CompletableFuture<JobStatus> waiting =
        CompletableFuture.supplyAsync(() -> running.await(Duration.ofHours(1)));
    clockReads.acquire(); // the await has read its deadline off the clock
    now.updateAndGet(t -> t.plus(Duration.ofMinutes(59)));
    assertThat(waiting).isNotDone();
    now.updateAndGet(t -> t.plus(Duration.ofMinutes(1)));

    assertThatThrownBy(waiting::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(JobTimeoutException.class, e -> {
          assertThat(e.lastStatus().state()).isEqualTo(JobState.RUNNING);
          assertThat(e).hasMessageContaining("not finished after PT1H");
        });
    assertThat(running.status().state()).isEqualTo(JobState.RUNNING);
    running.cancel();
    assertThat(running.await(TIMEOUT).state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void jobIdsAreTheNameAndEightHexDigits() {
    LocalCompute compute = compute(1, 1 << 20, Map.of());

    JobHandle handle = compute.submit(new ContainerJob("echo job", "img", List.of("true"),
        Map.of()));

    assertThat(handle.id()).matches("echo-job-[0-9a-f]{8}");
    assertThat(compute.job(handle.id())).isSameAs(handle);
  }

  @Test
  void longLogsKeepTheirEndBehindAMarker() {
    LocalCompute compute = compute(1, 300, Map.of());

    JobHandle handle = compute.submit(new ContainerJob("chatty", "img",
        List.of("sh", "-c", "i=1; while [ $i -le 200 ]; do echo line-$i; i=$((i+1)); done"),
        Map.of()));

    assertThat(handle.await(TIMEOUT).state()).isEqualTo(JobState.SUCCEEDED);
    String log = log(handle);
    assertThat(log).startsWith("[log truncated]\n").contains("line-200\n")
        .doesNotContain("line-1\n");
    assertThat(log.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(300 + "[log truncated]\n".length());
  }

  @Test
  void jobLogDropsOldestBytesWithoutSplittingCharacters() {
    JobLog log = new JobLog(8);
    log.line("ab");
    assertThat(log.text()).isEqualTo("ab\n");

    log.line("é123456");

    // "ab\né123456\n" is 12 bytes (é is 2): the last 8 start inside é, which is skipped.
    assertThat(log.text()).isEqualTo("[log truncated]\n123456\n");
  }

  @Test
  void closeCancelsRunningJobsAndRefusesNewOnes() {
    LocalCompute compute = compute(2, 1 << 20, Map.of());
    JobHandle task = compute.submit(TaskJob.of(TestTasks.Sleep.class, Map.of()));
    JobHandle process = compute.submit(new ContainerJob("sleep", "img",
        List.of("sh", "-c", "echo started; exec sleep 60"), Map.of()));
    awaitLog(task, "sleeping");
    awaitLog(process, "started");

    compute.close();
    compute.close();

    assertThat(task.await(TIMEOUT).state()).isEqualTo(JobState.CANCELLED);
    assertThat(process.await(TIMEOUT).state()).isEqualTo(JobState.CANCELLED);
    assertThatThrownBy(() -> compute.submit(TaskJob.of(TestTasks.Sleep.class, Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void classesThatAreNotRunnableTasksFailWithTheReason() {
    LocalCompute compute = compute(2, 1 << 20, Map.of());

    JobStatus notATask = compute.submit(new TaskJob("string", "java.lang.String", Map.of()))
        .await(TIMEOUT);
    JobStatus noConstructor = compute.submit(
        TaskJob.of(TestTasks.NoDefaultConstructor.class, Map.of())).await(TIMEOUT);

    assertThat(notATask).isEqualTo(JobStatus.of(JobState.FAILED, "Cannot run task class"
        + " 'java.lang.String': it does not implement dev.edx.api.Task"));
    assertThat(noConstructor.reason()).contains("Cannot run task class '"
        + TestTasks.NoDefaultConstructor.class.getName()
        + "': it has no public no-argument constructor");
  }

  @Test
  void missingCommandFailsWithTheReason() {
    LocalCompute compute = compute(1, 1 << 20, Map.of());

    JobStatus status = compute.submit(new ContainerJob("missing", "img",
        List.of("/no/such/edx-command"), Map.of())).await(TIMEOUT);

    assertThat(status.state()).isEqualTo(JobState.FAILED);
    assertThat(status.reason()).hasValueSatisfying(r ->
        assertThat(r).startsWith("Cannot start command '/no/such/edx-command': "));
  }

  @Test
  void taskThatNeedsAnUnavailableEnvironmentFails() {
    LocalCompute compute = compute(1, 1 << 20, Map.of());

    JobStatus status = compute.submit(new TaskJob("env", EnvTask.class.getName(), Map.of()))
        .await(TIMEOUT);

    assertThat(status).isEqualTo(JobStatus.of(JobState.FAILED,
        "java.lang.IllegalStateException: no environment in this test"));
  }

  /** Asks for the environment. */
  public static final class EnvTask implements dev.edx.api.Task {
    @Override
    public void run(dev.edx.api.TaskContext context) {
      context.environment();
    }
  }

  /** Waits until the job's log contains {@code text}: woken by the log's writes. */
  private static void awaitLog(JobHandle handle, String text) {
    try {
      ((LocalJob) handle).log().awaitText(text);
    } catch (InterruptedException e) {
      throw new AssertionError("interrupted waiting for '" + text + "' in " + handle.id(), e);
    }
  }

  private static String log(JobHandle handle) {
    try (InputStream in = handle.logs()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
