package dev.edx.gha.ingest;

import dev.edx.embedded.S3Endpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An embedded S3 endpoint (s3proxy on a folder) in a JVM of its own, so that a benchmark measuring
 * its own heap measures the client, not the server. {@link #main} starts the endpoint, writes its
 * address and keys to a file only the parent reads, and stops when its standard input closes.
 */
final class S3EndpointProcess implements AutoCloseable {
  private final Process process;
  private final S3Endpoint endpoint;

  private S3EndpointProcess(Process process, S3Endpoint endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Starts the endpoint in a child JVM whose buckets are under {@code dir}/s3. */
  static S3EndpointProcess start(Path dir) throws Exception {
    Files.createDirectories(dir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path argFile = dir.resolve("classpath.args");
    Files.writeString(argFile, "-cp \"" + classPath.replace("\\", "\\\\") + "\"");
    Path keys = dir.resolve("endpoint.properties");
    Process process = new ProcessBuilder(List.of(java, "-Xmx1g", "@" + argFile,
        S3EndpointProcess.class.getName(), dir.resolve("s3").toString(), keys.toString()))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("endpoint.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(keys)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("The S3 endpoint's JVM did not start: "
            + Files.readString(dir.resolve("endpoint.log")));
      }
      Thread.sleep(20);
    }
    List<String> lines = Files.readAllLines(keys, StandardCharsets.UTF_8);
    S3Endpoint endpoint = S3Endpoint.fromEnvironment(Map.of(
        S3Endpoint.ENDPOINT_VARIABLE, lines.get(0),
        S3Endpoint.ACCESS_KEY_VARIABLE, lines.get(1),
        S3Endpoint.SECRET_KEY_VARIABLE, lines.get(2))).orElseThrow();
    return new S3EndpointProcess(process, endpoint);
  }

  S3Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** args: the endpoint's folder, the file to write its address and keys to. */
  public static void main(String[] args) throws IOException {
    try (S3Endpoint endpoint = S3Endpoint.inFolder(Path.of(args[0]))) {
      Path keys = Path.of(args[1]);
      Path tmp = keys.resolveSibling(keys.getFileName() + ".tmp");
      Files.write(tmp, List.of(endpoint.endpoint().toString(), endpoint.accessKey(),
          endpoint.secretKey()), StandardCharsets.UTF_8);
      Files.move(tmp, keys, StandardCopyOption.ATOMIC_MOVE);
      while (System.in.read() >= 0) {
        // until the parent closes our standard input
      }
    }
  }

}
