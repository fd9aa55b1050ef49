package dev.edx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edx.embedded.PostgresEndpoint;
import dev.edx.testkit.EdxTest;
import dev.edx.testkit.KafkaBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edx doctor} on the data stores a spec declares: a database of the run's embedded
 * PostgreSQL and the run's in-JVM KRaft broker answer (one line each, naming what answered);
 * stores on ports where nothing listens fail, each on a line naming the store.
 */
@EdxTest
class DoctorDataStoresTest {
  private final StringWriter out = new StringWriter();

  private int doctor(Path spec) {
    return EdxMain.run(new String[] {"doctor", "--env", spec.toString()},
        new PrintWriter(out, true), new PrintWriter(out, true));
  }

  private static Path spec(Path dir, String url, String password, String user,
      String bootstrap) throws IOException {
    Files.writeString(dir.resolve("pg-password"), password);
    Path spec = dir.resolve("env.yaml");
    Files.writeString(spec, """
        apiVersion: edx.dev/v1
        kind: Environment
        metadata: {name: doctor-stores}
        spec:
          secrets:   {provider: local, directory: secrets}
          storage:   {provider: local, root: data}
          metastore: {provider: local, directory: metastore}
          compute:   {provider: local, threads: 1}
          datastores:
            warehouse: {provider: jdbc, dialect: postgresql, url: "%s", user: %s,
                        password: "${file:pg-password}", connectTimeout: 1s}
            events:    {provider: kafka, bootstrapServers: "%s", requestTimeout: 2s}
        """.formatted(url, user, bootstrap));
    return spec;
  }

  @Test
  void doctorReachesEachDeclaredDataStore(PostgresEndpoint postgres, KafkaBroker kafka,
      @TempDir Path dir) throws IOException {
    String url = postgres.createDatabase("edxt_doctor_" + ProcessHandle.current().pid());
    int code = doctor(spec(dir, url, postgres.password(), postgres.user(),
        kafka.bootstrapServers()));
    assertThat(code).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("datastores jdbc (dev.edx.provider.jdbc.JdbcDataStoreProvider),"
            + " kafka (dev.edx.provider.kafka.KafkaDataStoreProvider)")
        .containsPattern("ok +datastore warehouse postgresql: PostgreSQL \\d+\\.\\d+.* at "
            + "jdbc:postgresql://.* as " + postgres.user() + ", SELECT 1 in \\d+ ms")
        .containsPattern("ok +datastore events kafka: cluster \\S+, 1 broker\\(s\\) \\("
            + kafka.bootstrapServers() + "\\), controller \\d+")
        .contains("all checks passed")
        .doesNotContain(postgres.password().isEmpty() ? "\u0000" : postgres.password());
  }

  @Test
  void doctorFailsClearlyOnEachStoreThatDoesNotAnswer(@TempDir Path dir) throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort(); // closed again: nothing listens there
    }
    int code = doctor(spec(dir, "jdbc:postgresql://127.0.0.1:" + port + "/none", "secret-pw",
        "nobody", "127.0.0.1:" + port));
    assertThat(code).as(out.toString()).isEqualTo(1);
    assertThat(out.toString())
        .containsPattern("FAIL +datastore warehouse ProviderException: Cannot connect to data"
            + " store 'warehouse' \\(postgresql, jdbc:postgresql://127.0.0.1:" + port)
        .containsPattern("FAIL +datastore events ProviderException: Cannot reach data store"
            + " 'events' \\(127.0.0.1:" + port + "\\)")
        .contains("2 check(s) failed")
        .doesNotContain("secret-pw");
  }
}
