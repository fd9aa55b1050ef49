package dev.edx.provider.minio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * moto's S3 (a real S3 protocol implementation with bucket tagging, which s3proxy lacks) as a
 * child process: {@code python3 -m moto.server}. Empty when python3 or moto is not installed.
 */
final class MotoS3 implements AutoCloseable {
  static final String ACCESS_KEY = "testing";
  static final String SECRET_KEY = "testing-secret";

  private final Process process;
  private final URI endpoint;

  private MotoS3(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  URI endpoint() {
    return endpoint;
  }

  static Optional<MotoS3> start() throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("moto", ".log");
    Process process;
    try {
      process = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p",
          String.valueOf(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      return Optional.empty(); // no python3
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return Optional.empty(); // no moto
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return Optional.of(new MotoS3(process, URI.create("http://127.0.0.1:" + port)));
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    process.destroyForcibly();
    throw new IOException("moto did not start within 60 s; see " + log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
