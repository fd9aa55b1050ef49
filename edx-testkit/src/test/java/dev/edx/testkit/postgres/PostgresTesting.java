package dev.edx.testkit.postgres;

import dev.edx.api.spi.ServiceSpec;
import dev.edx.core.postgres.PostgresMetastore;
import dev.edx.core.postgres.PostgresMetastoreProvider;
import dev.edx.embedded.PostgresEndpoint;
import dev.edx.testkit.TestProviderContext;
import dev.edx.toolkit.Specs;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Opens postgres metastores on the shared test server, as the provider registry would. */
final class PostgresTesting {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private PostgresTesting() {}

  /** A fresh database on {@code postgres}; returns its JDBC URL. */
  static String freshDatabase(PostgresEndpoint postgres, String purpose) {
    return postgres.createDatabase("edxt_" + purpose + "_" + DATABASES.incrementAndGet() + "_"
        + ProcessHandle.current().pid());
  }

  static ServiceSpec.Builder spec(PostgresEndpoint postgres, String jdbcUrl) {
    return ServiceSpec.builder("metastore", "postgres")
        .setSource("<test>")
        .set("jdbcUrl", jdbcUrl)
        .set("user", postgres.user())
        .setSensitive("password", postgres.password());
  }

  static PostgresMetastore open(ServiceSpec spec) {
    return (PostgresMetastore) Specs.create(new PostgresMetastoreProvider(), spec,
        new TestProviderContext());
  }

  static PostgresMetastore open(PostgresEndpoint postgres, String jdbcUrl,
      Map<String, Object> settings) {
    ServiceSpec.Builder builder = spec(postgres, jdbcUrl);
    settings.forEach(builder::set);
    return open(builder.build());
  }
}
