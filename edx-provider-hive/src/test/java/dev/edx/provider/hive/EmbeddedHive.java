package dev.edx.provider.hive;

import dev.edx.api.Metastore;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.embedded.PostgresEndpoint;
import dev.edx.hive.metastore.HiveMetastoreServer;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Hive Metastore (edx-hive-metastore's server on an embedded PostgreSQL) for all the test
 * classes of a run: kept in JUnit's root store, which closes it when the run ends. A test class
 * gets it with {@code @ExtendWith(EmbeddedHive.Resolver.class)} and an {@code EmbeddedHive}
 * parameter.
 */
final class EmbeddedHive implements AutoCloseable {
  private final PostgresEndpoint postgres;
  private final HiveMetastoreServer server;
  private final Path warehouse;

  private EmbeddedHive() throws Exception {
    postgres = PostgresEndpoint.start();
    try {
      warehouse = Files.createTempDirectory("edx-hive-warehouse");
      server = HiveMetastoreServer.start(HiveMetastoreServer.Config.of(
          postgres.createDatabase("hive_metastore"), postgres.user(), postgres.password(),
          warehouse.toUri().toString()));
    } catch (Exception | Error e) {
      postgres.close();
      throw e;
    }
  }

  String uri() {
    return server.uri();
  }

  Path warehouse() {
    return warehouse;
  }

  /** The {@code hive} metastore of {@code environment} on this server. */
  HiveThriftMetastore open(String environment, UnaryOperator<ServiceSpec.Builder> more) {
    MetastoreProvider provider = ServiceLoader.load(MetastoreProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("hive"))
        .findFirst().orElseThrow();
    ServiceSpec.Builder spec = ServiceSpec.builder("metastore", "hive")
        .set(HiveProperties.THRIFT_URI.key(), uri());
    Metastore created = Specs.create(provider, more.apply(spec).build(),
        new TestProviderContext(environment));
    return (HiveThriftMetastore) created;
  }

  @Override
  public void close() throws Exception {
    try {
      server.close();
    } finally {
      postgres.close();
    }
  }

  /** Resolves an {@link EmbeddedHive} parameter: the run's one server, started on first use. */
  static final class Resolver implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == EmbeddedHive.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
          .getOrComputeIfAbsent(EmbeddedHive.class, k -> {
            try {
              return new EmbeddedHive();
            } catch (Exception e) {
              throw new IllegalStateException("Cannot start the embedded Hive Metastore", e);
            }
          }, EmbeddedHive.class);
    }
  }
}
