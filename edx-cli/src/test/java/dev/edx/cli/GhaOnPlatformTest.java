package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.gha.Hour;
import dev.edx.gha.cli.CommandLines;
import dev.edx.gha.demo.GhArchiveGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's {@code edx gha} steps on a running platform run in the platform's JVM ({@link
 * PlatformClient} to {@link CommandServer}): output and exit code come back, a failing command's
 * error and exit code are those of the same command run here, Ctrl-C of the client stops the
 * command there, and without a platform the command runs here.
 */
@ExtendWith(SharedPlatform.class)
class GhaOnPlatformTest {
  private static final Hour HOUR = Hour.of(2024, 3, 4, 10);

  @TempDir
  static Path dir;
  private static Path data;

  record Result(OptionalInt code, String out, String err) {}

  @BeforeAll
  static void platform(SharedPlatform.Handle platform) {
    data = platform.dataDirectory();
  }

  private static Result forward(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    OptionalInt code = PlatformClient.forward(args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private static Result here(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = EdxMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(OptionalInt.of(code), out.toString(), err.toString());
  }

  @Test
  void ingestAndConvertRunOnThePlatformWithTheirOutputAndExitCode() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(
        source.resolve(HOUR.fileName())))) {
      GhArchiveGenerator.writeModern(HOUR, 300, out);
    }
    // A relative --source is this process's: the client makes it absolute for the platform.
    String relative = Path.of("").toAbsolutePath().relativize(source).toString();
    Result ingest = forward("gha", "ingest", "--data-dir", data.toString(), "--source", relative,
        "--from", HOUR.toString());
    assertThat(ingest.code()).as(ingest.out() + ingest.err()).hasValue(0);
    assertThat(ingest.out()).contains("ingest: 1 hour(s) from " + source)
        .containsPattern("ingest " + HOUR + " ingested ");

    Path report = dir.resolve("convert.json");
    Result convert = forward("gha", "convert", "--force", "--data-dir", data.toString(),
        "--from", HOUR.toString(), "--report=" + Path.of("").toAbsolutePath().relativize(report));
    assertThat(convert.code()).as(convert.out() + convert.err()).hasValue(0);
    assertThat(convert.out()).contains("convert: 1 hour(s) from gha-raw to gha-lake")
        .containsPattern("convert " + HOUR + " converted\\s+\\d+ bytes\\s+300 events");
    assertThat(convert.err()).isEmpty();
    assertThat(Files.readString(report)).contains("\"events\" : 300");
    try (var lake = Files.walk(data.resolve("s3").resolve("gha-lake"))) {
      assertThat(lake.filter(p -> p.toString().endsWith(".parquet")
          && p.toString().contains("day=04") && p.toString().contains("hour=10"))).hasSize(1);
    }
  }

  @Test
  void aFailingCommandGetsTheErrorAndExitCodeItGetsHere() {
    String[] usage = {"gha", "convert", "--data-dir", data.toString(), "--from", "2024-13-01T00"};
    Result there = forward(usage);
    Result local = here(usage);
    assertThat(there.code()).hasValue(CommandLines.USAGE);
    assertThat(there).isEqualTo(local);
    assertThat(there.err()).startsWith("edx: Invalid --from '2024-13-01T00'");

    // A runtime failure: the hour is not in the raw bucket (each run gets the same one line).
    String[] missing = {"gha", "convert", "--data-dir", data.toString(), "--from",
        "2011-02-12T03", "--raw-bucket", "no-such-raw"};
    there = forward(missing);
    local = here(missing);
    assertThat(there.code()).hasValue(1);
    assertThat(local.code()).hasValue(1);
    assertThat(there.err()).isEqualTo(local.err());
    assertThat(there.out()).contains("1 hour(s) FAILED:").contains("2011-02-12T03 convert");
    assertThat(there.out().lines().filter(l -> l.contains("FAILED") || l.startsWith("  20")))
        .isEqualTo(local.out().lines().filter(l -> l.contains("FAILED")
            || l.startsWith("  20")).toList());
  }

  @Test
  void withoutAPlatformOrWithEnvTheCommandRunsHere() throws Exception {
    Path none = Files.createDirectories(dir.resolve("no-platform"));
    assertThat(forward("gha", "convert", "--data-dir", none.toString(), "--from",
        HOUR.toString()).code()).isEmpty();
    assertThat(forward("gha", "convert", "--data-dir", data.toString(), "--env",
        "x.yaml", "--from", HOUR.toString()).code()).isEmpty();
    assertThat(forward("gha", "convert", "--data-dir", data.toString(), "--engine", "spark",
        "--from", HOUR.toString()).code()).isEmpty();
    assertThat(forward("gha", "export", "--data-dir", data.toString()).code()).isEmpty();
    assertThat(forward("gha", "convert", "--data-dir", data.toString(), "--debug", "--from",
        HOUR.toString()).code()).isEmpty();

    Path cwd = Path.of("/work/somewhere");
    assertThat(PlatformClient.forwardable(new String[] {"gha", "run", "--from", "2015-01-01T15",
        "--source", "hours", "--tables=t.yaml", "--report", "r.json", "--engine", "java"}, cwd))
        .hasValue(List.of("gha", "run", "--data-dir", "/work/somewhere/.edx/embedded", "--from",
            "2015-01-01T15", "--source", "/work/somewhere/hours", "--tables",
            "/work/somewhere/t.yaml", "--report", "/work/somewhere/r.json", "--engine", "java"));
    assertThat(PlatformClient.forwardable(new String[] {"gha", "ingest", "--data-dir=d",
        "--source", "https://data.gharchive.org"}, cwd)).hasValue(List.of("gha", "ingest",
            "--data-dir", "/work/somewhere/d", "--source", "https://data.gharchive.org"));
    assertThat(PlatformClient.forwardable(new String[] {"gha", "publish", "--store", "e"}, cwd))
        .isEqualTo(Optional.empty());
  }

  /**
   * Ctrl-C of a forwarded command stops it on the platform, even where it waits on the network:
   * an ingest whose source sends the first bytes of an hour, then nothing. The client is a real
   * child JVM, sent SIGINT (SIGTERM where its parent ignores SIGINT for it, as a background job's
   * shell may): it exits with 128 + the signal's number, the platform drops the download, logs
   * that the command stopped, keeps no part of the hour, and runs the next command.
   */
  @Test
  void ctrlCOfTheClientStopsTheCommandOnThePlatform() throws Exception {
    Hour hour = Hour.of(2024, 3, 6, 1);
    CountDownLatch downloading = new CountDownLatch(1);
    CountDownLatch dropped = new CountDownLatch(1);
    Path log = dir.resolve("client.log");
    try (ServerSocket stalling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> stall(stalling, downloading, dropped), "stalling-source");
      server.setDaemon(true);
      server.start();
      Process client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
          "java").toString(), "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp",
          System.getProperty("java.class.path"), EdxMain.class.getName(), "gha", "ingest",
          "--data-dir", data.toString(), "--source", "http://127.0.0.1:"
          + stalling.getLocalPort(), "--from", hour.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        assertThat(downloading.await(60, TimeUnit.SECONDS))
            .as("the platform started downloading: %s", Files.readString(log)).isTrue();
        int signal = ignores(client.pid(), 2) ? 15 : 2;
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(client.pid()))
            .start().waitFor()).isZero();
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).as("the client ended").isTrue();
        assertThat(client.exitValue()).as(Files.readString(log)).isEqualTo(128 + signal);
      } finally {
        client.destroyForcibly();
      }
      assertThat(dropped.await(30, TimeUnit.SECONDS)).as("the platform dropped the download:"
          + " %s", Files.readString(data.resolve(PlatformControl.LOG))).isTrue();
    }
    Path platformLog = data.resolve(PlatformControl.LOG);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.readString(platformLog).contains("`edx gha ingest` stopped after its client"
        + " went away") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(Files.readString(platformLog))
        .contains("The client of `edx gha ingest` went away (Ctrl-C?): stopping the command")
        .contains("`edx gha ingest` stopped after its client went away")
        .doesNotContain("a task ignores interrupts");
    try (var raw = Files.walk(data.resolve("s3"))) {
      assertThat(raw.filter(Files::isRegularFile).map(Path::toString))
          .noneMatch(p -> p.contains("2024/03/06"));
    }

    // The next command runs: the same hour, from a folder this time, is ingested whole.
    Path source = Files.createDirectories(dir.resolve("after-cancel"));
    try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(
        source.resolve(hour.fileName())))) {
      GhArchiveGenerator.writeModern(hour, 50, out);
    }
    Result next = forward("gha", "ingest", "--data-dir", data.toString(), "--source",
        source.toString(), "--from", hour.toString());
    assertThat(next.code()).as(next.out() + next.err()).hasValue(0);
    assertThat(next.out()).containsPattern("ingest " + hour + " ingested ");
  }

  /** Serves every GET with the first bytes of a long body, then waits for the client to go. */
  private static void stall(ServerSocket server, CountDownLatch downloading,
      CountDownLatch dropped) {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          head.append((char) b);
        }
        if (!head.toString().startsWith("GET ")) {
          s.getOutputStream().write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          continue;
        }
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[64 * 1024]);
        out.flush();
        downloading.countDown();
        while (in.read() >= 0) {
          // Nothing more is sent: the download ends when the client closes the connection.
        }
        dropped.countDown();
      } catch (IOException e) {
        if (!server.isClosed()) {
          dropped.countDown(); // A reset: dropped as well.
        }
      }
    }
  }

  /** Whether process {@code pid} ignores signal {@code signal} (Linux: SigIgn in its status). */
  private static boolean ignores(long pid, int signal) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(l -> l.startsWith("SigIgn:"))
        .anyMatch(l -> (Long.parseUnsignedLong(l.substring(7).trim(), 16)
            & (1L << (signal - 1))) != 0);
  }
}
