package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Compute;
import dev.edx.api.ContainerJob;
import dev.edx.api.JobHandle;
import dev.edx.api.JobSpec;
import dev.edx.api.JobState;
import dev.edx.api.JobStatus;
import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.ObjectStorage;
import dev.edx.api.Resources;
import dev.edx.api.SparkJob;
import dev.edx.api.TaskJob;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.JobTimeoutException;
import dev.edx.api.exceptions.NoSuchJobException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.ProviderContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.emrcontainers.EmrContainersClient;
import software.amazon.awssdk.services.emrcontainers.model.Configuration;
import software.amazon.awssdk.services.emrcontainers.model.ConfigurationOverrides;
import software.amazon.awssdk.services.emrcontainers.model.JobDriver;
import software.amazon.awssdk.services.emrcontainers.model.JobRun;
import software.amazon.awssdk.services.emrcontainers.model.MonitoringConfiguration;
import software.amazon.awssdk.services.emrcontainers.model.PersistentAppUI;
import software.amazon.awssdk.services.emrcontainers.model.S3MonitoringConfiguration;
import software.amazon.awssdk.services.emrcontainers.model.SparkSubmitJobDriver;
import software.amazon.awssdk.services.emrcontainers.model.StartJobRunRequest;

/**
 * Compute on Amazon EMR on EKS: a {@link SparkJob} is a job run (StartJobRun) of the virtual
 * cluster, with the execution role, the release label, the entry point and arguments, the driver
 * and executor resources as spark-submit parameters, the Spark conf as a {@code spark-defaults}
 * configuration override, S3 monitoring logs under {@code logUri}, and a fresh idempotency token
 * ({@code clientToken}) per submit. States come from DescribeJobRun; {@code cancel} is
 * CancelJobRun; {@code logs} reads the driver's {@code stdout.gz}/{@code stderr.gz} from the
 * monitoring location through the environment's storage.
 *
 * <p>{@link TaskJob}s and {@link ContainerJob}s are refused: they run on the EKS cluster through
 * the {@code k8s} compute provider, whose {@code eks} connection setting authenticates it.
 */
final class EmrEksCompute implements Compute, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmrEksCompute.class);

  private final EmrEksSettings settings;
  private final ProviderContext context;
  private final EmrContainersClient client;
  private final InstantSource clock;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param clock the time of {@link JobHandle#await} timeouts; the poll interval between two
   *     DescribeJobRun calls stays real time
   */
  EmrEksCompute(EmrEksSettings settings, ProviderContext context, InstantSource clock) {
    this.settings = requireNonNull(settings, "settings is null");
    this.context = requireNonNull(context, "context is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.client = settings.aws().build(EmrContainersClient.builder());
  }

  @Override
  public JobHandle submit(JobSpec spec) {
    requireNonNull(spec, "spec is null");
    if (!(spec instanceof SparkJob spark)) {
      String kind = spec instanceof TaskJob ? "TaskJob" : spec instanceof ContainerJob
          ? "ContainerJob" : spec.getClass().getSimpleName();
      throw new UnsupportedOperationException("Cannot submit a " + kind + " to the emr-eks"
          + " compute: EMR on EKS runs SparkJobs only; run " + kind + "s on the EKS cluster with"
          + " the k8s compute provider (its eks setting, {cluster, region}, signs in to the"
          + " cluster)");
    }
    StartJobRunRequest request = startJobRun(spark, UUID.randomUUID().toString());
    String what = "submit Spark job '" + spark.name() + "'";
    String id = call(what, null, () -> client.startJobRun(request)).id();
    LOG.info("Submitted Spark job {} as job run {} on virtual cluster {}", spark.name(), id,
        settings.virtualClusterId());
    return new Handle(id);
  }

  /** The StartJobRun request of a Spark job. */
  StartJobRunRequest startJobRun(SparkJob job, String clientToken) {
    List<String> submit = new ArrayList<>();
    if (!job.mainClass().isEmpty()) {
      submit.add("--class " + job.mainClass());
    }
    submit.add("--conf spark.executor.instances=" + job.executorInstances());
    submit.add("--conf spark.executor.cores=" + job.executor().cores());
    submit.add("--conf spark.executor.memory=" + sparkMemory(job.executor()));
    submit.add("--conf spark.driver.cores=" + job.driver().cores());
    submit.add("--conf spark.driver.memory=" + sparkMemory(job.driver()));
    ConfigurationOverrides.Builder overrides = ConfigurationOverrides.builder();
    if (!job.conf().isEmpty()) {
      overrides.applicationConfiguration(Configuration.builder()
          .classification("spark-defaults").properties(new java.util.TreeMap<>(job.conf()))
          .build());
    }
    MonitoringConfiguration.Builder monitoring = MonitoringConfiguration.builder()
        .persistentAppUI(PersistentAppUI.ENABLED);
    settings.logUri().ifPresent(uri -> monitoring.s3MonitoringConfiguration(
        S3MonitoringConfiguration.builder().logUri(uri.toString()).build()));
    overrides.monitoringConfiguration(monitoring.build());
    return StartJobRunRequest.builder()
        .virtualClusterId(settings.virtualClusterId())
        .name(job.name())
        .clientToken(clientToken)
        .executionRoleArn(settings.executionRoleArn())
        .releaseLabel(settings.releaseLabel())
        .jobDriver(JobDriver.builder().sparkSubmitJobDriver(SparkSubmitJobDriver.builder()
            .entryPoint(s3(job.applicationResource()))
            .entryPointArguments(job.args())
            .sparkSubmitParameters(String.join(" ", submit))
            .build()).build())
        .configurationOverrides(overrides.build())
        .tags(Map.of(S3ObjectStorage.MANAGED_BY, "edx", S3ObjectStorage.ENVIRONMENT,
            context.environmentName()))
        .build();
  }

  /** EMR reads {@code s3://}; edx's storage names objects {@code s3a://}. */
  private static String s3(String resource) {
    return resource.startsWith("s3a://") ? "s3://" + resource.substring(6) : resource;
  }

  /** Kubernetes notation ({@code 4Gi}) to Spark's ({@code 4g}). */
  static String sparkMemory(Resources resources) {
    String m = resources.memory().replaceAll("[iIbB]+$", "");
    return m.toLowerCase(Locale.ROOT);
  }

  @Override
  public JobHandle job(String id) {
    requireNonNull(id, "id is null");
    Handle handle = new Handle(id);
    handle.describe(); // NoSuchJobException when there is no such job run
    return handle;
  }

  /** The edx state of an EMR on EKS job run state. */
  static JobStatus status(JobRun run) {
    String state = run.stateAsString() == null ? "" : run.stateAsString();
    String details = run.stateDetails() == null ? "" : run.stateDetails();
    String failure = run.failureReasonAsString() == null ? "" : run.failureReasonAsString();
    return switch (state) {
      case "PENDING" -> JobStatus.of(JobState.PENDING);
      case "SUBMITTED" -> JobStatus.of(JobState.SUBMITTED);
      case "RUNNING" -> JobStatus.of(JobState.RUNNING);
      case "CANCEL_PENDING" -> JobStatus.of(JobState.RUNNING, "cancel requested");
      case "COMPLETED" -> JobStatus.of(JobState.SUCCEEDED);
      case "FAILED" -> JobStatus.of(JobState.FAILED, (failure.isEmpty() ? "failed"
          : failure) + (details.isEmpty() ? "" : ": " + details));
      case "CANCELLED" -> JobStatus.of(JobState.CANCELLED, details.isEmpty() ? "cancelled"
          : details);
      default -> JobStatus.of(JobState.UNKNOWN, "EMR on EKS state '" + state + "'"
          + (details.isEmpty() ? "" : ": " + details));
    };
  }

  private final class Handle implements JobHandle {
    private final String id;

    Handle(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    JobRun describe() {
      return call("describe job run " + id, id, () -> client.describeJobRun(b -> b.id(id)
          .virtualClusterId(settings.virtualClusterId()))).jobRun();
    }

    @Override
    public JobStatus status() {
      return EmrEksCompute.status(describe());
    }

    @Override
    public JobStatus await(Duration timeout) {
      requireNonNull(timeout, "timeout is null");
      Instant deadline = clock.instant().plus(timeout);
      while (true) {
        JobStatus status = status();
        if (status.isTerminal()) {
          return status;
        }
        if (!clock.instant().isBefore(deadline)) {
          throw new JobTimeoutException(id, status, "Cannot await job run " + id + ": still "
              + status + " after " + timeout + "; it keeps running");
        }
        long sleep = Math.min(settings.pollInterval().toMillis(),
            Math.max(1, Duration.between(clock.instant(), deadline).toMillis()));
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new JobTimeoutException(id, status, "Cannot await job run " + id
              + ": interrupted");
        }
      }
    }

    /**
     * The driver's stdout and stderr, gunzipped, from {@code <logUri>/<virtual cluster>/jobs/<id>/
     * containers/<spark app>/<driver pod>/}, read through the environment's storage.
     */
    @Override
    public InputStream logs() {
      if (settings.logUri().isEmpty()) {
        return text("(no logs: the emr-eks compute has no logUri, so job run " + id
            + " writes its logs only to the pods; set logUri to read them here)\n");
      }
      URI uri = settings.logUri().get();
      String base = uri.getPath().replaceFirst("^/", "");
      String prefix = (base.isEmpty() ? "" : base + "/") + settings.virtualClusterId()
          + "/jobs/" + id + "/containers/";
      ObjectStorage storage = context.environment().storage();
      List<ObjectRef> logs;
      try (Stream<ObjectInfo> objects = storage.list(uri.getHost(), prefix)) {
        logs = objects.map(ObjectInfo::ref).filter(r -> r.key().contains("-driver/")
            && (r.key().endsWith("/stdout.gz") || r.key().endsWith("/stderr.gz"))).toList();
      }
      if (logs.isEmpty()) {
        return text("(no logs yet under s3://" + uri.getHost() + "/" + prefix + ")\n");
      }
      List<InputStream> streams = new ArrayList<>();
      for (ObjectRef ref : logs) {
        streams.add(text("==> " + ref.key() + " <==\n"));
        streams.add(gunzip(storage, ref));
      }
      return new SequenceInputStream(Collections.enumeration(streams));
    }

    /**
     * CancelJobRun. The service refuses it (ValidationException) for a job run that has ended
     * or whose cancel is already under way; then the job keeps its state and cancel returns.
     */
    @Override
    public void cancel() {
      boolean refused = call("cancel job run " + id, id, () -> {
        try {
          client.cancelJobRun(b -> b.id(id).virtualClusterId(settings.virtualClusterId()));
          return false;
        } catch (SdkException e) {
          if (AwsErrors.code(e).equals("ValidationException")) {
            return true;
          }
          throw e;
        }
      });
      if (refused) {
        JobRun run = describe(); // NoSuchJobException when there is no such job run
        boolean ended = EmrEksCompute.status(run).isTerminal();
        if (ended || "CANCEL_PENDING".equals(run.stateAsString())) {
          LOG.debug("Job run {} is {}: nothing to cancel", id, run.stateAsString());
          return;
        }
        throw new ProviderException("Cannot cancel job run " + id + " in virtual cluster "
            + settings.virtualClusterId() + ": the service refused it while the job run is "
            + run.stateAsString());
      }
      LOG.info("Cancelled job run {} on virtual cluster {}", id, settings.virtualClusterId());
    }

    @Override
    public String toString() {
      return "emr-eks job run " + id;
    }
  }

  private static InputStream gunzip(ObjectStorage storage, ObjectRef ref) {
    try (InputStream in = new GZIPInputStream(storage.open(ref))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out); // one driver log; small enough to hold
      return new ByteArrayInputStream(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the log " + ref, e);
    }
  }

  private static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private <T> T call(String what, String jobId, Supplier<T> call) {
    if (closed.get()) {
      throw new IllegalStateException("Cannot " + what + ": the emr-eks compute is closed");
    }
    try {
      return call.get();
    } catch (EdxException e) {
      throw e;
    } catch (SdkException e) {
      String code = AwsErrors.code(e);
      if (jobId != null && (code.equals("ResourceNotFoundException")
          || code.equals("ValidationException"))) {
        // ValidationException: the id is not of the service's form, so no job run has it
        throw new NoSuchJobException(jobId, "Cannot " + what + ": no job run " + jobId
            + " in virtual cluster " + settings.virtualClusterId() + " ("
            + AwsErrors.describe(e) + ")", e);
      }
      if (jobId == null && code.equals("ResourceNotFoundException")) {
        throw new ProviderException("Cannot " + what + " on " + settings.aws().where() + ": "
            + AwsErrors.describe(e) + "; check the emr-eks compute's virtualClusterId ("
            + settings.virtualClusterId() + ") and releaseLabel (" + settings.releaseLabel()
            + ")", e);
      }
      throw AwsErrors.unmapped(e, what, settings.aws());
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "EmrEksCompute{" + settings + "}";
  }
}
