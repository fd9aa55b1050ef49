package dev.edx.testkit;

import static dev.edx.testkit.Consistency.awaitConsistent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.api.Compute;
import dev.edx.api.ContainerJob;
import dev.edx.api.Environment;
import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.SparkJob;
import dev.edx.api.Task;
import dev.edx.api.TaskContext;
import dev.edx.api.TaskJob;
import dev.edx.api.exceptions.JobTimeoutException;
import dev.edx.api.exceptions.NoSuchJobException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Compute} provider passes. A subclass supplies {@link #compute()} and
 * overrides {@link #supports(EdxCapability)} where the provider differs from the defaults. For an
 * unsupported capability the test asserts the documented failure: {@code submit} refuses the job
 * with an {@link UnsupportedOperationException}, or (Spark) the job ends FAILED with a reason.
 *
 * <p>The tasks it runs are the public nested classes below, so any provider that can load the
 * testkit can run them.
 *
 * @param <C> the compute implementation under test
 */
public abstract class ComputeContract<C extends Compute> {
  /** Prefix of this run's job names. */
  protected static final String PREFIX =
      "edxct-" + HexFormat.of().formatHex(randomBytes()) + "-";

  /** The compute service under test; the subclass owns and closes it. */
  protected abstract C compute();

  /**
   * Whether the provider has a capability; defaults to {@link EdxCapability#defaultSupported()}.
   */
  protected boolean supports(EdxCapability capability) {
    return capability.defaultSupported();
  }

  /** How long a short job may take from submit to its end; longer for remote backends. */
  protected Duration jobTimeout() {
    return Duration.ofSeconds(30);
  }

  /** The Spark job run when {@link EdxCapability#COMPUTE_SPARK_JOBS} is supported. */
  protected SparkJob sparkJob() {
    return SparkJob.of(PREFIX + "spark-pi", "org.apache.spark.examples.SparkPi",
        "local:///opt/spark/examples/jars/spark-examples.jar", List.of("10"));
  }

  // --- tasks the contract runs ---

  /** Checks its {@code greeting} param is {@code hello}, logs a line and reports progress. */
  public static final class SucceedingTask implements Task {
    public SucceedingTask() {}

    @Override
    public void run(TaskContext context) {
      String greeting = context.param("greeting");
      if (!greeting.equals("hello")) {
        throw new IllegalArgumentException("greeting is '" + greeting + "', not 'hello'");
      }
      context.log("contract task says " + greeting + " from " + context.jobId());
      context.progress(1, 2, "half way");
      context.progress(2, 2, "done");
    }
  }

  /** Throws {@code IllegalStateException("boom")}. */
  public static final class FailingTask implements Task {
    public FailingTask() {}

    @Override
    public void run(TaskContext context) {
      throw new IllegalStateException("boom");
    }
  }

  /** Logs {@code sleeping}, then sleeps {@code millis} (default a minute); stops on interrupt. */
  public static final class SleepingTask implements Task {
    public SleepingTask() {}

    @Override
    public void run(TaskContext context) throws InterruptedException {
      long millis = Long.parseLong(context.params().getOrDefault("millis", "60000"));
      context.log("sleeping");
      Thread.sleep(millis);
      context.log("woke up");
    }
  }

  /** Fails unless {@code context.environment()} gives an environment; logs its name. */
  public static final class EnvironmentTask implements Task {
    public EnvironmentTask() {}

    @Override
    public void run(TaskContext context) {
      Environment environment = context.environment();
      if (environment == null) {
        throw new IllegalStateException("the task context has no environment");
      }
      context.log("environment is " + environment.name());
    }
  }

  // --- task jobs ---

  @Test
  public void taskJobSucceedsWithItsLogAndParams() {
    TaskJob job = new TaskJob(PREFIX + "ok", SucceedingTask.class.getName(),
        Map.of("greeting", "hello"));
    if (!supports(EdxCapability.COMPUTE_TASK_JOBS)) {
      assertThatThrownBy(() -> compute().submit(job))
          .isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    JobHandle handle = compute().submit(job);

    JobStatus status = handle.await(jobTimeout());

    assertThat(status.state()).as("status %s, log:%n%s", status, logOf(handle))
        .isEqualTo(JobState.SUCCEEDED);
    assertThat(handle.id()).isNotBlank();
    assertThat(handle.status()).isEqualTo(status);
    assertThat(logOf(handle))
        .contains("contract task says hello from " + handle.id())
        .contains("progress 1/2: half way")
        .contains("progress 2/2: done");
    assertThat(compute().job(handle.id()).status()).isEqualTo(status);
  }

  @Test
  public void taskWithWrongParamsFails() {
    assumeTrue(supports(EdxCapability.COMPUTE_TASK_JOBS));
    JobHandle handle = compute().submit(new TaskJob(PREFIX + "bad-params",
        SucceedingTask.class.getName(), Map.of("greeting", "bye")));

    JobStatus status = handle.await(jobTimeout());

    assertThat(status.state()).isEqualTo(JobState.FAILED);
    assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r)
        .contains("IllegalArgumentException").contains("greeting is 'bye'"));
  }

  @Test
  public void failingTaskEndsFailedWithTheCause() {
    assumeTrue(supports(EdxCapability.COMPUTE_TASK_JOBS));
    JobHandle handle = compute().submit(TaskJob.of(FailingTask.class, Map.of()));

    JobStatus status = handle.await(jobTimeout());

    assertThat(status.state()).isEqualTo(JobState.FAILED);
    assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r)
        .contains("IllegalStateException").contains("boom"));
    assertThat(logOf(handle)).contains("boom");
  }

  @Test
  public void taskSeesItsEnvironment() {
    assumeTrue(supports(EdxCapability.COMPUTE_TASK_JOBS));
    JobHandle handle = compute().submit(TaskJob.of(EnvironmentTask.class, Map.of()));

    JobStatus status = handle.await(jobTimeout());

    assertThat(status.state()).as("status %s, log:%n%s", status, logOf(handle))
        .isEqualTo(JobState.SUCCEEDED);
    assertThat(logOf(handle)).contains("environment is ");
  }

  @Test
  public void unknownTaskClassFailsNamingTheClass() {
    assumeTrue(supports(EdxCapability.COMPUTE_TASK_JOBS));
    String missing = "dev.edx.testkit.NoSuchTask" + PREFIX.replace("-", "");
    JobHandle handle = compute().submit(new TaskJob(PREFIX + "missing", missing, Map.of()));

    JobStatus status = handle.await(jobTimeout());

    assertThat(status.state()).isEqualTo(JobState.FAILED);
    assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r).contains(missing));
  }

  @Test
  public void cancelStopsARunningJobAndIsIdempotent() {
    assumeTrue(supports(EdxCapability.COMPUTE_TASK_JOBS));
    JobHandle handle = compute().submit(TaskJob.of(SleepingTask.class, Map.of()));
    awaitConsistent(jobTimeout(), () -> assertThat(logOf(handle)).contains("sleeping"));
    assertThat(handle.status().state()).isEqualTo(JobState.RUNNING);

    handle.cancel();
    JobStatus status = handle.await(jobTimeout());
    handle.cancel();

    assertThat(status.state()).isEqualTo(JobState.CANCELLED);
    assertThat(handle.status().state()).isEqualTo(JobState.CANCELLED);
    assertThat(logOf(handle)).doesNotContain("woke up");
  }

  @Test
  public void cancelOfAFinishedJobKeepsItsState() {
    assumeTrue(supports(EdxCapability.COMPUTE_TASK_JOBS));
    JobHandle handle = compute().submit(TaskJob.of(SucceedingTask.class,
        Map.of("greeting", "hello")));
    assertThat(handle.await(jobTimeout()).state()).isEqualTo(JobState.SUCCEEDED);

    handle.cancel();

    assertThat(handle.status().state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  public void awaitTimesOutWhileTheJobKeepsRunning() {
    assumeTrue(supports(EdxCapability.COMPUTE_TASK_JOBS));
    JobHandle handle = compute().submit(TaskJob.of(SleepingTask.class, Map.of()));
    try {
      awaitConsistent(jobTimeout(), () -> assertThat(logOf(handle)).contains("sleeping"));

      assertThatThrownBy(() -> handle.await(Duration.ofMillis(200)))
          .isInstanceOfSatisfying(JobTimeoutException.class, e -> {
            assertThat(e.jobId()).isEqualTo(handle.id());
            assertThat(e.lastStatus().isTerminal()).isFalse();
          });
      assertThat(handle.status().isTerminal()).isFalse();
    } finally {
      handle.cancel();
    }
    assertThat(handle.await(jobTimeout()).state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  public void unknownJobIdIsNoSuchJob() {
    String id = PREFIX + "never-submitted";

    assertThatThrownBy(() -> compute().job(id))
        .isInstanceOfSatisfying(NoSuchJobException.class,
            e -> assertThat(e.name()).isEqualTo(id))
        .hasMessageContaining(id);
  }

  // --- container jobs ---

  @Test
  public void containerJobSucceedsWithItsOutputAndEnv() {
    ContainerJob job = new ContainerJob(PREFIX + "echo", "busybox:1.36",
        List.of("sh", "-c", "echo \"hello from $EDX_CONTRACT\""), Map.of("EDX_CONTRACT", "edx"));
    if (!supports(EdxCapability.COMPUTE_CONTAINER_JOBS)) {
      assertThatThrownBy(() -> compute().submit(job))
          .isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    JobHandle handle = compute().submit(job);

    JobStatus status = handle.await(jobTimeout());

    assertThat(status.state()).as("status %s, log:%n%s", status, logOf(handle))
        .isEqualTo(JobState.SUCCEEDED);
    awaitConsistent(jobTimeout(), () -> assertThat(logOf(handle)).contains("hello from edx"));
  }

  @Test
  public void containerJobWithNonZeroExitFailsWithTheExitCode() {
    assumeTrue(supports(EdxCapability.COMPUTE_CONTAINER_JOBS));
    JobHandle handle = compute().submit(new ContainerJob(PREFIX + "exit", "busybox:1.36",
        List.of("sh", "-c", "echo failing; exit 3"), Map.of()));

    JobStatus status = handle.await(jobTimeout());

    assertThat(status.state()).isEqualTo(JobState.FAILED);
    assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r).contains("3"));
  }

  @Test
  public void containerJobCanBeCancelled() {
    assumeTrue(supports(EdxCapability.COMPUTE_CONTAINER_JOBS));
    JobHandle handle = compute().submit(new ContainerJob(PREFIX + "sleep", "busybox:1.36",
        List.of("sh", "-c", "echo started; sleep 60"), Map.of()));
    awaitConsistent(jobTimeout(), () -> assertThat(logOf(handle)).contains("started"));

    handle.cancel();

    assertThat(handle.await(jobTimeout()).state()).isEqualTo(JobState.CANCELLED);
  }

  // --- spark jobs ---

  @Test
  public void sparkJobRunsOrFailsAsDocumented() {
    SparkJob job = sparkJob();
    if (!supports(EdxCapability.COMPUTE_SPARK_JOBS)) {
      // Documented failures: refused at submit, or accepted and ended FAILED with the reason.
      JobHandle handle;
      try {
        handle = compute().submit(job);
      } catch (UnsupportedOperationException e) {
        assertThat(e.getMessage()).isNotBlank();
        return;
      }
      JobStatus status = handle.await(jobTimeout());
      assertThat(status.state()).isEqualTo(JobState.FAILED);
      assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r).isNotBlank());
      return;
    }
    JobHandle handle = compute().submit(job);

    JobStatus status = handle.await(jobTimeout());

    assertThat(status.state()).as("status %s, log:%n%s", status, logOf(handle))
        .isEqualTo(JobState.SUCCEEDED);
  }

  // --- helpers ---

  /** The job's log so far. */
  protected static String logOf(JobHandle handle) {
    try (InputStream in = handle.logs()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the log of job " + handle.id(), e);
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[3];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
