package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.exceptions.JobTimeoutException;
import dev.edx.testkit.ComputeContract;
import dev.edx.testkit.EdxCapability;
import dev.edx.testkit.MotoServer;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emrcontainers.EmrContainersClient;

/**
 * The compute contract of the {@code emr-eks} provider on <b>moto's server</b>, as far as moto
 * goes: Spark jobs are job runs; task and container jobs are refused, the documented failure;
 * unknown job ids are NoSuchJob. moto's job runs never leave RUNNING, so the contract's Spark
 * test is replaced here by what moto can show (submitted, found by id, RUNNING past an await,
 * cancelled); that a job run ends SUCCEEDED is proven against the double in {@link
 * EmrEksJobStatesAgainstDoubleTest}. Skipped when moto is not installed.
 */
class EmrEksComputeContractTest extends ComputeContract<EmrEksCompute> {
  private static MotoServer moto;
  private static EmrContainersClient emr;
  private static EmrEksCompute compute;

  @BeforeAll
  static void start() {
    Optional<MotoServer> started = MotoServer.start();
    assumeTrue(started.isPresent(), "moto is not installed (python3 -m moto.server)");
    moto = started.get();
    emr = EmrEksTesting.client(moto.endpoint());
    String cluster = EmrEksTesting.createVirtualCluster(emr);
    compute = (EmrEksCompute) Specs.create(EmrEksTesting.provider(),
        EmrEksTesting.spec(moto.endpoint(), cluster).build(), new TestProviderContext());
  }

  @AfterAll
  static void stop() {
    if (moto != null) {
      compute.close();
      emr.close();
      moto.close();
    }
  }

  @Override
  protected EmrEksCompute compute() {
    return compute;
  }

  @Override
  protected boolean supports(EdxCapability capability) {
    return switch (capability) {
      case COMPUTE_SPARK_JOBS -> true;
      case COMPUTE_TASK_JOBS, COMPUTE_CONTAINER_JOBS -> false;
      default -> super.supports(capability);
    };
  }

  /** moto's job runs stay RUNNING: submitted, found by id, still running, then cancelled. */
  @Test
  @Override
  public void sparkJobRunsOrFailsAsDocumented() {
    JobHandle handle = compute().submit(sparkJob());

    assertThat(compute().job(handle.id()).status().state()).isEqualTo(JobState.RUNNING);
    assertThatThrownBy(() -> handle.await(Duration.ofMillis(200)))
        .isInstanceOfSatisfying(JobTimeoutException.class,
            e -> assertThat(e.lastStatus().state()).isEqualTo(JobState.RUNNING));
    handle.cancel();
    assertThat(handle.await(jobTimeout()).state()).isEqualTo(JobState.CANCELLED);
  }
}
