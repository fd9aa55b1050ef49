package dev.edx.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Platform} in this JVM: what it publishes while it runs, one more {@link PlatformService}
 * on its PostgreSQL, and what closing it leaves; {@link DataDirectoryLock} and the busy message.
 * (edx-cli's {@code PlatformTest} runs it in a process of its own, as {@code edx up} does.)
 */
class PlatformInProcessTest {

  @Test
  void publishesItsServicesWhileItRunsAndNothingOnceClosed(@TempDir Path dir) throws Exception {
    List<String> events = new ArrayList<>();
    PlatformService.Factory extra = new PlatformService.Factory() {
      @Override
      public String name() {
        return "extra";
      }

      @Override
      public PlatformService start(PlatformService.Context context) {
        // A service of the platform gets its running PostgreSQL: it can make its own database.
        String url = context.postgres().database("extra_db");
        events.add("started on " + url);
        return new PlatformService() {
          @Override
          public String name() {
            return "extra";
          }

          @Override
          public Map<String, Object> contract() {
            return Map.of("uri", "thrift://127.0.0.1:1", "jdbcUrl", url);
          }

          @Override
          public void close() {
            // Stopped before PostgreSQL: its database is still reachable here.
            try (Connection c = DriverManager.getConnection(url, context.postgres().user(),
                context.postgres().password())) {
              events.add("closed while PostgreSQL runs: " + c.isValid(5));
            } catch (Exception e) {
              events.add("closed after PostgreSQL: " + e.getMessage());
            }
          }
        };
      }
    };
    Path descriptor = dir.resolve(Platform.DESCRIPTOR);
    try (Platform platform = Platform.start(dir, List.of(extra))) {
      assertThat(events).singleElement().asString().startsWith("started on jdbc:postgresql:");
      assertThat(Files.getPosixFilePermissions(descriptor)).isEqualTo(
          Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      JsonNode json = new ObjectMapper().readTree(descriptor.toFile());
      assertThat(json.path("s3").path("endpoint").asText()).startsWith("http://127.0.0.1:");
      assertThat(json.path("postgres").path("jdbcUrl").asText()).endsWith("/edx");
      assertThat(json.path("extra").path("uri").asText()).isEqualTo("thrift://127.0.0.1:1");
      assertThat(json.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
      assertThat(json.path("spec").asText()).isEqualTo(dir.resolve(Platform.SPEC).toString());

      Optional<PlatformInfo> found = Platform.find(dir);
      assertThat(found).contains(platform.info());
      assertThat(found.get().toString()).doesNotContain(found.get().s3SecretKey())
          .doesNotContain(found.get().postgresPassword());
      String spec = Files.readString(dir.resolve(Platform.SPEC));
      assertThat(spec).contains("provider: minio").contains("provider: postgres")
          .contains("${file:platform/s3-secret-key}")
          .doesNotContain(found.get().s3SecretKey());
      assertThat(Files.readString(dir.resolve("platform/s3-secret-key")))
          .isEqualTo(found.get().s3SecretKey());
      assertThat(DataDirectoryLock.holder(dir)).get().extracting(DataDirectoryLock.Holder::what)
          .isEqualTo(Platform.LOCK_OWNER);

      // A second platform on the same directory is refused, naming the first.
      assertThatThrownBy(() -> Platform.start(dir, List.of()))
          .isInstanceOf(DataDirectoryBusyException.class)
          .hasMessageContaining("in use by edx process " + ProcessHandle.current().pid()
              + " (edx platform)");
    }
    assertThat(events).last().isEqualTo("closed while PostgreSQL runs: true");
    assertThat(descriptor).doesNotExist();
    assertThat(dir.resolve(Platform.SPEC)).doesNotExist();
    assertThat(dir.resolve("platform")).doesNotExist();
    assertThat(Platform.find(dir)).isEmpty();
    assertThat(DataDirectoryLock.held(dir)).isFalse();
  }

  /**
   * An optional service (a stand-in: it serves nothing, it declares a data store) starts only
   * when the data directory's options name it; its store goes into the spec, the options into
   * platform.json; options naming a service nobody provides are refused before anything starts.
   */
  @Test
  void anOptionalServiceStartsOnlyWhenTheDataDirectoryAsksForIt(@TempDir Path dir)
      throws Exception {
    List<String> started = new ArrayList<>();
    PlatformService.Factory optional = new PlatformService.Factory() {
      @Override
      public String name() {
        return "stream";
      }

      @Override
      public boolean optional() {
        return true;
      }

      @Override
      public PlatformService start(PlatformService.Context context) {
        started.add(name());
        return new PlatformService() {
          @Override
          public String name() {
            return "stream";
          }

          @Override
          public Map<String, Object> contract() {
            return Map.of("bootstrapServers", "127.0.0.1:1");
          }

          @Override
          public Map<String, String> datastoreSpecs() {
            return Map.of("events", "provider: kafka, bootstrapServers: \"127.0.0.1:1\"");
          }

          @Override
          public void close() {}
        };
      }
    };
    List<String> progress = new ArrayList<>();
    try (Platform platform = Platform.start(dir, List.of(optional), progress::add)) {
      assertThat(started).isEmpty();
      assertThat(progress).containsExactly("starting postgres and s3");
      assertThat(platform.info().with()).isEmpty();
      assertThat(Files.readString(dir.resolve(Platform.SPEC))).doesNotContain("datastores");
    }

    new PlatformOptions(Set.of("stream")).write(dir);
    assertThat(PlatformOptions.read(dir).with()).containsExactly("stream");
    progress.clear();
    try (Platform platform = Platform.start(dir, List.of(optional), progress::add)) {
      assertThat(started).containsExactly("stream");
      assertThat(progress).containsExactly("starting postgres and s3",
          "starting stream");
      assertThat(platform.info().with()).containsExactly("stream");
      assertThat(Files.readString(dir.resolve(Platform.SPEC))).contains("  datastores:\n"
          + "    events: {provider: kafka, bootstrapServers: \"127.0.0.1:1\"}\n");
    }
    // Kept when the platform stops: the next start knows it.
    assertThat(PlatformOptions.read(dir).with()).containsExactly("stream");

    new PlatformOptions(Set.of("stream", "nosuch")).write(dir);
    assertThatThrownBy(() -> Platform.start(dir, List.of(optional)))
        .hasMessageContaining("asks for 'nosuch', which this class path does not provide"
            + " (known: stream)");
    assertThat(DataDirectoryLock.held(dir)).isFalse();
  }

  /**
   * An independent service starts beside the services listed before it (here the one before it
   * waits for it to have started) and has started before the one listed after it starts; the
   * spec and the contract keep the order of the list; one failing is reported, the others run.
   */
  @Test
  void anIndependentServiceStartsBesideThoseBeforeItAndBeforeThoseAfterIt(@TempDir Path dir)
      throws Exception {
    // Each of the first two waits for the other to be starting: one after the other, neither
    // would start (within a minute).
    CountDownLatch firstStarting = new CountDownLatch(1);
    CountDownLatch besideStarted = new CountDownLatch(1);
    List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    PlatformService.Factory first = stub("first", false, () -> {
      events.add("first waits");
      firstStarting.countDown();
      await(besideStarted);
    });
    PlatformService.Factory beside = stub("beside", true, () -> {
      await(firstStarting);
      events.add("beside started");
      besideStarted.countDown();
    });
    PlatformService.Factory broken = stub("broken", true, () -> {
      throw new IllegalStateException("no port left");
    });
    PlatformService.Factory last = stub("last", false, () -> events.add("last starts"));

    List<String> progress = java.util.Collections.synchronizedList(new ArrayList<>());
    try (Platform platform = Platform.start(dir, List.of(first, beside, broken, last),
        progress::add)) {
      assertThat(events).containsExactly("first waits", "beside started", "last starts");
      assertThat(progress).containsExactlyInAnyOrder("starting postgres and s3",
          "starting first", "starting beside", "starting broken", "starting last");
      assertThat(progress.indexOf("starting last")).isEqualTo(4);
      String spec = Files.readString(dir.resolve(Platform.SPEC));
      assertThat(spec.indexOf("first:")).isLessThan(spec.indexOf("beside:"));
      assertThat(spec.indexOf("beside:")).isLessThan(spec.indexOf("last:"));
      assertThat(spec).doesNotContain("broken:");
      JsonNode json = new ObjectMapper().readTree(dir.resolve(Platform.DESCRIPTOR).toFile());
      assertThat(json.toString()).contains("no port left");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(60, TimeUnit.SECONDS)).as("started beside each other").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A service named {@code name} that runs {@code onStart} as it starts, declaring a store. */
  private static PlatformService.Factory stub(String name, boolean independent,
      Runnable onStart) {
    return new PlatformService.Factory() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean independent() {
        return independent;
      }

      @Override
      public PlatformService start(PlatformService.Context context) {
        onStart.run();
        return new PlatformService() {
          @Override
          public String name() {
            return name;
          }

          @Override
          public Map<String, Object> contract() {
            return Map.of("uri", "stub://" + name);
          }

          @Override
          public Map<String, String> datastoreSpecs() {
            return Map.of(name, "provider: kafka, bootstrapServers: \"127.0.0.1:1\"");
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  @Test
  void aHeldDataDirectoryNamesItsHolder(@TempDir Path dir) {
    try (DataDirectoryLock lock = DataDirectoryLock.tryAcquire(dir, "edx gha run --from x")
        .orElseThrow()) {
      assertThat(DataDirectoryLock.tryAcquire(dir, "another")).isEmpty();
      assertThat(DataDirectoryLock.held(dir)).isTrue();
      DataDirectoryLock.Holder holder = DataDirectoryLock.holder(dir).orElseThrow();
      assertThat(holder.pid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(holder.what()).isEqualTo("edx gha run --from x");

      assertThatThrownBy(() -> EmbeddedEnvironments.openPersistent(dir))
          .isInstanceOf(DataDirectoryBusyException.class)
          .hasMessageStartingWith("Cannot open the embedded environment in " + dir
              + ": the data directory is in use by edx process " + holder.pid()
              + " (edx gha run --from x), since ")
          .hasMessageContaining("run `edx up --data-dir " + dir + "` first");
    }
    assertThat(DataDirectoryLock.held(dir)).isFalse();
    try (DataDirectoryLock again = DataDirectoryLock.tryAcquire(dir, "again").orElseThrow()) {
      assertThat(DataDirectoryLock.holder(dir).orElseThrow().what()).isEqualTo("again");
    }
  }
}
