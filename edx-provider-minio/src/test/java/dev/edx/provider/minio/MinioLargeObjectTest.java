package dev.edx.provider.minio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.embedded.S3Endpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Done-when of the MinIO issue: a 256 MiB + 1 byte object, generated on the fly, is streamed into
 * the storage and back by a JVM whose heap is capped at 256 MiB ({@code -Xmx256m}), and the
 * SHA-256 digests of what was written and what was read match. The child JVM runs only the
 * client; the embedded endpoint runs here and keeps the object in a folder.
 */
class MinioLargeObjectTest {
  private static final long SIZE = 256L * 1024 * 1024 + 1;
  private static final long HEAP = 256L * 1024 * 1024;

  @TempDir
  Path dir;

  @Test
  @Timeout(600)
  void objectAsLargeAsTheHeapStreamsInAndOut() throws Exception {
    try (S3Endpoint endpoint = S3Endpoint.inFolder(dir.resolve("s3"));
        MinioObjectStorage storage = MinioTesting.open(endpoint)) {
      storage.createBucket("large-objects");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String classPath = System.getProperty("surefire.test.class.path",
          System.getProperty("java.class.path"));
      Path argFile = dir.resolve("classpath.args");
      // an argument file, as the class path can be longer than a command line may be
      Files.writeString(argFile, "-cp \"" + classPath.replace("\\", "\\\\") + "\"");
      ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "@" + argFile,
          LargeObjectRoundTrip.class.getName(), "large-objects", Long.toString(SIZE)))
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("child.log").toFile());
      Map<String, String> env = builder.environment();
      env.put("EDX_CHILD_S3_ENDPOINT", endpoint.endpoint().toString());
      env.put("EDX_CHILD_S3_ACCESS_KEY", endpoint.accessKey());
      env.put("EDX_CHILD_S3_SECRET_KEY", endpoint.secretKey());
      Process child = builder.start();
      boolean ended = child.waitFor(9, TimeUnit.MINUTES);
      if (!ended) {
        child.destroyForcibly();
      }
      String log = Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8);
      assertThat(ended).as("child ended in time:\n%s", log).isTrue();
      assertThat(child.exitValue()).as(log).isZero();

      long maxHeap = Long.parseLong(find(log, "maxHeap=(\\d+)"));
      assertThat(maxHeap).as("the child's heap is capped").isLessThanOrEqualTo(HEAP);
      assertThat(SIZE).isGreaterThan(maxHeap);
      assertThat(find(log, "put=(\\d+)")).isEqualTo(Long.toString(SIZE));
      assertThat(find(log, "got=(\\d+)")).isEqualTo(Long.toString(SIZE));
      assertThat(find(log, "stat=(\\d+)")).isEqualTo(Long.toString(SIZE));
      assertThat(find(log, "read=(\\w+)")).isEqualTo(find(log, "written=(\\w+)"));
      assertThat(log).doesNotContain(endpoint.secretKey()).doesNotContain("OutOfMemoryError");
    }
  }

  private static String find(String log, String regex) {
    Matcher m = Pattern.compile(regex).matcher(log);
    assertThat(m.find()).as("'%s' in the child's output:\n%s", regex, log).isTrue();
    return m.group(1);
  }
}
