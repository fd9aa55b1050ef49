package dev.edx.spark.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.exceptions.ProviderException;
import dev.edx.core.local.SparkRuntimeRequest;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver against a tiny Maven repository the test writes in a folder (a {@code file:}
 * remote repository, resolved by the same Maven Resolver code as Maven Central): no Spark is
 * downloaded in the default build; {@code edx-spark-it} resolves the real one.
 */
class MavenSparkRuntimeResolverTest {
  @TempDir
  Path folder;

  private Path remote;
  private URI remoteUri;
  private Path local;
  private Path cache;
  private final List<String> progress = new ArrayList<>();

  /** The artifacts of the tiny repository: app, which needs lib, unwanted and (in tests) junk. */
  private static final SparkArtifacts TINY = new SparkArtifacts(List.of(
      new SparkArtifacts.Root("org.example:app:1.0", List.of("org.example:unwanted"))));

  @BeforeEach
  void repository() throws IOException {
    remote = folder.resolve("remote");
    local = folder.resolve("local");
    cache = folder.resolve("cache");
    artifact("org.example", "app", "1.0", """
          <dependencies>
            <dependency>
              <groupId>org.example</groupId><artifactId>lib</artifactId><version>1.0</version>
            </dependency>
            <dependency>
              <groupId>org.example</groupId><artifactId>unwanted</artifactId>
              <version>1.0</version>
            </dependency>
            <dependency>
              <groupId>org.example</groupId><artifactId>junk</artifactId><version>1.0</version>
              <scope>test</scope>
            </dependency>
          </dependencies>
        """);
    artifact("org.example", "lib", "1.0", "");
    artifact("org.example", "unwanted", "1.0", "");
    artifact("org.example", "junk", "1.0", "");
    remoteUri = remote.toUri();
  }

  private SparkRuntimeRequest request(boolean offline) {
    return new SparkRuntimeRequest("9.9.9", remoteUri, offline, local, cache);
  }

  private List<Path> resolve(SparkRuntimeRequest request) {
    return new MavenSparkRuntimeResolver(version -> TINY).resolve(request, progress::add);
  }

  @Test
  void resolvesTheRuntimeClassPathWithoutExclusionsAndTestScopeAndCachesIt() throws IOException {
    List<Path> jars = resolve(request(false));

    assertThat(jars).containsExactly(
        local.resolve("org/example/app/1.0/app-1.0.jar"),
        local.resolve("org/example/lib/1.0/lib-1.0.jar"));
    assertThat(progress.get(0)).isEqualTo("resolving Spark 9.9.9 with hadoop-aws from "
        + remoteUri + " into " + local + "; the first run on a machine downloads about"
        + " 300 MB");
    Path cacheFile = MavenSparkRuntimeResolver.cacheFile(request(false), TINY);
    assertThat(progress.get(progress.size() - 1))
        .matches("resolved 2 jars \\(0\\.0 MB\\) in [0-9.]+ s; downloaded 4 files \\(0\\.0 MB\\);"
            + " class path cached in " + cacheFile.toString().replace(".", "\\."));
    assertThat(Files.readAllLines(cacheFile)).containsExactly(jars.get(0).toString(),
        jars.get(1).toString());
  }

  @Test
  void laterRunsReadTheCacheWithoutTheRepository() throws IOException {
    List<Path> first = resolve(request(false));
    deleteTree(remote);
    progress.clear();

    List<Path> again = resolve(request(false));

    assertThat(again).isEqualTo(first);
    assertThat(progress).containsExactly("class path of Spark 9.9.9 from the cache "
        + MavenSparkRuntimeResolver.cacheFile(request(false), TINY) + " (2 jars)");
  }

  @Test
  void aCacheNamingAMissingJarIsResolvedAgain() throws IOException {
    List<Path> first = resolve(request(false));
    Files.delete(first.get(1));
    progress.clear();

    List<Path> again = resolve(request(false));

    assertThat(again).isEqualTo(first);
    assertThat(first.get(1)).isRegularFile();
    assertThat(progress.get(progress.size() - 1)).contains("downloaded 1 files");
  }

  @Test
  void offlineWithAnEmptyLocalRepositoryFailsNamingTheArtifact() {
    assertThatThrownBy(() -> resolve(request(true)))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("org.example:app")
        .hasMessageContaining("offline");
  }

  @Test
  void aMissingArtifactFailsNamingIt() {
    SparkArtifacts missing = new SparkArtifacts(List.of(
        new SparkArtifacts.Root("org.example:nothing:2.0", List.of())));

    assertThatThrownBy(() -> new MavenSparkRuntimeResolver(version -> missing)
        .resolve(request(false), progress::add))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("org.example:nothing:jar:2.0");
  }

  @Test
  void theCacheFileDependsOnVersionRepositoryAndLocalRepository() {
    Path base = MavenSparkRuntimeResolver.cacheFile(request(false), TINY);

    assertThat(base.getParent()).isEqualTo(cache);
    assertThat(base.getFileName().toString()).matches("spark-9\\.9\\.9-[0-9a-f]{12}\\.classpath");
    assertThat(MavenSparkRuntimeResolver.cacheFile(new SparkRuntimeRequest("9.9.8",
        remote.toUri(), false, local, cache), TINY)).isNotEqualTo(base);
    assertThat(MavenSparkRuntimeResolver.cacheFile(new SparkRuntimeRequest("9.9.9",
        URI.create("https://mirror.example/maven2/"), false, local, cache), TINY))
        .isNotEqualTo(base);
    assertThat(MavenSparkRuntimeResolver.cacheFile(new SparkRuntimeRequest("9.9.9",
        remote.toUri(), false, folder.resolve("other"), cache), TINY)).isNotEqualTo(base);
    assertThat(MavenSparkRuntimeResolver.cacheFile(request(true), TINY))
        .as("offline reads the same jars").isEqualTo(base);
    assertThat(MavenSparkRuntimeResolver.cacheFile(new SparkRuntimeRequest("9.9.9",
        URI.create(remoteUri.toString().replaceAll("/$", "")), false, local, cache), TINY))
        .as("with or without a trailing slash, one repository").isEqualTo(base);
  }

  @Test
  void sparkComesWithS3aAndTheSdksS3ModulesInsteadOfItsBundle() {
    List<SparkArtifacts.Root> roots = SparkArtifacts.forSpark("4.0.1").roots();

    assertThat(roots.get(0)).isEqualTo(
        new SparkArtifacts.Root("org.apache.spark:spark-sql_2.13:4.0.1", List.of()));
    assertThat(roots.get(1)).isEqualTo(new SparkArtifacts.Root(
        "org.apache.hadoop:hadoop-aws:3.4.1", List.of("software.amazon.awssdk:bundle")));
    String sdk = roots.get(2).coordinates().substring(roots.get(2).coordinates()
        .lastIndexOf(':') + 1);
    assertThat(sdk).matches("2\\.\\d+\\.\\d+");
    assertThat(roots.subList(2, roots.size())).extracting(SparkArtifacts.Root::coordinates)
        .containsExactly("software.amazon.awssdk:s3:" + sdk,
            "software.amazon.awssdk:s3-transfer-manager:" + sdk,
            "software.amazon.awssdk:apache-client:" + sdk,
            "software.amazon.awssdk:sts:" + sdk);
  }

  @Test
  void theSparkPiJarHoldsOnlyItsClassAndNeedsNothingElseToLoad() throws Exception {
    Path jar = SparkPi.writeApplicationJar(folder.resolve("pi.jar"));

    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.stream().map(e -> e.getName()))
          .containsExactlyInAnyOrder("META-INF/MANIFEST.MF", "dev/edx/spark/runtime/SparkPi.class");
      assertThat(file.getManifest().getMainAttributes().get(Attributes.Name.MAIN_CLASS))
          .isEqualTo(SparkPi.class.getName());
    }
    try (URLClassLoader alone = new URLClassLoader(new URL[] {jar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> pi = Class.forName(SparkPi.class.getName(), true, alone);
      Method main = pi.getMethod("main", String[].class);
      assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
      assertThat(pi.getClassLoader()).isSameAs(alone);
    }
    assertThat(SparkPi.query(200_000, 2)).isEqualTo("SELECT 4.0 * count_if(x * x + y * y <= 1)"
        + " / count(*) AS pi FROM (SELECT rand() * 2 - 1 AS x, rand() * 2 - 1 AS y FROM"
        + " range(0, 200000, 1, 2))");
  }

  /** Writes a pom (with {@code dependencies}) and a jar, each with its SHA-1, into the remote. */
  private void artifact(String group, String name, String version, String dependencies)
      throws IOException {
    Path dir = remote.resolve(group.replace('.', '/')).resolve(name).resolve(version);
    Files.createDirectories(dir);
    String pom = "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
        + "  <modelVersion>4.0.0</modelVersion>\n"
        + "  <groupId>" + group + "</groupId><artifactId>" + name + "</artifactId>"
        + "<version>" + version + "</version>\n" + dependencies + "</project>\n";
    write(dir.resolve(name + "-" + version + ".pom"), pom.getBytes(StandardCharsets.UTF_8));
    write(dir.resolve(name + "-" + version + ".jar"),
        ("not really a jar: " + name).getBytes(StandardCharsets.UTF_8));
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
    try {
      String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
      Files.writeString(file.resolveSibling(file.getFileName() + ".sha1"), sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
