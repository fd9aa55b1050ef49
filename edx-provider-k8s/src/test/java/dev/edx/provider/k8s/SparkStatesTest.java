package dev.edx.provider.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** spark-operator's {@code applicationState.state} values and the edx states they map to. */
class SparkStatesTest {
  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
      "null, SUBMITTED", "SUBMITTED, SUBMITTED", "PENDING_RERUN, SUBMITTED",
      "INVALIDATING, SUBMITTED", "RUNNING, RUNNING", "SUCCEEDING, RUNNING", "FAILING, RUNNING",
      "COMPLETED, SUCCEEDED", "FAILED, FAILED", "SUBMISSION_FAILED, FAILED", "UNKNOWN, UNKNOWN",
      "SOMETHING_NEW, UNKNOWN"})
  void sparkApplicationStatesMapOntoJobStates(String state, JobState expected) {
    JobStatus status = K8sJob.sparkState(state, "driver pod failed: OOMKilled");

    assertThat(status.state()).isEqualTo(expected);
    if (expected == JobState.FAILED) {
      assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r)
          .contains("driver pod failed: OOMKilled"));
    }
  }

}
