package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.edx.api.spi.ComputeProvider;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.embedded.S3Endpoint;
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

/**
 * The {@code emr-eks} compute: the real SDK {@code EmrContainersClient} against a <b>local HTTP
 * endpoint speaking EMR on EKS's REST-JSON protocol</b> ({@link LocalEmrContainers} on {@link
 * LocalJsonEndpoint}), not against AWS: the StartJobRun request, the state mapping of
 * DescribeJobRun, CancelJobRun, the logs read through the environment's storage (the embedded S3
 * endpoint), and the refusal of task and container jobs.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EmrEksAgainstLocalRestJsonEndpointTest {
  private static final String CLUSTER = "abc123vc";
  private static final String ROLE = "arn:aws:iam::123456789012:role/edx-job-runner";
  /**
   * The computes' clock: await timeouts pass when a test moves it, never because the machine is
   * slow. It stands still otherwise, so an await here returns only on a terminal state.
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

  private static LocalEmrContainers service;
  private static LocalJsonEndpoint endpoint;
  private static S3Endpoint s3;
  private static S3ObjectStorage storage;
  private static Compute compute;

  @BeforeAll
  static void start() {
    service = new LocalEmrContainers(CLUSTER);
    endpoint = new LocalJsonEndpoint(service);
    s3 = S3Endpoint.inMemory();
    storage = S3Testing.open(s3);
    storage.createBucket("gha-logs");
    compute = open(b -> b.set(EmrEksProperties.LOG_URI.key(), "s3://gha-logs/emr/"));
  }

  @AfterAll
  static void stop() {
    ((EmrEksCompute) compute).close();
    storage.close();
    s3.close();
    endpoint.close();
  }

  static Compute open(UnaryOperator<ServiceSpec.Builder> more) {
    // The provider ServiceLoader finds (the contract test looks it up so), with the test's clock.
    ComputeProvider provider = new EmrEksComputeProvider(CLOCK);
    ServiceSpec.Builder spec = ServiceSpec.builder("compute", "emr-eks")
        .set(AwsProperties.ENDPOINT.key(), endpoint.uri().toString())
        .set(AwsProperties.REGION.key(), "eu-west-1")
        .set(EmrEksProperties.VIRTUAL_CLUSTER_ID.key(), CLUSTER)
        .set(EmrEksProperties.EXECUTION_ROLE_ARN.key(), ROLE)
        .set(EmrEksProperties.POLL_INTERVAL.key(), "20ms")
        .set(AwsProperties.RETRY_BASE_DELAY.key(), "10ms")
        .setSensitive(AwsProperties.ACCESS_KEY_ID.key(), "AKIDEXAMPLE")
        .setSensitive(AwsProperties.SECRET_ACCESS_KEY.key(), "local-endpoint-secret-key");
    return Specs.create(provider, more.apply(spec).build(), new WithStorage());
  }

  private static SparkJob job() {
    return new SparkJob("json2parquet", "dev.edx.gha.Json2Parquet",
        "s3a://gha-jobs/edx-gha.jar", List.of("--hour", "2015-01-01-15"),
        Map.of("spark.sql.shuffle.partitions", "8"), Resources.of(1, "2Gi"),
        Resources.of(2, "4g"), 3);
  }

  @Test
  void aSparkJobIsAStartJobRunWithItsDriverOverridesAndAnIdempotencyToken() {
    endpoint.clearRequests();
    JobHandle first = compute.submit(job());
    JobHandle second = compute.submit(job());

    var requests = endpoint.requests("StartJobRun");
    assertThat(requests).hasSize(2);
    var body = requests.get(0).body();
    assertThat(requests.get(0).path()).isEqualTo("/virtualclusters/" + CLUSTER + "/jobruns");
    assertThat(body.get("name").asText()).isEqualTo("json2parquet");
    assertThat(body.get("executionRoleArn").asText()).isEqualTo(ROLE);
    assertThat(body.get("releaseLabel").asText()).isEqualTo("emr-7.5.0-latest");
    assertThat(body.get("clientToken").asText()).isNotEqualTo(
        requests.get(1).body().get("clientToken").asText());
    var driver = body.get("jobDriver").get("sparkSubmitJobDriver");
    assertThat(driver.get("entryPoint").asText()).isEqualTo("s3://gha-jobs/edx-gha.jar");
    assertThat(driver.get("entryPointArguments").toString())
        .isEqualTo("[\"--hour\",\"2015-01-01-15\"]");
    assertThat(driver.get("sparkSubmitParameters").asText()).isEqualTo(
        "--class dev.edx.gha.Json2Parquet --conf spark.executor.instances=3"
            + " --conf spark.executor.cores=2 --conf spark.executor.memory=4g"
            + " --conf spark.driver.cores=1 --conf spark.driver.memory=2g");
    var overrides = body.get("configurationOverrides");
    assertThat(overrides.get("applicationConfiguration").get(0).get("classification").asText())
        .isEqualTo("spark-defaults");
    assertThat(overrides.get("applicationConfiguration").get(0).get("properties")
        .get("spark.sql.shuffle.partitions").asText()).isEqualTo("8");
    assertThat(overrides.get("monitoringConfiguration").get("s3MonitoringConfiguration")
        .get("logUri").asText()).isEqualTo("s3://gha-logs/emr");
    assertThat(body.get("tags").get("managed-by").asText()).isEqualTo("edx");
    assertThat(first.id()).isNotEqualTo(second.id());
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

    JobStatus failed = job.await(Duration.ofSeconds(5));
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.reason()).contains("USER_ERROR: Application exited with code 1");

    JobHandle ok = compute.submit(job());
    service.set(ok.id(), "COMPLETED", null, null);
    assertThat(ok.await(Duration.ofSeconds(5))).isEqualTo(JobStatus.of(JobState.SUCCEEDED));
  }

  @Test
  void awaitTimesOutAndCancelIsCancelJobRun() throws InterruptedException {
    JobHandle job = compute.submit(job());
    CLOCK_READS.drainPermits();
    CompletableFuture<JobStatus> waiting =
        CompletableFuture.supplyAsync(() -> job.await(Duration.ofMinutes(10)));
    CLOCK_READS.acquire(); // the await has read its deadline off the clock
    NOW.updateAndGet(t -> t.plus(Duration.ofMinutes(10)));
    assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOfSatisfying(JobTimeoutException.class,
            e -> assertThat(e.lastStatus().state()).isEqualTo(JobState.PENDING));

    endpoint.clearRequests();
    job.cancel();
    assertThat(endpoint.requests("CancelJobRun")).singleElement()
        .satisfies(r -> assertThat(r.method()).isEqualTo("DELETE"));
    assertThat(job.status()).satisfies(s -> {
      assertThat(s.state()).isEqualTo(JobState.RUNNING);
      assertThat(s.reason()).contains("cancel requested");
    });
    service.set(job.id(), "CANCELLED", null, "Job run cancelled by user");
    assertThat(job.status()).isEqualTo(JobStatus.of(JobState.CANCELLED,
        "Job run cancelled by user"));
    endpoint.clearRequests();
    job.cancel();
    assertThat(endpoint.requests("CancelJobRun")).as("a finished job keeps its state").isEmpty();
  }

  @Test
  void aMissingJobRunIsNoSuchJob() {
    assertThatThrownBy(() -> compute.job("0000000000000000999"))
        .isInstanceOfSatisfying(NoSuchJobException.class,
            e -> assertThat(e.name()).isEqualTo("0000000000000000999"));
  }

  @Test
  void logsAreReadFromTheMonitoringLocationThroughStorage() throws IOException {
    JobHandle job = compute.submit(job());
    String dir = "emr/" + CLUSTER + "/jobs/" + job.id() + "/containers/spark-1/spark-1-driver/";
    storage.put(ObjectRef.of("gha-logs", dir + "stdout.gz"), gzip("rows written: 42\n"));
    storage.put(ObjectRef.of("gha-logs", dir + "stderr.gz"), gzip("WARN slow disk\n"));
    storage.put(ObjectRef.of("gha-logs", "emr/" + CLUSTER + "/jobs/" + job.id()
        + "/containers/spark-1/spark-1-exec-1/stdout.gz"), gzip("executor noise\n"));

    String logs = read(job.logs());

    assertThat(logs).contains("rows written: 42").contains("WARN slow disk")
        .doesNotContain("executor noise");
  }

  @Test
  void withoutALogUriLogsSaySo() throws IOException {
    Compute noLogs = open(b -> b);
    JobHandle job = noLogs.submit(job());
    assertThat(read(job.logs())).contains("no logUri");
    assertThat(endpoint.requests("StartJobRun").get(endpoint.requests("StartJobRun").size() - 1)
        .body().get("configurationOverrides").get("monitoringConfiguration")
        .has("s3MonitoringConfiguration")).isFalse();
    ((EmrEksCompute) noLogs).close();
  }

  @Test
  void taskAndContainerJobsAreRefusedPointingToTheK8sProvider() {
    assertThatThrownBy(() -> compute.submit(new ContainerJob("probe", "busybox:1", List.of("true"),
        Map.of())))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("ContainerJob").hasMessageContaining("k8s compute provider");
    assertThatThrownBy(() -> compute.submit(TaskJob.of(NoTask.class, Map.of())))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("TaskJob").hasMessageContaining("EKS");
  }

  @Test
  void specErrorsNameTheKey() {
    assertThatThrownBy(() -> open(b -> b.set(EmrEksProperties.EXECUTION_ROLE_ARN.key(),
        "edx-runner")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("executionRoleArn");
    assertThatThrownBy(() -> open(b -> b.set(EmrEksProperties.LOG_URI.key(), "https://x/y")))
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

  /** A provider context whose environment has the embedded S3 storage. */
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
