package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Table;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.exceptions.CommitConflictException;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.toolkit.Specs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.glue.model.UpdateTableRequest;

/**
 * Optimistic concurrency of the {@code glue} metastore where it rests on Glue itself: a writer
 * that passed edx's version check but whose UpdateTable carries a {@code VersionId} another
 * writer has since replaced. Glue refuses such an update with {@code
 * ConcurrentModificationException}; moto accepts it, so this runs against a <b>double</b> that
 * models exactly that refusal ({@link LocalGlue} on {@link LocalJsonEndpoint}). Everything else
 * about the provider is proven on moto ({@link GlueOnMotoContractTest}).
 */
class GlueStaleVersionAgainstDoubleTest {
  private static LocalJsonEndpoint endpoint;

  @BeforeAll
  static void start() {
    endpoint = new LocalJsonEndpoint(new LocalGlue());
  }

  @AfterAll
  static void stop() {
    endpoint.close();
  }

  /** The {@code glue} metastore on the double, with these SDK interceptors. */
  static GlueMetastore open(LocalJsonEndpoint endpoint, List<ExecutionInterceptor> interceptors) {
    ServiceSpec spec = Specs.checked(new GlueMetastoreProvider(), ServiceSpec
        .builder("metastore", "glue")
        .set(AwsProperties.ENDPOINT.key(), endpoint.uri().toString())
        .set(AwsProperties.REGION.key(), "eu-west-1")
        .set(AwsProperties.RETRY_BASE_DELAY.key(), "10ms")
        .setSensitive(AwsProperties.ACCESS_KEY_ID.key(), "AKIDEXAMPLE")
        .setSensitive(AwsProperties.SECRET_ACCESS_KEY.key(), "double-secret-key").build());
    return new GlueMetastore(GlueSettings.parse(spec), "test", interceptors);
  }

  private static TableId newTable(GlueMetastore metastore, String database) {
    metastore.createDatabase(Database.of(database));
    TableId id = TableId.of(database, "events");
    metastore.createTable(TableDefinition.of(id, "s3a://lake/events", "parquet",
        List.of(Column.of("id", "bigint")), List.of()));
    return id;
  }

  private static TableDefinition withProperty(TableDefinition d, String key, String value) {
    Map<String, String> properties = new HashMap<>(d.properties());
    properties.put(key, value);
    return new TableDefinition(d.id(), d.location(), d.format(), d.columns(), d.partitionKeys(),
        properties, d.comment());
  }

  @Test
  void anUpdateWhoseVersionIdWentStaleAfterTheVersionCheckIsAConflictAndWritesNothing() {
    try (GlueMetastore first = open(endpoint, List.of())) {
      TableId id = newTable(first, "stale_once");
      Table read = first.loadTable(id).orElseThrow();
      AtomicBoolean raced = new AtomicBoolean();
      // The other writer commits between the second writer's GetTable and its UpdateTable.
      ExecutionInterceptor race = new ExecutionInterceptor() {
        @Override
        public void beforeExecution(Context.BeforeExecution context,
            ExecutionAttributes attributes) {
          if (context.request() instanceof UpdateTableRequest && raced.compareAndSet(false,
              true)) {
            first.updateTable(withProperty(read.definition(), "writer", "first"), 1);
          }
        }
      };
      try (GlueMetastore second = open(endpoint, List.of(race))) {
        endpoint.clearRequests();

        assertThatThrownBy(() -> second.updateTable(withProperty(read.definition(), "writer",
            "second"), 1))
            .isInstanceOfSatisfying(CommitConflictException.class, e -> {
              assertThat(e.expectedVersion()).isEqualTo(1);
              assertThat(e.actualVersion()).isEqualTo(2);
            })
            .hasMessageContaining(id.toString());

        var updates = endpoint.requests("UpdateTable");
        assertThat(updates).hasSize(2);
        assertThat(updates).extracting(r -> r.body().get("VersionId").asText())
            .as("both writers read VersionId 0").containsExactly("0", "0");
        assertThat(second.loadTable(id).orElseThrow()).satisfies(t -> {
          assertThat(t.version()).isEqualTo(2);
          assertThat(t.definition().properties()).containsEntry("writer", "first");
        });
      }
    }
  }

  @Test
  void concurrentWritersNeverLoseAnUpdate() throws Exception {
    int writers = 8;
    try (GlueMetastore metastore = open(endpoint, List.of())) {
      TableId id = newTable(metastore, "contended");
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      CountDownLatch start = new CountDownLatch(1);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
          String key = "writer" + i;
          futures.add(pool.submit(() -> {
            start.await();
            while (true) {
              Table current = metastore.loadTable(id).orElseThrow();
              try {
                metastore.updateTable(withProperty(current.definition(), key, "done"),
                    current.version());
                return null;
              } catch (CommitConflictException e) {
                // reload and retry
              }
            }
          }));
        }
        start.countDown();
        for (Future<?> f : futures) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }

      Table result = metastore.loadTable(id).orElseThrow();
      for (int i = 0; i < writers; i++) {
        assertThat(result.definition().properties()).containsEntry("writer" + i, "done");
      }
      assertThat(result.version()).isEqualTo(1 + writers);
    }
  }
}
