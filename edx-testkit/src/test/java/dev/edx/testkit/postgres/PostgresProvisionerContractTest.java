package dev.edx.testkit.postgres;

import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.spi.Provisioner;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.core.postgres.PostgresMetastore;
import dev.edx.core.postgres.PostgresMetastoreProvider;
import dev.edx.embedded.PostgresEndpoint;
import dev.edx.testkit.EdxTest;
import dev.edx.testkit.MetastoreProvisionerContract;
import dev.edx.testkit.TestProviderContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provisioner contract against the {@code postgres} metastore's databases, on the run's
 * PostgreSQL server. Ownership is two database properties written in the create itself, so there
 * is no half-created database to test. Its changes also report the metastore's schema, which
 * the contract ignores.
 */
@EdxTest
class PostgresProvisionerContractTest extends MetastoreProvisionerContract {
  private static PostgresEndpoint postgres;
  private static String jdbcUrl;
  private static PostgresMetastore bare;

  @BeforeAll
  static void open(PostgresEndpoint endpoint) {
    postgres = endpoint;
    jdbcUrl = PostgresTesting.freshDatabase(endpoint, "provisioner");
    bare = PostgresTesting.open(endpoint, jdbcUrl, Map.of());
    bare.apply(); // the schema
    // destroy drops the schema once no database is left in it: one database stays all along.
    bare.createDatabase(Database.of(RUN_PREFIX + "_keeps_the_schema"));
  }

  @AfterAll
  static void close() {
    bare.close();
  }

  @Override
  protected Provisioner provisioner(String environment, List<Declared> declared) {
    ServiceSpec spec = PostgresTesting.spec(postgres, jdbcUrl)
        .set("databases", declared.stream().map(Declared::specValue).toList())
        .build();
    return (Provisioner) new PostgresMetastoreProvider().create(spec,
        new TestProviderContext(environment));
  }

  @Override
  protected Duration consistencyTimeout() {
    return Duration.ZERO;
  }

  @Override
  protected Metastore bareMetastore() {
    return bare;
  }
}
