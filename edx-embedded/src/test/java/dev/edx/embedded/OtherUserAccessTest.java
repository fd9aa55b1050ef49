package dev.edx.embedded;

import static dev.edx.embedded.OwnerOnlyFilesTest.mode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.edx.api.Environment;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another local OS user ({@code nobody}, through {@code runuser}) gets nothing from a running
 * embedded platform: it cannot log in to its PostgreSQL as {@code postgres} or as {@code edx}
 * without the password, cannot list the data folder, and cannot read an S3 object's file,
 * {@code platform.json} or a password file. Each refusal is checked against a control that
 * succeeds as the same user (a world-readable file beside the data folder, a login with the right
 * password), so the test cannot pass because {@code runuser} or {@code psql} does not work.
 *
 * <p>Runs only as root with {@code runuser} and {@code psql} on the PATH (a CI machine, a
 * container); elsewhere it is skipped with the reason.
 */
class OtherUserAccessTest {
  private static final String OTHER = "nobody";
  private static final String PERMISSION_DENIED = "Permission denied";

  @BeforeAll
  static void canRunAsAnotherUser() {
    assumeThat(System.getProperty("user.name"))
        .as("only root can run a command as another user without a password").isEqualTo("root");
    assumeThat(onPath("runuser")).as("runuser (util-linux) on the PATH").isPresent();
    assumeThat(onPath("psql")).as("psql (the PostgreSQL client) on the PATH").isPresent();
  }

  @Test
  void anotherUserGetsNothingFromARunningPlatform(@TempDir Path home) throws Exception {
    // The folder above the data folder is open to everyone, as a home folder often is.
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path control = Files.writeString(home.resolve("control.txt"), "readable by all");
    Files.setPosixFilePermissions(control, PosixFilePermissions.fromString("rw-r--r--"));
    Path data = home.resolve("platform");

    try (PostgresEndpoint pg = PostgresEndpoint.persistent(data.resolve("postgres"));
        Environment env = EmbeddedEnvironments.open(data, pg, pg.database("edx"));
        S3Endpoint s3 = S3Endpoint.inFolder(data.resolve("s3"))) {
      s3Put(s3, "/gha-raw", new byte[0]);
      s3Put(s3, "/gha-raw/2015/01/01/15.json.gz", "an object".getBytes(StandardCharsets.UTF_8));
      Path object = data.resolve("s3/gha-raw/2015/01/01/15.json.gz");
      assertThat(object).as("s3proxy keeps the object in this file").hasContent("an object");
      // Written carelessly (0644), as any tool might: the folder above it is what protects it.
      Path platformJson = Files.writeString(data.resolve("platform.json"), "{\"s3\": \"...\"}");
      assertThat(mode(platformJson)).isEqualTo("rw-r--r--");
      int port = Integer.parseInt(pg.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"));

      Result controlRead = asOther(Map.of(), "cat", control.toString());
      assertThat(controlRead.out()).as("control: %s", controlRead).isEqualTo("readable by all");
      Result login = psql(port, "edx", pg.password());
      assertThat(login.out()).as("control, the right password: %s", login).isEqualTo("1");

      for (String user : List.of("postgres", "edx")) {
        Result none = psql(port, user, null);
        assertThat(none.exit()).as("%s without a password: %s", user, none).isNotZero();
        assertThat(none.err()).contains("no password supplied");
        Result wrong = psql(port, user, "0123456789abcdef0123456789abcdef");
        assertThat(wrong.exit()).as("%s with a wrong password: %s", user, wrong).isNotZero();
        assertThat(wrong.err()).contains("password authentication failed for user \"" + user
            + "\"");
      }
      assertDenied("ls", data);
      assertDenied("cat", object);
      assertDenied("cat", platformJson);
      assertDenied("cat", data.resolve("postgres/edx-password"));
      assertDenied("cat", data.resolve("postgres/superuser-password"));
    }

    // Loosened while stopped (a copy, a chmod -R): the test sees it, and a reopen closes it.
    chmodOpen(data);
    assertThat(asOther(Map.of(), "cat", data.resolve("platform.json").toString()).exit())
        .as("the loosened folder is readable by others").isZero();
    try (PostgresEndpoint pg = PostgresEndpoint.persistent(data.resolve("postgres"));
        Environment env = EmbeddedEnvironments.open(data, pg, pg.database("edx"))) {
      assertDenied("ls", data);
      assertDenied("cat", data.resolve("platform.json"));
      assertThat(mode(data.resolve("platform.json"))).isEqualTo("rw-------");
      assertThat(mode(data.resolve("s3"))).isEqualTo("rwx------");
    }
  }

  private static void assertDenied(String command, Path path) throws Exception {
    assertThat(path).exists();
    Result result = asOther(Map.of(), command, path.toString());
    assertThat(result.exit()).as("%s %s as %s: %s", command, path, OTHER, result).isNotZero();
    assertThat(result.err()).as("%s %s", command, path).contains(PERMISSION_DENIED);
  }

  private static Result psql(int port, String user, String password) throws Exception {
    Map<String, String> environment = password == null ? Map.of()
        : Map.of("PGPASSWORD", password);
    return asOther(environment, "psql", "-X", "-w", "-h", "127.0.0.1", "-p",
        String.valueOf(port), "-U", user, "-d", "postgres", "-tA", "-c", "SELECT 1");
  }

  /** Runs {@code command} as {@link #OTHER}, with no PG* variable but {@code environment}. */
  private static Result asOther(Map<String, String> environment, String... command)
      throws Exception {
    List<String> line = new ArrayList<>(List.of("runuser", "-u", OTHER, "--"));
    line.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(line).directory(new File("/"));
    builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
    builder.environment().put("PGPASSFILE", "/dev/null");
    builder.environment().put("PGCONNECT_TIMEOUT", "5");
    builder.environment().putAll(environment);
    Path err = Files.createTempFile("edx-other-user", ".err");
    try {
      Process process = builder.redirectError(err.toFile()).start();
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("Timed out: " + line);
      }
      return new Result(process.exitValue(), out.strip(), Files.readString(err).strip());
    } finally {
      Files.delete(err);
    }
  }

  private record Result(int exit, String out, String err) {}

  /** Gives the group and others read (and, on folders, enter) on everything under {@code dir}. */
  private static void chmodOpen(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        if (!Files.isSymbolicLink(p)) {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
              Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
  }

  /** An S3 PUT signed with AWS signature version 2, which s3proxy accepts. */
  private static void s3Put(S3Endpoint s3, String resource, byte[] body) throws Exception {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    String toSign = "PUT\n\n\n\nx-amz-date:" + date + "\n" + resource;
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(s3.secretKey().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    String signature = Base64.getEncoder().encodeToString(
        mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    HttpRequest request = HttpRequest.newBuilder(URI.create(s3.endpoint() + resource))
        .header("x-amz-date", date)
        .header("Authorization", "AWS " + s3.accessKey() + ":" + signature)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("PUT %s: %s", resource, response.body()).isEqualTo(200);
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator)).filter(s -> !s.isEmpty())
        .map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
  }
}
