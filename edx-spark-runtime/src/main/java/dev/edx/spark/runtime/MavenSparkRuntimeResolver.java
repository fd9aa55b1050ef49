package dev.edx.spark.runtime;

import static java.util.Objects.requireNonNull;

import dev.edx.api.exceptions.ProviderException;
import dev.edx.core.local.SparkRuntimeRequest;
import dev.edx.core.local.SparkRuntimeResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.Exclusion;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves Spark for {@code local} compute with Maven Resolver: {@code spark-sql_2.13} of the
 * requested version, {@code hadoop-aws} (S3A) without the AWS SDK bundle and with the SDK's
 * {@code s3}, {@code s3-transfer-manager}, {@code apache-client} and {@code sts} modules, and
 * their runtime dependencies, as Maven would put them on a class path.
 *
 * <p>Jars come from the local repository, else from the remote one (Maven Central by default;
 * about 340 MB on a machine that has none of them), with download progress reported as it goes.
 * The resolved class path is kept in a file of the cache folder, named after the version and a
 * digest of what was asked; later runs read it (checking that every jar is still there) instead of
 * resolving again. Thread safe; each call opens and closes its own resolver.
 */
public final class MavenSparkRuntimeResolver implements SparkRuntimeResolver {
  private static final Logger LOG = LoggerFactory.getLogger(MavenSparkRuntimeResolver.class);
  /** The id Maven gives Maven Central: jars Maven downloaded count as found there. */
  private static final String REPOSITORY_ID = "central";

  private final Function<String, SparkArtifacts> artifacts;

  /** The resolver {@code ServiceLoader} creates: Spark, hadoop-aws and the SDK's S3 modules. */
  public MavenSparkRuntimeResolver() {
    this(SparkArtifacts::forSpark);
  }

  /** A resolver of other artifacts (tests resolve tiny ones). */
  MavenSparkRuntimeResolver(Function<String, SparkArtifacts> artifacts) {
    this.artifacts = requireNonNull(artifacts, "artifacts is null");
  }

  @Override
  public List<Path> resolve(SparkRuntimeRequest request, Consumer<String> progress) {
    requireNonNull(request, "request is null");
    requireNonNull(progress, "progress is null");
    SparkArtifacts wanted = artifacts.apply(request.sparkVersion());
    Path cacheFile = cacheFile(request, wanted);
    Optional<List<Path>> cached = readCache(cacheFile);
    if (cached.isPresent()) {
      progress.accept("class path of Spark " + request.sparkVersion() + " from the cache "
          + cacheFile + " (" + cached.get().size() + " jars)");
      return cached.get();
    }
    progress.accept("resolving Spark " + request.sparkVersion() + " with hadoop-aws from "
        + request.repository() + (request.offline() ? " (offline)" : "") + " into "
        + request.localRepository() + "; the first run on a machine downloads about 300 MB");
    long started = System.nanoTime();
    DownloadProgress downloads = new DownloadProgress(progress);
    List<Path> jars = resolve(request, wanted, downloads);
    long bytes = jars.stream().mapToLong(MavenSparkRuntimeResolver::size).sum();
    writeCache(cacheFile, jars);
    progress.accept(String.format("resolved %d jars (%s) in %.1f s; %s; class path cached in %s",
        jars.size(), DownloadProgress.megabytes(bytes), (System.nanoTime() - started) / 1e9,
        downloads.summary(), cacheFile));
    return jars;
  }

  private List<Path> resolve(SparkRuntimeRequest request, SparkArtifacts wanted,
      DownloadProgress downloads) {
    RepositorySystem system = new RepositorySystemSupplier().get();
    try (CloseableSession session = new SessionBuilderSupplier(system).get()
        .withLocalRepositoryBaseDirectories(request.localRepository())
        .setSystemProperties(System.getProperties())
        .setOffline(request.offline())
        // Only the repository asked for: not those that Spark's and Hadoop's poms declare.
        .setIgnoreArtifactDescriptorRepositories(true)
        .setTransferListener(downloads)
        .build()) {
      CollectRequest collect = new CollectRequest();
      for (SparkArtifacts.Root root : wanted.roots()) {
        List<Exclusion> exclusions = root.exclusions().stream().map(e -> {
          String[] parts = e.split(":");
          return new Exclusion(parts[0], parts[1], "*", "*");
        }).toList();
        collect.addDependency(new Dependency(new DefaultArtifact(root.coordinates()),
            JavaScopes.RUNTIME, false, exclusions));
      }
      collect.addRepository(new RemoteRepository.Builder(REPOSITORY_ID, "default",
          request.repository().toString()).build());
      DependencyRequest dependencies = new DependencyRequest(collect,
          DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
      List<Path> jars = new ArrayList<>();
      for (ArtifactResult result : system.resolveDependencies(session, dependencies)
          .getArtifactResults()) {
        Path path = result.getArtifact().getPath();
        if (path != null && path.getFileName().toString().endsWith(".jar")) {
          jars.add(path.toAbsolutePath());
        }
      }
      return jars;
    } catch (DependencyResolutionException e) {
      LOG.debug("Cannot resolve Spark {}", request.sparkVersion(), e);
      throw new ProviderException(firstLine(e.getMessage()), e);
    } finally {
      system.shutdown();
    }
  }

  /** The cache file of one request: the version, and a digest of everything that was asked. */
  static Path cacheFile(SparkRuntimeRequest request, SparkArtifacts wanted) {
    String repository = request.repository().toString().replaceAll("/+$", "");
    String key = wanted.describe() + "repository " + repository + "\nlocal "
        + request.localRepository().toAbsolutePath().normalize() + "\n";
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    return request.cacheDirectory().resolve("spark-" + request.sparkVersion() + "-"
        + HexFormat.of().formatHex(digest, 0, 6) + ".classpath");
  }

  /** The cached class path, when the file is there and every jar it names still is. */
  static Optional<List<Path>> readCache(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    List<Path> jars;
    try {
      jars = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank()).map(Path::of).toList();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot read the Spark class path cached in {}; resolving again: {}", file,
          e.toString());
      return Optional.empty();
    }
    List<Path> missing = jars.stream().filter(j -> !Files.isRegularFile(j)).toList();
    if (jars.isEmpty() || !missing.isEmpty()) {
      LOG.info("The Spark class path cached in {} names {} missing jar(s) (first {}); resolving"
          + " again", file, missing.size(), missing.isEmpty() ? "none" : missing.get(0));
      return Optional.empty();
    }
    return Optional.of(jars);
  }

  /** Writes the cache file atomically: a reader sees the old file or the whole new one. */
  private static void writeCache(Path file, List<Path> jars) {
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try {
        StringBuilder text = new StringBuilder();
        jars.forEach(j -> text.append(j).append('\n'));
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        try {
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      // The class path is resolved; only the next run's shortcut is lost.
      LOG.warn("Cannot cache the Spark class path in {}: {}", file, e.toString());
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown reason";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
