package dev.edx.gha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.api.Metastore;
import dev.edx.api.Partition;
import dev.edx.api.TableId;
import dev.edx.embedded.S3Endpoint;
import dev.edx.gha.cli.GhaCli;
import dev.edx.gha.demo.GhArchiveGenerator;
import dev.edx.testkit.BenchmarkReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash consistency: the pipeline runs in its own JVM ({@code edx gha run --env SPEC}) against an
 * S3 endpoint that outlives it (as a MinIO server outlives a crashed client) and a local
 * metastore, is killed (SIGKILL) at a seeded random moment, then re-run to completion. After each
 * round raw, lake, datamart and metastore equal a clean run's: no partial object, no duplicate
 * row or partition, no lost hour. 3 rounds in every build, 20 at full scale ({@code -Pbench}).
 */
class CrashConsistencyTest {
  private static final List<Hour> HOURS = List.of(Hour.parse("2015-01-01T01"),
      Hour.parse("2015-01-01T02"), Hour.parse("2015-01-01T03"), Hour.parse("2015-01-01T04"));

  @Test
  void aPipelineKilledAtARandomMomentAndRunAgainEndsLikeACleanRun(@TempDir Path dir)
      throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    for (Hour hour : HOURS) {
      Files.write(source.resolve(hour.fileName()), GhArchiveGenerator.gzip(hour, 1_500));
    }
    int rounds = BenchmarkReport.scaled(3, 20);
    Random random = new Random(20_240_305L);
    Snapshot clean;
    long cleanMillis;
    try (S3Endpoint endpoint = S3Endpoint.inMemory()) {
      Path spec = spec(endpoint, dir.resolve("clean"));
      long start = System.nanoTime();
      assertThat(runPipeline(spec, source, -1)).isTrue();
      cleanMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      clean = snapshot(spec);
    }
    assertThat(clean.objects()).isNotEmpty();
    assertThat(clean.metastore()).isNotEmpty();
    int killed = 0;
    for (int round = 0; round < rounds; round++) {
      try (S3Endpoint endpoint = S3Endpoint.inMemory()) {
        Path spec = spec(endpoint, dir.resolve("round-" + round));
        long killAfter = 300 + random.nextInt((int) Math.max(1, cleanMillis - 300));
        if (!runPipeline(spec, source, killAfter)) {
          killed++;
        }
        assertThat(runPipeline(spec, source, -1)).as("round %d: the re-run", round).isTrue();
        Snapshot after = snapshot(spec);
        assertThat(after.objects()).as("round %d (killed after %d ms): objects", round,
            killAfter).isEqualTo(clean.objects());
        assertThat(after.metastore()).as("round %d (killed after %d ms): metastore", round,
            killAfter).isEqualTo(clean.metastore());
      }
    }
    assertThat(killed).as("rounds whose first run was killed before it ended")
        .isGreaterThanOrEqualTo(rounds / 2);
  }

  /** A spec with the endpoint's storage and a local metastore and compute under {@code dir}. */
  private static Path spec(S3Endpoint endpoint, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path spec = dir.resolve("env.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: crash}
        spec:
          secrets: {provider: local, directory: secrets}
          storage: {provider: minio, endpoint: "%s", region: "%s", accessKey: "%s", secretKey: "%s"}
          metastore: {provider: local, directory: metastore}
          compute: {provider: local, threads: 2}
        """.formatted(endpoint.endpoint(), endpoint.region(), endpoint.accessKey(),
        endpoint.secretKey()));
    return spec;
  }

  /**
   * Runs {@code edx gha run} in its own JVM; kills it (SIGKILL) after {@code killAfterMillis}
   * unless negative. Returns whether it ended by itself (then with exit code 0).
   */
  private static boolean runPipeline(Path spec, Path source, long killAfterMillis)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = spec.resolveSibling("run-" + System.nanoTime() + ".log");
    Process p = new ProcessBuilder(java, "-Xmx512m",
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-cp", System.getProperty("java.class.path"), GhaCli.class.getName(), "gha", "run",
        "--env", spec.toString(), "--source", source.toString(),
        "--from", HOURS.get(0).toString(), "--to", HOURS.get(HOURS.size() - 1).toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (killAfterMillis >= 0 && !p.waitFor(killAfterMillis, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      return false;
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    return true;
  }

  /** Digests of the data objects and the metastore's tables and partitions. */
  record Snapshot(Map<String, String> objects, Map<String, String> metastore) {}

  private static Snapshot snapshot(Path spec) throws Exception {
    try (Environment env = GhaCli.factory().open(spec)) {
      Map<String, String> tables = new TreeMap<>();
      Metastore m = env.metastore();
      for (String db : m.listDatabases()) {
        for (TableId id : m.listTables(db)) {
          List<String> partitions = new ArrayList<>();
          try (Stream<Partition> list = m.listPartitions(id, Map.of())) {
            list.forEach(p -> partitions.add(p.values() + " " + p.location()));
          }
          List<String> sorted = new ArrayList<>(partitions);
          sorted.sort(null);
          assertThat(sorted).as("partitions of %s are unique", id).doesNotHaveDuplicates();
          tables.put(id.toString(), m.loadTable(id).orElseThrow().definition().columns() + " "
              + sorted);
        }
      }
      return new Snapshot(FaultInjectionTest.digests(env), tables);
    }
  }
}
