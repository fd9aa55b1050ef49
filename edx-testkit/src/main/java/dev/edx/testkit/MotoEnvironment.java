package dev.edx.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * An environment on edx's AWS providers, all on one {@link MotoServer}, for tests that run edx
 * end to end as a user does: a spec file whose secrets are {@code secretsmanager}, storage {@code
 * s3} and metastore {@code glue}. The storage's own key pair reaches the spec only through {@code
 * ${secret:NAME/accessKey}} and {@code ${secret:NAME/secretKey}} from Secrets Manager, where
 * {@link Builder#build()} puts it first, as an administrator does once outside edx; the spec
 * adopts that secret, so {@code edx env destroy --purge} deletes it. The secrets provider signs
 * with moto's keys ({@link MotoServer#ACCESS_KEY}), read from files beside the spec ({@code
 * keys/access}, {@code keys/secret}). Plain SDK clients signed with moto's keys ({@link #s3()},
 * {@link #glue()}, {@link #secrets()}) look at what edx did.
 *
 * <pre>{@code
 * try (MotoEnvironment aws = MotoEnvironment.builder(moto, dir).setName("gha-on-moto")
 *     .setStorageKeys("gha-s3", "gha-storage", "gha-storage-secret")
 *     .setBuckets("gha-raw", "gha-lake").setDatabases("gha")
 *     .setCompute("{provider: local, threads: 2}").build()) {
 *   run("env", "apply", "--env", aws.spec().toString(), "--auto-approve");
 *   assertThat(aws.s3().listBuckets().buckets()).hasSize(2);
 * }
 * }</pre>
 *
 * <p>It closes its clients, not the server. It needs the AWS SDK's {@code s3}, {@code glue},
 * {@code secretsmanager} and {@code url-connection-client} on the test class path: the testkit
 * declares them optional, so a user who wants it adds them (test scope).
 */
public final class MotoEnvironment implements AutoCloseable {
  /** The region of the spec and of the clients. */
  public static final String REGION = "us-east-1";

  private final Path spec;
  private final SecretsManagerClient secrets;
  private final S3Client s3;
  private final GlueClient glue;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Plain clients on {@code server}, signed with moto's keys; the spec is not written yet. */
  private MotoEnvironment(MotoServer server, Path spec) {
    this.spec = spec;
    StaticCredentialsProvider moto = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
    this.secrets = SecretsManagerClient.builder().endpointOverride(server.endpoint())
        .region(Region.of(REGION)).credentialsProvider(moto)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    this.s3 = S3Client.builder().endpointOverride(server.endpoint()).forcePathStyle(true)
        .region(Region.of(REGION)).credentialsProvider(moto)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    this.glue = GlueClient.builder().endpointOverride(server.endpoint())
        .region(Region.of(REGION)).credentialsProvider(moto)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  /** An environment on {@code server} whose spec and key files go to {@code directory}. */
  public static Builder builder(MotoServer server, Path directory) {
    return new Builder(server, directory);
  }

  /** The spec file ({@code aws.yaml} in the folder given to the builder). */
  public Path spec() {
    return spec;
  }

  /** A plain S3 client on moto (path-style). */
  public S3Client s3() {
    return s3;
  }

  /** A plain Glue client on moto. */
  public GlueClient glue() {
    return glue;
  }

  /** A plain Secrets Manager client on moto. */
  public SecretsManagerClient secrets() {
    return secrets;
  }

  /** Closes the clients; idempotent. The server is the caller's. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      glue.close();
      s3.close();
      secrets.close();
    }
  }

  /** Settings of the environment; {@link #build()} writes the spec and stores the secret. */
  public static final class Builder {
    private final MotoServer server;
    private final Path directory;
    private String name = "edx-on-moto";
    private String storageSecret = "edx-storage";
    private String storageAccessKey = "edx-storage-key";
    private String storageSecretKey = "edx-storage-secret";
    private List<String> buckets = List.of();
    private List<String> databases = List.of();
    private String compute = "{provider: local, threads: 2}";

    private Builder(MotoServer server, Path directory) {
      this.server = requireNonNull(server, "server is null");
      this.directory = requireNonNull(directory, "directory is null");
    }

    /** The environment's name ({@code metadata.name}); {@code edx-on-moto} by default. */
    public Builder setName(String name) {
      this.name = requireNonNull(name, "name is null");
      return this;
    }

    /**
     * The storage's own key pair, stored as secret {@code secret} (keys {@code accessKey} and
     * {@code secretKey}); the storage and the metastore sign with it.
     */
    public Builder setStorageKeys(String secret, String accessKey, String secretKey) {
      this.storageSecret = requireNonNull(secret, "secret is null");
      this.storageAccessKey = requireNonNull(accessKey, "accessKey is null");
      this.storageSecretKey = requireNonNull(secretKey, "secretKey is null");
      return this;
    }

    /** The buckets the storage declares. */
    public Builder setBuckets(String... buckets) {
      this.buckets = List.of(buckets);
      return this;
    }

    /** The databases the metastore declares. */
    public Builder setDatabases(String... databases) {
      this.databases = List.of(databases);
      return this;
    }

    /** The compute section, as YAML on one line; {@code {provider: local, threads: 2}}. */
    public Builder setCompute(String compute) {
      this.compute = requireNonNull(compute, "compute is null");
      return this;
    }

    /**
     * Stores the storage's key pair in Secrets Manager and writes the spec and moto's key files
     * into the folder.
     *
     * @throws UncheckedIOException when the files cannot be written
     */
    public MotoEnvironment build() {
      MotoEnvironment environment = new MotoEnvironment(server, directory.resolve("aws.yaml"));
      try {
        environment.secrets.createSecret(b -> b.name(storageSecret).secretString("{\"accessKey\":\""
            + storageAccessKey + "\",\"secretKey\":\"" + storageSecretKey + "\"}"));
        Files.createDirectories(directory.resolve("keys"));
        Files.writeString(directory.resolve("keys/access"), MotoServer.ACCESS_KEY);
        Files.writeString(directory.resolve("keys/secret"), MotoServer.SECRET_KEY);
        Files.writeString(environment.spec, spec());
        return environment;
      } catch (IOException e) {
        environment.close();
        throw new UncheckedIOException("Cannot write the moto environment's spec in "
            + directory, e);
      } catch (RuntimeException e) {
        environment.close();
        throw e;
      }
    }

    private String spec() {
      return """
          apiVersion: edx.dev/v1
          kind: Environment
          metadata: {name: %1$s}
          spec:
            secrets:
              provider: secretsmanager
              endpoint: "%2$s"
              region: %3$s
              accessKeyId: "${file:keys/access}"
              secretAccessKey: "${file:keys/secret}"
              forceDelete: true
              secrets: [{name: %4$s, adopt: true}]
            storage:
              provider: s3
              endpoint: "%2$s"
              region: %3$s
              pathStyle: true
              accessKeyId: "${secret:%4$s/accessKey}"
              secretAccessKey: "${secret:%4$s/secretKey}"
              buckets: [%5$s]
            metastore:
              provider: glue
              endpoint: "%2$s"
              region: %3$s
              accessKeyId: "${secret:%4$s/accessKey}"
              secretAccessKey: "${secret:%4$s/secretKey}"
              databases: [%6$s]
            compute: %7$s
          """.formatted(name, server.endpoint(), REGION, storageSecret,
          String.join(", ", buckets), String.join(", ", databases), compute);
    }
  }
}
