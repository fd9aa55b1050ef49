package dev.edx.provider.aws;

import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.ComputeContract;
import dev.edx.testkit.EdxCapability;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The compute contract of the {@code emr-eks} provider: the real SDK {@code EmrContainersClient}
 * against a <b>local HTTP endpoint speaking EMR on EKS's REST-JSON protocol</b> whose job runs move
 * one state on at each DescribeJobRun ({@link LocalEmrContainers} with auto-run), not against AWS.
 * Spark jobs run; task and container jobs are refused, the documented failure.
 */
class EmrEksComputeContractAgainstLocalRestJsonEndpointTest
    extends ComputeContract<EmrEksCompute> {
  private static LocalJsonEndpoint endpoint;
  private static EmrEksCompute compute;

  @BeforeAll
  static void start() {
    endpoint = new LocalJsonEndpoint(new LocalEmrContainers("contractvc", true));
    ComputeProvider provider = ServiceLoader.load(ComputeProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("emr-eks"))
        .findFirst().orElseThrow();
    compute = (EmrEksCompute) provider.create(ServiceSpec.builder("compute", "emr-eks")
        .set(AwsProperties.ENDPOINT.key(), endpoint.uri().toString())
        .set(AwsProperties.REGION.key(), "eu-west-1")
        .set(EmrEksProperties.VIRTUAL_CLUSTER_ID.key(), "contractvc")
        .set(EmrEksProperties.EXECUTION_ROLE_ARN.key(),
            "arn:aws:iam::123456789012:role/edx-job-runner")
        .set(EmrEksProperties.POLL_INTERVAL.key(), "20ms")
        .setSensitive(AwsProperties.ACCESS_KEY_ID.key(), "AKIDEXAMPLE")
        .setSensitive(AwsProperties.SECRET_ACCESS_KEY.key(), "local-endpoint-secret-key")
        .build(), new TestContext());
  }

  @AfterAll
  static void stop() {
    compute.close();
    endpoint.close();
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
}
