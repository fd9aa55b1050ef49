package dev.edx.gha.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.Environment;
import dev.edx.api.ObjectInfo;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.core.EnvironmentSpec;
import dev.edx.core.Environments;
import dev.edx.embedded.S3Endpoint;
import dev.edx.gha.Hour;
import dev.edx.gha.HourResult;
import dev.edx.gha.demo.GhArchiveGenerator;
import dev.edx.gha.demo.HourServer;
import dev.edx.testkit.BenchmarkReport;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ingest against a plain HTTP-to-file copy: 24 generated hours served over loopback HTTP, ingested
 * into an S3 endpoint through {@code ObjectStorage} (4 at once), versus the JDK's {@code
 * HttpClient} copying the same bytes to local files (4 at once), alternating. Both S3 providers
 * are measured, {@code minio} (minio-java) and {@code s3} (the AWS SDK), against the same
 * endpoint. Then the peak live heap during an ingest of 4 hours of about 3 MB and of 4 hours of
 * about 100 MB (random bytes: ingest copies bytes, it never reads them), for each provider: a
 * sampler forces a GC every 100 ms and reads the heap that GC left in use (its pools' usage after
 * the collection), above the same before the ingest (the HTTP server's files are in that
 * baseline). The S3 endpoint (edx's, on a folder) runs in a JVM of its own, so the heap
 * measured is the client's: the ingester, the provider and its SDK. Smoke scale: 24 x 300
 * events, heap at 0.25 MB and 24 MB; full scale:
 * 24 x 40,000 2024-shaped events (about 13 MB of gzip each), heap at 3 MB and 100 MB. Asserts the
 * bytes, never timings; the goals are an edx/peer throughput ratio of at least 0.8 and the same
 * heap (within a few MiB) for both hour sizes.
 */
class IngestBenchmark {
  private static final int PARALLEL = 4;

  @Test
  void ingestAgainstAPlainHttpCopy(@TempDir Path dir) throws Exception {
    int events = BenchmarkReport.scaled(300, 40_000);
    int runs = BenchmarkReport.scaled(1, 3);
    int smallBytes = BenchmarkReport.scaled(256 * 1024, 3_000_000);
    int largeBytes = BenchmarkReport.scaled(24_000_000, 100_000_000);
    List<Hour> hours = Hour.range(Hour.parse("2024-03-05T00"), Hour.parse("2024-03-05T23"));
    BenchmarkReport report = BenchmarkReport.named("ingest");
    try (HourServer server = new HourServer();
        S3EndpointProcess s3 = S3EndpointProcess.start(dir.resolve("s3-jvm"));
        Environment minio = openOn(s3.endpoint(), dir.resolve("env-minio"), "minio");
        Environment aws = openOn(s3.endpoint(), dir.resolve("env-s3"), "s3")) {
      long total = serve(server, hours, events);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      AtomicInteger run = new AtomicInteger();
      for (Environment env : List.of(minio, aws)) {
        String provider = env == minio ? "minio" : "s3";
        report.compare(String.format(Locale.ROOT, "ingest 24 hours (%.1f MB) over loopback HTTP,"
            + " `%s` storage", total / 1e6, provider), "HttpClient to files",
            BenchmarkReport.scaled(0, 1), runs, total / 1e6, "MB",
            () -> ingest(env, server, hours, "raw-" + run.incrementAndGet(), total),
            () -> copy(http, server, hours, Files.createDirectories(
                dir.resolve("copy-" + run.incrementAndGet())), total));
      }
      List<Hour> four = hours.subList(0, PARALLEL);
      for (Environment env : List.of(minio, aws)) {
        String provider = env == minio ? "minio" : "s3";
        long small = serveRandom(server, four, smallBytes);
        long smallHeap = peakHeapDuringIngest(env, server, four, small,
            "heap-small-" + provider);
        long large = serveRandom(server, four, largeBytes);
        long largeHeap = peakHeapDuringIngest(env, server, four, large,
            "heap-large-" + provider);
        report.record(String.format(Locale.ROOT, "ingest peak live heap above the baseline (as"
            + " left by a GC forced every 100 ms), 4 hours of %.1f MB vs 4 of %.1f MB, 4 at once,"
            + " `%s` storage", smallBytes / 1e6, largeBytes / 1e6, provider),
            String.format(Locale.ROOT, "%.1f MiB vs %.1f MiB", smallHeap / 1048576.0,
                largeHeap / 1048576.0));
      }
      report.print();
    }
  }

  /** Serves {@code bytes} random bytes under each hour's name (one array for all of them). */
  private static long serveRandom(HourServer server, List<Hour> hours, int bytes) {
    byte[] content = new byte[bytes];
    new SplittableRandom(bytes).nextBytes(content);
    for (Hour hour : hours) {
      server.put(hour.fileName(), content);
    }
    return (long) bytes * hours.size();
  }

  /**
   * The embedded environment with its storage the {@code minio} or {@code s3} provider on the
   * endpoint.
   */
  private static Environment openOn(S3Endpoint s3, Path dir, String provider) {
    EnvironmentSpec embedded = Environments.embeddedSpec(dir);
    Map<String, ServiceSpec> services = new LinkedHashMap<>(embedded.services());
    ServiceSpec.Builder storage = ServiceSpec.builder("storage", provider)
        .setSource(embedded.source())
        .set("endpoint", s3.endpoint().toString())
        .set("region", s3.region());
    if (provider.equals("minio")) {
      storage.setSensitive("accessKey", s3.accessKey())
          .setSensitive("secretKey", s3.secretKey());
    } else {
      storage.set("pathStyle", true)
          .setSensitive("accessKeyId", s3.accessKey())
          .setSensitive("secretAccessKey", s3.secretKey());
    }
    services.put("storage", storage.build());
    return Environments.open(new EnvironmentSpec(embedded.name(), embedded.labels(), services,
        embedded.source(), embedded.baseDirectory(), embedded.namePrefix()));
  }

  private static long serve(HourServer server, List<Hour> hours, int events) throws Exception {
    long total = 0;
    for (Hour hour : hours) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 1 << 16)) {
        GhArchiveGenerator.writeModern(hour, events, gz);
      }
      server.put(hour.fileName(), bytes.toByteArray());
      total += bytes.size();
    }
    return total;
  }

  private static Object ingest(Environment env, HourServer server, List<Hour> hours,
      String bucket, long expected) {
    env.storage().createBucket(bucket);
    List<HourResult> results = new Ingester(env.storage(), new Ingester.Settings(server.url(),
        bucket, PARALLEL, Duration.ofHours(1), 2, Duration.ofMillis(50), Duration.ofSeconds(60),
        Instant.parse("2030-01-01T00:00:00Z"))).ingest(hours, r -> { });
    assertThat(results).extracting(HourResult::status).containsOnly("ingested");
    try (Stream<ObjectInfo> list = env.storage().list(bucket, "")) {
      assertThat(list.mapToLong(ObjectInfo::size).sum()).isEqualTo(expected);
    }
    return null;
  }

  private static Object copy(HttpClient http, HourServer server, List<Hour> hours, Path dir,
      long expected) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try {
      List<Future<Path>> files = new ArrayList<>();
      for (Hour hour : hours) {
        files.add(pool.submit(() -> http.send(HttpRequest.newBuilder(
            URI.create(server.url() + "/" + hour.fileName())).build(),
            HttpResponse.BodyHandlers.ofFile(dir.resolve(hour.fileName()))).body()));
      }
      long sum = 0;
      for (Future<Path> f : files) {
        sum += Files.size(f.get());
      }
      assertThat(sum).isEqualTo(expected);
    } finally {
      pool.shutdownNow();
    }
    return null;
  }

  private static long peakHeapDuringIngest(Environment env, HourServer server, List<Hour> hours,
      long total, String bucket) throws Exception {
    long baseline = liveHeapAfterGc();
    AtomicLong peak = new AtomicLong(baseline);
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak.accumulateAndGet(liveHeapAfterGc(), Math::max);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    try {
      ingest(env, server, hours, bucket, total);
    } finally {
      sampler.interrupt();
      sampler.join();
    }
    return Math.max(0, peak.get() - baseline);
  }

  /**
   * The heap the collector kept after a forced GC: the sum of the heap pools' usage as that
   * collection left them. The heap's current usage read just after {@code System.gc()} is not
   * it: by then the uploading threads have taken new allocation buffers, which count as used
   * whole, and put several MiB of noise on a single sample.
   */
  private static long liveHeapAfterGc() {
    System.gc();
    long live = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (afterGc != null) {
        live += afterGc.getUsed();
      }
    }
    return live;
  }
}
