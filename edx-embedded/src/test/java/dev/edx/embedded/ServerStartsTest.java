package dev.edx.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL and the S3 endpoint start at once, and a failure of either stops the
 * other: real servers, made to fail the way a user's data folder can (a PostgreSQL data folder
 * whose password file is gone; an S3 folder that cannot be created).
 */
class ServerStartsTest {
  /** One PostgreSQL data folder for the tests that start it: initdb runs once. */
  @TempDir
  static Path shared;

  @Test
  void bothStartAtOnceAndServe(@TempDir Path dir) throws Exception {
    ServerStarts.Both<PostgresEndpoint, S3Endpoint> both = ServerStarts.together(
        () -> PostgresEndpoint.persistent(shared.resolve("postgres")), "s3-endpoint",
        () -> S3Endpoint.inFolder(dir.resolve("s3")));
    try (PostgresEndpoint pg = both.first(); S3Endpoint s3 = both.second()) {
      DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password()).close();
      assertThat(accepts(s3.endpoint())).isTrue();
      assertThat(both.firstNanos()).isPositive();
      assertThat(both.secondNanos()).isPositive();
    }
  }

  @Test
  void aPostgresFailureStopsTheS3EndpointStartedBesideIt(@TempDir Path dir) throws Exception {
    Path postgres = brokenPostgresFolder(dir);
    AtomicReference<S3Endpoint> started = new AtomicReference<>();
    assertThatThrownBy(() -> ServerStarts.together(() -> PostgresEndpoint.persistent(postgres),
        "s3-endpoint", () -> {
          started.set(S3Endpoint.inFolder(dir.resolve("s3")));
          return started.get();
        }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the password file")
        .hasMessageContaining("is missing");
    assertThat(started.get()).as("the S3 endpoint did start").isNotNull();
    assertThat(accepts(started.get().endpoint())).as("and was stopped").isFalse();
  }

  @Test
  void anS3FailureStopsThePostgresStartedBesideIt(@TempDir Path dir) throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("s3-is-a-file"), "x");
    AtomicReference<PostgresEndpoint> started = new AtomicReference<>();
    assertThatThrownBy(() -> ServerStarts.together(() -> {
      started.set(PostgresEndpoint.persistent(shared.resolve("postgres")));
      return started.get();
    }, "s3-endpoint", () -> S3Endpoint.inFolder(notAFolder.resolve("s3"))))
        .hasMessageContaining(notAFolder.toString());
    assertThat(started.get()).as("PostgreSQL did start").isNotNull();
    PostgresEndpoint pg = started.get();
    assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())
        .close()).as("and was stopped").hasMessageContaining("Connection to 127.0.0.1");
  }

  @Test
  void whenBothFailTheFirstIsThrownWithTheSecondSuppressed(@TempDir Path dir) throws Exception {
    Path postgres = brokenPostgresFolder(dir);
    Path notAFolder = Files.writeString(dir.resolve("s3-is-a-file"), "x");
    assertThatThrownBy(() -> ServerStarts.together(() -> PostgresEndpoint.persistent(postgres),
        "s3-endpoint", () -> S3Endpoint.inFolder(notAFolder.resolve("s3"))))
        .hasMessageContaining("the password file")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .satisfies(s -> assertThat(s).hasMessageContaining(notAFolder.toString())));
  }

  /** A PostgreSQL folder with data but without its password file: persistent() refuses it. */
  private static Path brokenPostgresFolder(Path dir) throws IOException {
    Path postgres = dir.resolve("postgres");
    Files.createDirectories(postgres.resolve("data"));
    Files.writeString(postgres.resolve("data").resolve("postgresql.conf"), "");
    return postgres;
  }

  private static boolean accepts(URI endpoint) throws IOException {
    try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      return true;
    } catch (ConnectException e) {
      return false;
    }
  }
}
