package dev.edx.gha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edx.embedded.S3Endpoint;
import dev.edx.gha.Results;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code edx gha run} on an environment whose storage is the AWS provider's {@code s3} (AWS SDK,
 * path-style, endpoint override) on the testkit's embedded S3 endpoint, with the credentials read
 * through {@code ${file:}} references; metastore and compute are local. One real sample hour.
 */
class GhaOnS3StorageTest {

  @BeforeEach
  void needsTheSamples() {
    Samples.assumeAvailable();
  }

  @Test
  void thePipelineRunsOnS3Storage(@TempDir Path dir) throws Exception {
    try (S3Endpoint s3 = S3Endpoint.inFolder(dir.resolve("s3"))) {
      Files.createDirectories(dir.resolve("keys"));
      Files.writeString(dir.resolve("keys/access"), s3.accessKey());
      Files.writeString(dir.resolve("keys/secret"), s3.secretKey());
      Path spec = dir.resolve("aws.yaml");
      Files.writeString(spec, """
          apiVersion: edx.dev/v1
          kind: Environment
          metadata: {name: on-s3}
          spec:
            storage:
              provider: s3
              endpoint: "%s"
              region: %s
              pathStyle: true
              accessKeyId: "${file:keys/access}"
              secretAccessKey: "${file:keys/secret}"
            metastore: {provider: local, directory: metastore}
            compute: {provider: local, threads: 2}
            secrets: {provider: local, directory: secrets}
          """.formatted(s3.endpoint(), s3.region()));
      StringWriter out = new StringWriter();
      Path report = dir.resolve("report.json");

      int code = GhaCli.run(new String[] {"gha", "run", "--env", spec.toString(), "--source",
          Samples.folder().toString(), "--from", "2021-01-01T01", "--report",
          report.toString()}, new PrintWriter(out, true), new PrintWriter(out, true));

      assertThat(code).as(out.toString()).isZero();
      assertThat(out.toString()).doesNotContain(s3.secretKey());
      JsonNode hour = Results.JSON.readTree(report.toFile()).get("hours").get(0);
      assertThat(hour.get("events").asLong()).isEqualTo(1000);
      assertThat(hour.get("quarantined").asLong()).isZero();
      try (S3Client client = S3Client.builder().endpointOverride(s3.endpoint())
          .forcePathStyle(true).region(Region.of(s3.region()))
          .httpClientBuilder(UrlConnectionHttpClient.builder())
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()))).build()) {
        List<String> raw = client.listObjectsV2(b -> b.bucket("gha-raw")).contents().stream()
            .map(S3Object::key).toList();
        assertThat(raw).containsExactly("2021/01/01/1.json.gz");
        List<String> lake = client.listObjectsV2Paginator(b -> b.bucket("gha-lake")).contents()
            .stream().map(S3Object::key).toList();
        assertThat(lake).anySatisfy(k -> assertThat(k)
            .startsWith("events/year=2021/month=01/day=01/hour=01/").endsWith(".parquet"));
        assertThat(client.listObjectsV2(b -> b.bucket("gha-datamart")).contents()).isNotEmpty();
      }
    }
  }
}
