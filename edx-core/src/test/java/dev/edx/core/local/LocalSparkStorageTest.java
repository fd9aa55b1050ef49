package dev.edx.core.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.api.JobHandle;
import dev.edx.api.JobState;
import dev.edx.api.ObjectStorage;
import dev.edx.api.S3Access;
import dev.edx.api.SparkJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SparkJob on local compute reaches the environment's S3 storage: the storage's S3A endpoint,
 * region and path style join the job's conf (the job's own keys win), and its
 * credentials reach the child process as {@code AWS_*} environment variables, never its command
 * line, which the job's log shows. spark-submit here is a script that reports what it got.
 */
class LocalSparkStorageTest {
  private static final String ACCESS_KEY = "AKIALOCALSPARKTEST";
  private static final String SECRET_KEY = "local-spark-secret-value";
  private static final S3Access STORAGE = new S3Access(
      Optional.of(URI.create("http://127.0.0.1:9000")), Optional.of("us-east-1"), true,
      Optional.of(new S3Access.Credentials(ACCESS_KEY, SECRET_KEY, Optional.empty(),
          "accessKey", "secretKey", Optional.empty())));

  @TempDir
  Path folder;

  private LocalCompute compute;

  @AfterEach
  void close() {
    if (compute != null) {
      compute.close();
    }
  }

  @Test
  void theStorageReachesSparkAsConfAndTheCredentialsAsTheChildsEnvironment() throws IOException {
    Path sparkHome = folder.resolve("spark");
    Path submit = sparkHome.resolve("bin").resolve("spark-submit");
    Files.createDirectories(submit.getParent());
    Files.writeString(submit, "#!/bin/sh\necho \"args: $*\"\n"
        + "while [ $# -gt 0 ]; do [ \"$1\" = --properties-file ] && cat \"$2\"; shift; done\n"
        + "[ \"$AWS_ACCESS_KEY_ID\" = '" + ACCESS_KEY + "' ] && echo access-key-in-env\n"
        + "[ \"$AWS_SECRET_ACCESS_KEY\" = '" + SECRET_KEY + "' ] && echo secret-key-in-env\n"
        + "exit 0\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    compute = new LocalCompute(1, 1 << 20, "local[2]", getClass().getClassLoader(),
        name -> name.equals("SPARK_HOME") ? Optional.of(sparkHome.toString()) : Optional.empty(),
        () -> environmentWith(STORAGE));
    SparkJob job = new SparkJob("gha-convert", "dev.example.App", "file:/apps/app.jar",
        List.of("convert"), Map.of("spark.hadoop.fs.s3a.path.style.access", "false"),
        dev.edx.api.Resources.of(1, "1g"), dev.edx.api.Resources.of(1, "1g"), 1);

    JobHandle handle = compute.submit(job);

    assertThat(handle.await(Duration.ofMinutes(1)).state()).as(log(handle))
        .isEqualTo(JobState.SUCCEEDED);
    assertThat(log(handle))
        .contains("spark.hadoop.fs.s3a.connection.ssl.enabled=false")
        .containsPattern("spark.hadoop.fs.s3a.endpoint=http\\\\?://127.0.0.1\\\\?:9000")
        .contains("spark.hadoop.fs.s3a.endpoint.region=us-east-1")
        .contains("spark.hadoop.fs.s3a.path.style.access=false")
        .contains("file:/apps/app.jar convert")
        .contains("access-key-in-env").contains("secret-key-in-env")
        .doesNotContain(SECRET_KEY).doesNotContain(ACCESS_KEY);
  }

  @Test
  void storageThatIsNotS3AddsNothing() {
    assertThat(LocalCompute.sparkEnvironment(Optional.empty())).isEmpty();
    S3Access role = new S3Access(Optional.empty(), Optional.of("eu-west-1"), false,
        Optional.empty());
    assertThat(LocalCompute.sparkEnvironment(Optional.of(role))).isEmpty();
    assertThat(LocalCompute.sparkEnvironment(Optional.of(STORAGE))).containsExactly(
        Map.entry("AWS_ACCESS_KEY_ID", ACCESS_KEY), Map.entry("AWS_SECRET_ACCESS_KEY",
            SECRET_KEY));
    assertThat(STORAGE.toString()).doesNotContain(SECRET_KEY).doesNotContain(ACCESS_KEY);
  }

  /**
   * An environment whose storage answers only {@link ObjectStorage#s3Access} (a stand-in for an
   * S3 provider's, which edx-core cannot depend on): all local compute asks of it.
   */
  private static Environment environmentWith(S3Access access) {
    ObjectStorage storage = (ObjectStorage) Proxy.newProxyInstance(
        LocalSparkStorageTest.class.getClassLoader(), new Class<?>[] {ObjectStorage.class},
        (proxy, method, args) -> {
          if (method.getName().equals("s3Access")) {
            return Optional.of(access);
          }
          throw new UnsupportedOperationException(method.getName());
        });
    return (Environment) Proxy.newProxyInstance(LocalSparkStorageTest.class.getClassLoader(),
        new Class<?>[] {Environment.class}, (proxy, method, args) -> {
          if (method.getName().equals("storage")) {
            return storage;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  private static String log(JobHandle handle) {
    try (InputStream in = handle.logs()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
