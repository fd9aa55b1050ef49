package dev.edx.testkit.postgres;

import dev.edx.core.postgres.PostgresMetastore;
import dev.edx.embedded.PostgresEndpoint;
import dev.edx.testkit.EdxTest;
import dev.edx.testkit.MetastoreContract;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The postgres provider passes the metastore contract on the run's PostgreSQL server. */
@EdxTest
class PostgresMetastoreContractTest extends MetastoreContract<PostgresMetastore> {
  private static PostgresMetastore metastore;

  @BeforeAll
  static void open(PostgresEndpoint postgres) {
    // A small batch size, so the contract also crosses page and chunk boundaries.
    metastore = PostgresTesting.open(postgres,
        PostgresTesting.freshDatabase(postgres, "contract"), Map.of("batchSize", 2));
  }

  @AfterAll
  static void close() {
    metastore.close();
  }

  @Override
  protected PostgresMetastore metastore() {
    return metastore;
  }

  @Override
  protected Duration consistencyTimeout() {
    return Duration.ZERO;
  }
}
