package dev.edx.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * moto's server ({@code python3 -m moto.server}), a third-party implementation of the AWS APIs
 * (S3 with bucket tagging, STS, Secrets Manager, Glue, EMR containers), in a child process on a
 * free loopback port, for one test class. It is stopped through its own process handle, never by
 * name. {@link #start()} is empty when python3 or moto is not installed, so a test can skip with
 * {@code assumeTrue(moto.isPresent(), "moto is not installed (python3 -m moto.server)")};
 * {@code .ci/run} checks that moto is importable, so CI never skips these tests silently.
 *
 * <p>moto checks request signatures but accepts any key pair: {@link #ACCESS_KEY} and {@link
 * #SECRET_KEY} are what the tests sign with.
 */
public final class MotoServer implements AutoCloseable {
  /** The access key tests sign requests to moto with. */
  public static final String ACCESS_KEY = "testing";
  /** The secret key tests sign requests to moto with. */
  public static final String SECRET_KEY = "testing-secret";
  private static final long START_TIMEOUT_MILLIS = 60_000;

  private final Process process;
  private final URI endpoint;

  private MotoServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Starts moto on a free port of 127.0.0.1, or empty if it cannot run here. */
  public static Optional<MotoServer> start() {
    try {
      Process probe = new ProcessBuilder("python3", "-c", "import moto.server")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
        probe.destroyForcibly();
        return Optional.empty();
      }
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Process process = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1",
          "-p", Integer.toString(port))
          .redirectErrorStream(true)
          .redirectOutput(Files.createTempFile("moto-" + port + "-", ".log").toFile())
          .start();
      MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port));
      server.awaitListening(port);
      return Optional.of(server);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private void awaitListening(int port) throws InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (System.currentTimeMillis() < deadline && process.isAlive()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IllegalStateException("moto did not start listening on port " + port
        + " (its log is in the temporary folder, moto-" + port + "-*.log)");
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
