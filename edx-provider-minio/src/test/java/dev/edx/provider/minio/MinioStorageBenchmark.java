package dev.edx.provider.minio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.api.ObjectRef;
import dev.edx.embedded.S3Endpoint;
import dev.edx.testkit.BenchmarkReport;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.InputStream;
import java.security.MessageDigest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Put and get throughput through {@code ObjectStorage} against the bare {@link MinioClient}, on
 * the same embedded endpoint in the same run, alternated. Both stream an input of unknown length
 * with the same part size, and read to the end. Smoke scale: 4 x 1 MiB and one 16 MiB object;
 * full scale ({@code ./benchmarks}): 32 x 8 MiB and one 256 MiB object. It asserts digests, never
 * timings; the goal is an edx/peer time ratio within 1.05.
 */
class MinioStorageBenchmark {
  private static final int MIB = 1024 * 1024;
  private static final String BUCKET = "bench";

  @Test
  void putAndGetThroughputAgainstTheBareMinioClient() throws Exception {
    int count = BenchmarkReport.scaled(4, 32);
    int objectSize = BenchmarkReport.scaled(1, 8) * MIB;
    long largeSize = BenchmarkReport.scaled(16L, 256L) * MIB;
    int runs = BenchmarkReport.scaled(1, 7);
    int warmups = BenchmarkReport.scaled(0, 1);
    BenchmarkReport report = BenchmarkReport.named("minio-storage");

    try (S3Endpoint endpoint = S3Endpoint.inMemory();
        MinioObjectStorage storage = MinioTesting.open(endpoint)) {
      OkHttpClient http = MinioStorageProvider.httpClient(
          MinioSettings.parse(Specs.checked(MinioTesting.provider(),
              MinioTesting.spec(endpoint).build()), new TestProviderContext()));
      MinioClient bare = MinioClient.builder().endpoint(endpoint.endpoint().toString())
          .region(endpoint.region()).credentials(endpoint.accessKey(), endpoint.secretKey())
          .httpClient(http, false).build();
      long partSize = MinioProperties.PART_SIZE.defaultValue().orElseThrow();
      byte[] expected = digest(new Pattern(objectSize));
      byte[] expectedLarge = digest(new Pattern(largeSize));
      storage.createBucket(BUCKET);
      try {
        report.compare(count + " x " + objectSize / MIB + " MiB put", "MinioClient", warmups,
            runs, (double) count * objectSize / MIB, "MiB",
            () -> {
              for (int i = 0; i < count; i++) {
                storage.put(ObjectRef.of(BUCKET, "edx/" + i), new Pattern(objectSize));
              }
              return null;
            },
            () -> {
              for (int i = 0; i < count; i++) {
                bare.putObject(PutObjectArgs.builder().bucket(BUCKET).object("bare/" + i)
                    .stream(new Pattern(objectSize), -1, partSize).build());
              }
              return null;
            });
        report.compare(count + " x " + objectSize / MIB + " MiB get", "MinioClient", warmups,
            runs, (double) count * objectSize / MIB, "MiB",
            () -> {
              for (int i = 0; i < count; i++) {
                try (InputStream in = storage.open(ObjectRef.of(BUCKET, "edx/" + i))) {
                  assertThat(digest(in)).isEqualTo(expected);
                }
              }
              return null;
            },
            () -> {
              for (int i = 0; i < count; i++) {
                try (InputStream in = bare.getObject(GetObjectArgs.builder().bucket(BUCKET)
                    .object("bare/" + i).build())) {
                  assertThat(digest(in)).isEqualTo(expected);
                }
              }
              return null;
            });
        ObjectRef large = ObjectRef.of(BUCKET, "edx/large");
        report.compare("1 x " + largeSize / MIB + " MiB put", "MinioClient", warmups, runs,
            (double) largeSize / MIB, "MiB",
            () -> storage.put(large, new Pattern(largeSize)),
            () -> bare.putObject(PutObjectArgs.builder().bucket(BUCKET).object("bare/large")
                .stream(new Pattern(largeSize), -1, partSize).build()));
        report.compare("1 x " + largeSize / MIB + " MiB get", "MinioClient", warmups, runs,
            (double) largeSize / MIB, "MiB",
            () -> {
              try (InputStream in = storage.open(large)) {
                assertThat(digest(in)).isEqualTo(expectedLarge);
              }
              return null;
            },
            () -> {
              try (InputStream in = bare.getObject(GetObjectArgs.builder().bucket(BUCKET)
                  .object("bare/large").build())) {
                assertThat(digest(in)).isEqualTo(expectedLarge);
              }
              return null;
            });
        report.print();
      } finally {
        try (var objects = storage.list(BUCKET, "")) {
          storage.deleteAll(BUCKET, objects.map(o -> o.ref().key()).toList());
        }
        storage.deleteBucket(BUCKET);
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
      }
    }
  }

  private static byte[] digest(InputStream in) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[256 * 1024];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      digest.update(buffer, 0, n);
    }
    return digest.digest();
  }

  /** {@code size} bytes of a repeating 64 KiB pattern, made on demand, of unknown length. */
  private static final class Pattern extends InputStream {
    private static final byte[] BLOCK = new byte[64 * 1024];

    static {
      for (int i = 0; i < BLOCK.length; i++) {
        BLOCK[i] = (byte) (i * 31 + (i >>> 8));
      }
    }

    private long remaining;
    private long position;

    Pattern(long size) {
      this.remaining = size;
    }

    @Override
    public int read() {
      if (remaining <= 0) {
        return -1;
      }
      remaining--;
      return BLOCK[(int) (position++ % BLOCK.length)] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (remaining <= 0) {
        return -1;
      }
      int start = (int) (position % BLOCK.length);
      int n = (int) Math.min(Math.min(length, BLOCK.length - start), remaining);
      System.arraycopy(BLOCK, start, buffer, offset, n);
      position += n;
      remaining -= n;
      return n;
    }
  }
}
