package dev.edx.testkit.local;

import dev.edx.core.local.LocalCompute;
import dev.edx.testkit.ComputeContract;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

class LocalComputeContractTest extends ComputeContract<LocalCompute> {
  // No SPARK_HOME through the seam: SparkJobs end FAILED, as COMPUTE_SPARK_JOBS (unsupported)
  // documents.
  private final LocalCompute compute = new LocalCompute(2, 1024 * 1024, "local[*]",
      getClass().getClassLoader(), name -> Optional.empty(),
      () -> new TestEnvironment("contract"));

  @Override
  protected LocalCompute compute() {
    return compute;
  }

  @AfterEach
  void close() {
    compute.close();
  }
}
