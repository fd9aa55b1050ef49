package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.api.Compute;
import dev.edx.api.ContainerJob;
import dev.edx.api.Environment;
import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.Metastore;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.Resources;
import dev.edx.api.Secrets;
import dev.edx.api.SparkJob;
import dev.edx.api.TaskJob;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.exceptions.JobTimeoutException;
import dev.edx.api.exceptions.NoSuchJobException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.embedded.S3Endpoint;
import dev.edx.testkit.MotoServer;
import dev.edx.toolkit.Specs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.emrcontainers.EmrContainersClient;
import software.amazon.awssdk.services.emrcontainers.model.JobRun;

/**
 * The {@code emr-eks} compute on <b>moto's server</b>, a third-party implementation of EMR on
 * EKS (emr-containers) and S3: the StartJobRun request as the service reads it back
 * (DescribeJobRun of a plain client), DescribeJobRun, await timing out while a job runs,
 * CancelJobRun, unknown job runs, and the logs read through the environment's storage (moto's
 * S3, in the same server). moto's job runs stay RUNNING until cancelled; the other transitions
 * are in {@link EmrEksJobStatesAgainstDoubleTest}. Skipped when moto is not installed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EmrEksComputeTest {
  /**
   * The computes' clock: await timeouts pass when a test moves it, never because the machine is
   * slow. It stands still otherwise.
   */
  private static final AtomicReference<Instant> NOW =
      new AtomicReference<>(Instant.parse("2026-11-30T10:00:00Z"));
  /** A permit per reading of the clock, so a test knows an await has taken its deadline. */
  private static final Semaphore CLOCK_READS = new Semaphore(0);
  private static final InstantSource CLOCK = () -> {
    Instant t = NOW.get();
    CLOCK_READS.release(); // after the read: a test that moves on moves the clock after it
    return t;
  };

  private static MotoServer moto;
  private static EmrContainersClient emr;
  private static String cluster;
  private static S3ObjectStorage storage;
  private static EmrEksCompute compute;

  @BeforeAll
  static void start() {
    Optional<MotoServer> started = MotoServer.start();
    assumeTrue(started.isPresent(), "moto is not installed (python3 -m moto.server)");
    moto = started.get();
    emr = EmrEksTesting.client(moto.endpoint());
    cluster = EmrEksTesting.createVirtualCluster(emr);
    storage = S3Testing.open(S3Endpoint.fromEnvironment(Map.of(
        S3Endpoint.ENDPOINT_VARIABLE, moto.endpoint().toString(),
        S3Endpoint.ACCESS_KEY_VARIABLE, MotoServer.ACCESS_KEY,
        S3Endpoint.SECRET_KEY_VARIABLE, MotoServer.SECRET_KEY)).orElseThrow());
    storage.createBucket("gha-logs");
    compute = open(cluster, b -> b.set(EmrEksProperties.LOG_URI.key(), "s3://gha-logs/emr/"));
  }

  @AfterAll
  static void stop() {
    if (moto != null) {
      compute.close();
      storage.close();
      emr.close();
      moto.close();
    }
  }

  private static EmrEksCompute open(String virtualCluster,
      UnaryOperator<ServiceSpec.Builder> more) {
    // The provider ServiceLoader finds, with the test's clock.
    return (EmrEksCompute) Specs.create(new EmrEksComputeProvider(CLOCK),
        more.apply(EmrEksTesting.spec(moto.endpoint(), virtualCluster)).build(),
        new WithStorage());
  }

  private static SparkJob job() {
    return new SparkJob("json2parquet", "dev.edx.gha.Json2Parquet",
        "s3a://gha-jobs/edx-gha.jar", List.of("--hour", "2015-01-01-15"),
        Map.of("spark.sql.shuffle.partitions", "8"), Resources.of(1, "2Gi"),
        Resources.of(2, "4g"), 3);
  }

  private static JobRun describe(JobHandle job) {
    return emr.describeJobRun(b -> b.virtualClusterId(cluster).id(job.id())).jobRun();
  }

  @Test
  void aSparkJobIsAStartJobRunThatTheServiceReadsBack() {
    JobHandle job = compute.submit(job());
    JobHandle other = compute.submit(job());

    JobRun run = describe(job);
    assertThat(run.name()).isEqualTo("json2parquet");
    assertThat(run.virtualClusterId()).isEqualTo(cluster);
    assertThat(run.executionRoleArn()).isEqualTo(EmrEksTesting.ROLE);
    assertThat(run.releaseLabel()).isEqualTo("emr-7.5.0-latest");
    var driver = run.jobDriver().sparkSubmitJobDriver();
    assertThat(driver.entryPoint()).isEqualTo("s3://gha-jobs/edx-gha.jar");
    assertThat(driver.entryPointArguments()).containsExactly("--hour", "2015-01-01-15");
    assertThat(driver.sparkSubmitParameters()).isEqualTo(
        "--class dev.edx.gha.Json2Parquet --conf spark.executor.instances=3"
            + " --conf spark.executor.cores=2 --conf spark.executor.memory=4g"
            + " --conf spark.driver.cores=1 --conf spark.driver.memory=2g");
    var overrides = run.configurationOverrides();
    assertThat(overrides.applicationConfiguration()).singleElement().satisfies(c -> {
      assertThat(c.classification()).isEqualTo("spark-defaults");
      assertThat(c.properties()).containsExactly(Map.entry("spark.sql.shuffle.partitions", "8"));
    });
    assertThat(overrides.monitoringConfiguration().s3MonitoringConfiguration().logUri())
        .isEqualTo("s3://gha-logs/emr");
    assertThat(run.tags()).containsEntry("managed-by", "edx")
        .containsEntry("edx.dev/environment", "test");
    assertThat(other.id()).isNotEqualTo(job.id());
    assertThat(job.status()).isEqualTo(JobStatus.of(JobState.RUNNING));
    assertThat(compute.job(job.id()).status()).isEqualTo(JobStatus.of(JobState.RUNNING));
  }

  @Test
  void awaitTimesOutWhileTheJobRunsAndCancelIsCancelJobRun() throws InterruptedException {
    JobHandle job = compute.submit(job());
    CLOCK_READS.drainPermits();
    CompletableFuture<JobStatus> waiting =
        CompletableFuture.supplyAsync(() -> job.await(Duration.ofMinutes(10)));
    CLOCK_READS.acquire(); // the await has read its deadline off the clock
    NOW.updateAndGet(t -> t.plus(Duration.ofMinutes(10)));
    assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOfSatisfying(JobTimeoutException.class, e -> {
          assertThat(e.jobId()).isEqualTo(job.id());
          assertThat(e.lastStatus().state()).isEqualTo(JobState.RUNNING);
        });

    job.cancel();

    assertThat(describe(job).stateAsString()).isEqualTo("CANCELLED");
    assertThat(job.status().state()).isEqualTo(JobState.CANCELLED);
    assertThat(job.await(Duration.ofSeconds(5)).state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void cancelOfAJobRunThatIsNoLongerCancellableKeepsItsState() {
    JobHandle job = compute.submit(job());
    // Someone else cancels it first: the service refuses a second CancelJobRun.
    emr.cancelJobRun(b -> b.virtualClusterId(cluster).id(job.id()));
    assertThatThrownBy(() -> emr.cancelJobRun(b -> b.virtualClusterId(cluster).id(job.id())))
        .hasMessageContaining("not in a cancellable state");

    job.cancel();
    job.cancel();

    assertThat(job.status().state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void unknownJobRunsAreNoSuchJob() {
    assertThatThrownBy(() -> compute.job("0000000000000000999"))
        .isInstanceOfSatisfying(NoSuchJobException.class,
            e -> assertThat(e.name()).isEqualTo("0000000000000000999"))
        .hasMessageContaining(cluster);
    // Not an id of the service's form: the service refuses it as invalid.
    assertThatThrownBy(() -> compute.job("edx-never-submitted"))
        .isInstanceOfSatisfying(NoSuchJobException.class,
            e -> assertThat(e.name()).isEqualTo("edx-never-submitted"));
    // A job run of another virtual cluster is not one of this compute's.
    String otherCluster = EmrEksTesting.createVirtualCluster(emr);
    try (EmrEksCompute other = open(otherCluster, b -> b)) {
      String id = other.submit(job()).id();
      assertThatThrownBy(() -> compute.job(id)).isInstanceOf(NoSuchJobException.class);
      assertThat(other.job(id).status().state()).isEqualTo(JobState.RUNNING);
    }
  }

  @Test
  void aMissingVirtualClusterFailsNamingItAndTheSetting() {
    try (EmrEksCompute missing = open("nosuchvirtualcluster0000", b -> b)) {
      assertThatThrownBy(() -> missing.submit(job()))
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("nosuchvirtualcluster0000")
          .hasMessageContaining("virtualClusterId")
          .hasMessageNotContaining(MotoServer.SECRET_KEY);
    }
  }

  @Test
  void logsAreReadFromTheMonitoringLocationThroughStorage() throws IOException {
    JobHandle job = compute.submit(job());
    assertThat(read(job.logs())).contains("no logs yet under s3://gha-logs/emr/" + cluster
        + "/jobs/" + job.id());
    String dir = "emr/" + cluster + "/jobs/" + job.id() + "/containers/spark-1/spark-1-driver/";
    storage.put(ObjectRef.of("gha-logs", dir + "stdout.gz"), gzip("rows written: 42\n"));
    storage.put(ObjectRef.of("gha-logs", dir + "stderr.gz"), gzip("WARN slow disk\n"));
    storage.put(ObjectRef.of("gha-logs", "emr/" + cluster + "/jobs/" + job.id()
        + "/containers/spark-1/spark-1-exec-1/stdout.gz"), gzip("executor noise\n"));

    String logs = read(job.logs());

    assertThat(logs).contains("rows written: 42").contains("WARN slow disk")
        .doesNotContain("executor noise");
  }

  @Test
  void withoutALogUriThereIsNoMonitoringLocationAndLogsSaySo() throws IOException {
    try (EmrEksCompute noLogs = open(cluster, b -> b)) {
      JobHandle job = noLogs.submit(job());

      assertThat(read(job.logs())).contains("no logUri");
      assertThat(describe(job).configurationOverrides().monitoringConfiguration()
          .s3MonitoringConfiguration()).isNull();
    }
  }

  @Test
  void taskAndContainerJobsAreRefusedPointingToTheK8sProvider() {
    assertThatThrownBy(() -> compute.submit(new ContainerJob("probe", "busybox:1",
        List.of("true"), Map.of())))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("ContainerJob").hasMessageContaining("k8s compute provider");
    assertThatThrownBy(() -> compute.submit(TaskJob.of(NoTask.class, Map.of())))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("TaskJob").hasMessageContaining("EKS");
  }

  @Test
  void specErrorsNameTheKey() {
    assertThatThrownBy(() -> open(cluster, b -> b.set(EmrEksProperties.EXECUTION_ROLE_ARN.key(),
        "edx-runner")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("executionRoleArn");
    assertThatThrownBy(() -> open(cluster, b -> b.set(EmrEksProperties.LOG_URI.key(),
        "https://x/y")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("logUri");
  }

  /** A task class for the refusal test; never run. */
  public static final class NoTask implements dev.edx.api.Task {
    @Override
    public void run(dev.edx.api.TaskContext context) {
      throw new AssertionError("never run");
    }
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static String read(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A provider context whose environment has moto's S3 as its storage. */
  private static final class WithStorage implements ProviderContext {
    @Override
    public String environmentName() {
      return "test";
    }

    @Override
    public Path baseDirectory() {
      return Path.of(".");
    }

    @Override
    public ClassLoader classLoader() {
      return getClass().getClassLoader();
    }

    @Override
    public Map<String, String> environmentVariables() {
      return Map.of();
    }

    @Override
    public Environment environment() {
      return new Environment() {
        @Override
        public String name() {
          return "test";
        }

        @Override
        public ObjectStorage storage() {
          return storage;
        }

        @Override
        public Compute compute() {
          return compute;
        }

        @Override
        public Metastore metastore() {
          throw new ConfigurationException("no metastore in this test");
        }

        @Override
        public Secrets secrets() {
          throw new ConfigurationException("no secrets in this test");
        }

        @Override
        public void close() {}
      };
    }
  }
}
