package dev.edx.gha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Environment;
import dev.edx.api.ObjectRef;
import dev.edx.api.Resources;
import dev.edx.api.SparkJob;
import dev.edx.api.exceptions.ConfigurationException;
import dev.edx.api.spi.EnvironmentFactory;
import dev.edx.gha.cli.GhaCli;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs of {@code --engine spark}: the application's argument contract, the jar (the
 * built one, a given one, an uploaded one, or a clear error naming how to build it) and the spec
 * the driver opens (the spec file itself for a local driver, else the rendered spec, with its
 * references, in the lake bucket). On local storage, so {@code uri()} is {@code file:}.
 */
class SparkEngineTest {
  private static final List<Hour> HOURS = List.of(Hour.parse("2015-01-01T15"),
      Hour.parse("2015-01-01T16"));

  @TempDir
  Path dir;

  private Path spec;
  private Environment env;
  private final EnvironmentFactory factory = GhaCli.factory();

  @BeforeEach
  void open() throws Exception {
    spec = dir.resolve("env.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: spark-engine}
        spec:
          secrets: {provider: local, directory: secrets}
          storage: {provider: local, root: data}
          metastore: {provider: local, directory: metastore}
          compute: {provider: local, threads: 1}
        """);
    env = factory.open(spec);
    env.storage().createBucket("gha-lake");
  }

  @AfterEach
  void close() {
    env.close();
  }

  private SparkEngine engine(Optional<String> jar, boolean upload, Path builtFolder) {
    return new SparkEngine(env, new SparkEngine.Options(jar, upload, Map.of("spark.x", "1"),
        Resources.of(2, "3g"), 4), spec, () -> factory.render(spec), () -> builtFolder);
  }

  @Test
  void aLocalDriverGetsTheBuiltJarAndTheSpecFileItself() throws Exception {
    Path target = Files.createDirectories(dir.resolve("edx-pipeline-gha-spark/target"));
    Path plain = Files.write(target.resolve("edx-pipeline-gha-spark-0.1.0.jar"), new byte[1]);
    Path older = Files.write(target.resolve("edx-pipeline-gha-spark-0.0.9-all.jar"), new byte[1]);
    Path shaded = Files.write(target.resolve("edx-pipeline-gha-spark-0.1.0-all.jar"), new byte[1]);
    Files.setLastModifiedTime(older, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    Files.setLastModifiedTime(plain, FileTime.from(Instant.now().plusSeconds(60)));

    SparkJob convert = engine(Optional.empty(), false, target).convert("r1", "gha-raw",
        "gha-lake", HOURS, true);

    assertThat(convert.mainClass()).isEqualTo("dev.edx.gha.spark.GhaSparkApp");
    assertThat(convert.applicationResource()).isEqualTo(shaded.toUri().toString());
    assertThat(convert.args()).containsExactly("convert", "--env", spec.toUri().toString(),
        "--run", "r1", "--raw-bucket", "gha-raw", "--lake-bucket", "gha-lake", "--hours",
        "2015-01-01T15,2015-01-01T16", "--force");
    assertThat(convert.conf()).isEqualTo(Map.of("spark.x", "1"));
    assertThat(convert.driver()).isEqualTo(Resources.of(2, "3g"));
    assertThat(convert.executor()).isEqualTo(Resources.of(2, "3g"));
    assertThat(convert.executorInstances()).isEqualTo(4);
    assertThat(env.storage().stat(ObjectRef.of("gha-lake", "_edx/runs/r1/environment.yaml")))
        .isEmpty();
  }

  @Test
  void aClusterDriverGetsTheUploadedJarAndTheRenderedSpecInTheLake() throws Exception {
    Path jar = Files.writeString(dir.resolve("app-all.jar"), "jar bytes");

    SparkJob tables = engine(Optional.of(jar.toString()), true, dir).tables("r2", "gha-lake",
        "gha-datamart", Optional.of(URI.create("s3a://gha-lake/_edx/runs/r2/tables.yaml")));

    ObjectRef uploaded = ObjectRef.of("gha-lake", "_edx/spark/app-all.jar");
    ObjectRef handed = ObjectRef.of("gha-lake", "_edx/runs/r2/environment.yaml");
    assertThat(tables.applicationResource()).isEqualTo(env.storage().uri(uploaded).toString());
    assertThat(new String(env.storage().readAllBytes(uploaded), StandardCharsets.UTF_8))
        .isEqualTo("jar bytes");
    assertThat(tables.args()).containsExactly("tables", "--env",
        env.storage().uri(handed).toString(), "--run", "r2", "--lake-bucket", "gha-lake",
        "--datamart-bucket", "gha-datamart", "--tables",
        "s3a://gha-lake/_edx/runs/r2/tables.yaml");
    assertThat(new String(env.storage().readAllBytes(handed), StandardCharsets.UTF_8))
        .isEqualTo(factory.render(spec)).contains("name: spark-engine");
  }

  @Test
  void aJarInTheImageIsHandedOnAsIs() {
    SparkJob job = engine(Optional.of("local:///opt/edx/app.jar"), false, dir).convert("r3",
        "gha-raw", "gha-lake", HOURS.subList(0, 1), false);

    assertThat(job.applicationResource()).isEqualTo("local:///opt/edx/app.jar");
    assertThat(job.args()).doesNotContain("--force")
        .contains(env.storage().uri(ObjectRef.of("gha-lake", "_edx/runs/r3/environment.yaml"))
            .toString());
  }

  @Test
  void aMissingJarSaysHowToBuildIt() {
    assertThatThrownBy(() -> engine(Optional.empty(), false, dir.resolve("none")).convert("r4",
        "gha-raw", "gha-lake", HOURS, false))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("the Spark application jar is not built (no"
            + " edx-pipeline-gha-spark-*-all.jar in " + dir.resolve("none"))
        .hasMessageContaining("build it with `mvn -Pspark -pl edx-pipeline-gha-spark -am package"
            + " -DskipTests`, or give --spark-app-jar");
    assertThatThrownBy(() -> engine(Optional.of(dir.resolve("gone.jar").toString()), false, dir)
        .convert("r4", "gha-raw", "gha-lake", HOURS, false))
        .hasMessageContaining("no Spark application jar at " + dir.resolve("gone.jar"));
    assertThatThrownBy(() -> engine(Optional.of("s3a://gha-lake/apps/gone.jar"), false, dir)
        .tables("r4", "gha-lake", "gha-datamart", Optional.empty()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no Spark application jar at s3a://gha-lake/apps/gone.jar")
        .hasMessageContaining("--spark-upload");
  }
}
