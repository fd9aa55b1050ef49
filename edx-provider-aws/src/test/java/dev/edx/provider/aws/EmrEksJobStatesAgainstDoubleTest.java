package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.SparkJob;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The states of {@code emr-eks} job runs, against a <b>test double</b> ({@link
 * LocalEmrContainers} on {@link LocalJsonEndpoint}) because moto's job runs never leave RUNNING:
 * PENDING, SUBMITTED, RUNNING, COMPLETED, FAILED with its reason, CANCEL_PENDING then CANCELLED,
 * and await returning on the end state. The calls themselves are proven against moto ({@link
 * EmrEksComputeTest}, {@link EmrEksComputeContractTest}).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EmrEksJobStatesAgainstDoubleTest {
  private static final String CLUSTER = "doublevc";

  private static LocalEmrContainers service;
  private static LocalJsonEndpoint endpoint;
  private static EmrEksCompute compute;
  private static LocalJsonEndpoint running;
  private static EmrEksCompute runningCompute;

  @BeforeAll
  static void start() {
    service = new LocalEmrContainers(false);
    endpoint = new LocalJsonEndpoint(service);
    compute = open(endpoint);
    running = new LocalJsonEndpoint(new LocalEmrContainers(true));
    runningCompute = open(running);
  }

  @AfterAll
  static void stop() {
    compute.close();
    endpoint.close();
    runningCompute.close();
    running.close();
  }

  private static EmrEksCompute open(LocalJsonEndpoint at) {
    return (EmrEksCompute) Specs.create(EmrEksTesting.provider(),
        EmrEksTesting.spec(at.uri(), CLUSTER).build(), new TestProviderContext());
  }

  private static SparkJob job() {
    return SparkJob.of("json2parquet", "dev.edx.gha.Json2Parquet", "s3://gha-jobs/edx-gha.jar",
        List.of());
  }

  @Test
  void statesAreMappedWithTheFailureReason() {
    JobHandle job = compute.submit(job());
    assertThat(job.status()).isEqualTo(JobStatus.of(JobState.PENDING));
    service.set(job.id(), "SUBMITTED", null, null);
    assertThat(job.status().state()).isEqualTo(JobState.SUBMITTED);
    service.set(job.id(), "RUNNING", null, null);
    assertThat(compute.job(job.id()).status().state()).isEqualTo(JobState.RUNNING);
    service.set(job.id(), "FAILED", "USER_ERROR", "Application exited with code 1");

    JobStatus failed = job.await(Duration.ofSeconds(30));

    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.reason()).hasValue("USER_ERROR: Application exited with code 1");

    JobHandle ok = compute.submit(job());
    service.set(ok.id(), "COMPLETED", null, null);
    assertThat(ok.await(Duration.ofSeconds(30))).isEqualTo(JobStatus.of(JobState.SUCCEEDED));

    JobHandle odd = compute.submit(job());
    service.set(odd.id(), "ARCHIVED", null, "moved");
    assertThat(odd.status()).isEqualTo(JobStatus.of(JobState.UNKNOWN,
        "EMR on EKS state 'ARCHIVED': moved"));
  }

  @Test
  void aCancelUnderWayIsRunningUntilTheJobRunIsCancelled() {
    JobHandle job = compute.submit(job());
    service.set(job.id(), "RUNNING", null, null);

    job.cancel();

    assertThat(job.status()).isEqualTo(JobStatus.of(JobState.RUNNING, "cancel requested"));
    service.set(job.id(), "CANCELLED", null, "Job run cancelled by user");
    assertThat(job.await(Duration.ofSeconds(30))).isEqualTo(JobStatus.of(JobState.CANCELLED,
        "Job run cancelled by user"));
  }

  @Test
  void aSparkJobThatEmrRunsEndsSucceeded() {
    JobHandle job = runningCompute.submit(job());

    assertThat(job.await(Duration.ofSeconds(30))).isEqualTo(JobStatus.of(JobState.SUCCEEDED));
    assertThat(running.requests("DescribeJobRun")).hasSizeGreaterThanOrEqualTo(4);
  }
}
