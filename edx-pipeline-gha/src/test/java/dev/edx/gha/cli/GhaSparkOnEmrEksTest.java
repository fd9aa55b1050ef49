package dev.edx.gha.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.gha.SparkEngine;
import dev.edx.testkit.MotoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emrcontainers.EmrContainersClient;
import software.amazon.awssdk.services.emrcontainers.model.ContainerProviderType;
import software.amazon.awssdk.services.emrcontainers.model.JobRun;
import software.amazon.awssdk.services.emrcontainers.model.SparkSubmitJobDriver;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code edx gha convert --engine spark} with {@code compute: emr-eks} and {@code storage: s3},
 * both on moto's server: the step is one StartJobRun whose entry point is the application jar the
 * pipeline uploaded to the lake bucket ({@code --spark-upload}), whose arguments are the
 * application's contract with the spec handed in the lake bucket, and which carries no key: on
 * EMR on EKS the job role gives Spark its S3 access. moto's job runs never leave RUNNING, so the
 * test cancels the run once it has read it back; the pipeline then reports the hour failed with
 * the cancelled job. Skipped where moto is not installed.
 */
class GhaSparkOnEmrEksTest {
  private static final String REGION = "eu-west-1";
  private static final String ACCESS_KEY = "AKIAGHASPARKEMRTEST";
  private static final String SECRET_KEY = "gha-spark-emr-secret-value";
  private static final String HOUR = "2021-01-01T01";

  @Test
  void convertIsAJobRunOfTheUploadedJarWithTheContractsArgumentsAndNoKeys(@TempDir Path dir)
      throws Exception {
    Optional<MotoServer> started = MotoServer.start();
    assumeTrue(started.isPresent(), "moto is not installed (python3 -m moto.server)");
    try (MotoServer moto = started.get(); EmrContainersClient emr = EmrContainersClient.builder()
        .endpointOverride(moto.endpoint()).region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      String namespace = "edx-" + UUID.randomUUID().toString().substring(0, 8);
      String cluster = emr.createVirtualCluster(b -> b.name(namespace)
          .clientToken(UUID.randomUUID().toString())
          .containerProvider(p -> p.id("gha-eks").type(ContainerProviderType.EKS)
              .info(i -> i.eksInfo(e -> e.namespace(namespace))))).id();
      Files.createDirectories(dir.resolve("keys"));
      Files.writeString(dir.resolve("keys/access"), ACCESS_KEY);
      Files.writeString(dir.resolve("keys/secret"), SECRET_KEY);
      Path jar = dir.resolve("edx-pipeline-gha-spark-test.jar");
      Files.write(jar, new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0});
      Path spec = dir.resolve("gha-emr.yaml");
      Files.writeString(spec, """
          apiVersion: edx.dev/v1
          kind: Environment
          metadata: {name: gha-emr}
          spec:
            storage:
              provider: s3
              endpoint: "%1$s"
              region: %2$s
              pathStyle: true
              accessKeyId: "${file:keys/access}"
              secretAccessKey: "${file:keys/secret}"
            metastore: {provider: local, directory: metastore}
            compute:
              provider: emr-eks
              endpoint: "%1$s"
              region: %2$s
              accessKeyId: "${file:keys/access}"
              secretAccessKey: "${file:keys/secret}"
              virtualClusterId: %3$s
              executionRoleArn: "arn:aws:iam::123456789012:role/edx-gha-spark"
              pollInterval: 20ms
          """.formatted(moto.endpoint(), REGION, cluster));
      StringWriter out = new StringWriter();

      CompletableFuture<Integer> convert = CompletableFuture.supplyAsync(() -> GhaCli.run(
          new String[] {"gha", "convert", "--env", spec.toString(), "--from", HOUR,
              "--engine", "spark", "--spark-app-jar", jar.toString(), "--spark-upload",
              "--spark-executors", "3"},
          new PrintWriter(out, true), new PrintWriter(out, true)));
      JobRun summary = awaitJobRun(emr, cluster, convert);
      JobRun run = emr.describeJobRun(b -> b.id(summary.id()).virtualClusterId(cluster))
          .jobRun();
      emr.cancelJobRun(b -> b.id(summary.id()).virtualClusterId(cluster));
      int code = convert.get(2, TimeUnit.MINUTES);

      SparkSubmitJobDriver driver = run.jobDriver().sparkSubmitJobDriver();
      assertThat(driver.entryPoint()).isEqualTo("s3://gha-lake/" + SparkEngine.UPLOAD_PREFIX
          + jar.getFileName());
      List<String> args = driver.entryPointArguments();
      String runId = args.get(4);
      assertThat(args).containsExactly("convert", "--env", "s3a://gha-lake/_edx/runs/" + runId
          + "/environment.yaml", "--run", runId, "--raw-bucket", "gha-raw", "--lake-bucket",
          "gha-lake", "--hours", HOUR);
      assertThat(driver.sparkSubmitParameters()).startsWith("--class " + SparkEngine.MAIN_CLASS)
          .contains("--conf spark.executor.instances=3");
      String request = run.toString() + run.configurationOverrides();
      assertThat(request).doesNotContain(SECRET_KEY).doesNotContain(ACCESS_KEY);
      assertThat(run.executionRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/edx-gha-spark");

      // The jar and the spec the driver opens are in the lake; the spec keeps its references.
      try (S3Client s3 = S3Client.builder().endpointOverride(moto.endpoint())
          .forcePathStyle(true).region(Region.of(REGION))
          .httpClientBuilder(UrlConnectionHttpClient.builder())
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))).build()) {
        assertThat(s3.headObject(b -> b.bucket("gha-lake").key(SparkEngine.UPLOAD_PREFIX
            + jar.getFileName())).contentLength()).isEqualTo(Files.size(jar));
        String handed = s3.getObjectAsBytes(b -> b.bucket("gha-lake").key("_edx/runs/"
            + runId + "/environment.yaml")).asUtf8String();
        assertThat(handed).contains("${file:keys/secret}").doesNotContain(SECRET_KEY);
      }
      assertThat(code).as(out.toString()).isEqualTo(1);
      assertThat(out.toString()).contains("convert " + HOUR + " failed")
          .contains("CANCELLED").doesNotContain(SECRET_KEY);
    }
  }

  /** The first job run of the virtual cluster, once the pipeline has started it. */
  private static JobRun awaitJobRun(EmrContainersClient emr, String cluster,
      CompletableFuture<Integer> pipeline) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      List<JobRun> runs = emr.listJobRuns(b -> b.virtualClusterId(cluster)).jobRuns();
      if (!runs.isEmpty()) {
        return runs.get(0);
      }
      if (pipeline.isDone()) {
        throw new AssertionError("the pipeline ended without a job run: " + pipeline.join());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no job run within 2 minutes");
  }
}
