package dev.edx.provider.hive;

import dev.edx.testkit.MetastoreContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The metastore contract against a real Hive Metastore 3.1.3 on PostgreSQL. */
@ExtendWith(EmbeddedHive.Resolver.class)
class HiveMetastoreContractTest extends MetastoreContract<HiveThriftMetastore> {
  private static HiveThriftMetastore metastore;

  @BeforeAll
  static void open(EmbeddedHive hive) {
    metastore = hive.open("test", spec -> spec);
  }

  @AfterAll
  static void close() {
    if (metastore != null) {
      metastore.close();
    }
  }

  @Override
  protected HiveThriftMetastore metastore() {
    return metastore;
  }

  @Override
  protected Duration consistencyTimeout() {
    return Duration.ZERO;
  }
}
