package dev.edx.testkit.postgres;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Environment;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.spi.ProviderContext;
import dev.edx.api.spi.Provisioner;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.core.postgres.PostgresMetastore;
import dev.edx.core.postgres.PostgresMetastoreProvider;
import dev.edx.embedded.PostgresEndpoint;
import dev.edx.testkit.EdxTest;
import dev.edx.testkit.ProvisionerContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provisioner contract against the {@code postgres} metastore's databases, on the run's
 * PostgreSQL server. Ownership is two database properties written in the create itself, so there
 * is no half-created database to test. Its changes also report the metastore's schema, which
 * the contract ignores.
 */
@EdxTest
class PostgresProvisionerContractTest extends ProvisionerContract {
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
    return (Provisioner) new PostgresMetastoreProvider().create(spec, new Context(environment));
  }

  @Override
  protected String kind() {
    return "database";
  }

  @Override
  protected char separator() {
    return '_';
  }

  @Override
  protected Duration consistencyTimeout() {
    return Duration.ZERO;
  }

  @Override
  protected void createUnowned(String name) {
    bare.createDatabase(Database.of(name));
  }

  @Override
  protected void putData(String name) {
    bare.createTable(TableDefinition.of(TableId.of(name, "events"), "file:/tmp/" + name,
        "parquet", List.of(Column.of("id", "bigint")), List.of()));
  }

  @Override
  protected boolean holdsData(String name) {
    return bare.loadTable(TableId.of(name, "events")).isPresent();
  }

  @Override
  protected void deleteBehindBack(String name) {
    bare.dropDatabase(name, true);
  }

  @Override
  protected boolean exists(String name) {
    return bare.loadDatabase(name).isPresent();
  }

  @Override
  protected Optional<String> owner(String name) {
    Map<String, String> properties = bare.loadDatabase(name).orElseThrow().properties();
    return "edx".equals(properties.get("edx.dev/managed-by"))
        ? Optional.ofNullable(properties.get("edx.dev/environment")) : Optional.empty();
  }

  /** A provider context for an environment of a given name, with no environment variables. */
  private record Context(String environmentName) implements ProviderContext {
    @Override
    public Path baseDirectory() {
      return Path.of("").toAbsolutePath();
    }

    @Override
    public ClassLoader classLoader() {
      return getClass().getClassLoader();
    }

    @Override
    public Map<String, String> environmentVariables() {
      return Map.of();
    }

    @Override
    public Environment environment() {
      throw new IllegalStateException("no environment in this test");
    }
  }
}
