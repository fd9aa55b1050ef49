package dev.edx.provider.minio;

import dev.edx.api.ObjectInfo;
import dev.edx.api.ObjectRef;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The child JVM of {@link MinioLargeObjectTest}: streams a generated object of {@code size} bytes
 * into the {@code minio} storage and back, and prints the heap limit and both SHA-256 digests.
 * The endpoint and keys come from environment variables, never the command line.
 */
final class LargeObjectRoundTrip {
  private LargeObjectRoundTrip() {}

  public static void main(String[] args) throws Exception {
    String bucket = args[0];
    long size = Long.parseLong(args[1]);
    ServiceSpec spec = ServiceSpec.builder("storage", "minio")
        .set(MinioProperties.ENDPOINT.key(), System.getenv("EDX_CHILD_S3_ENDPOINT"))
        .setSensitive(MinioProperties.ACCESS_KEY.key(), System.getenv("EDX_CHILD_S3_ACCESS_KEY"))
        .setSensitive(MinioProperties.SECRET_KEY.key(), System.getenv("EDX_CHILD_S3_SECRET_KEY"))
        .build();
    System.out.println("maxHeap=" + Runtime.getRuntime().maxMemory());
    try (MinioObjectStorage storage = (MinioObjectStorage) Specs.create(MinioTesting.provider(),
        spec, new TestProviderContext())) {
      ObjectRef ref = ObjectRef.of(bucket, "large/generated.bin");
      Generated data = new Generated(size);
      ObjectInfo info = storage.put(ref, data);
      System.out.println("put=" + info.size() + " written=" + hex(data.digest));
      MessageDigest read = MessageDigest.getInstance("SHA-256");
      long total = 0;
      try (InputStream in = storage.open(ref)) {
        byte[] buffer = new byte[256 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          read.update(buffer, 0, n);
          total += n;
        }
      }
      System.out.println("got=" + total + " read=" + hex(read));
      System.out.println("stat=" + storage.stat(ref).orElseThrow().size());
      storage.delete(ref);
    }
  }

  private static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Pseudo-random bytes made on demand, digested as they are handed out. */
  private static final class Generated extends InputStream {
    private final long size;
    private final MessageDigest digest;
    private long position;
    private long state = 0x9E3779B97F4A7C15L;

    Generated(long size) throws Exception {
      this.size = size;
      this.digest = MessageDigest.getInstance("SHA-256");
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(length, size - position);
      for (int i = 0; i < n; i++) {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        buffer[offset + i] = (byte) state;
      }
      digest.update(buffer, offset, n);
      position += n;
      return n;
    }
  }
}
