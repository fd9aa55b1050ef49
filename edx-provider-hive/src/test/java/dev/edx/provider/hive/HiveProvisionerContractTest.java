package dev.edx.provider.hive;

import dev.edx.api.Metastore;
import dev.edx.api.spi.Provisioner;
import dev.edx.testkit.MetastoreProvisionerContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The provisioner contract against the {@code hive} metastore's databases on a real Hive
 * Metastore. Ownership is two database parameters written by create_database itself, so there is
 * no half-created database to test.
 */
@ExtendWith(EmbeddedHive.Resolver.class)
class HiveProvisionerContractTest extends MetastoreProvisionerContract {
  private static EmbeddedHive hive;
  private static HiveThriftMetastore bare;
  private static final List<HiveThriftMetastore> OPENED = new ArrayList<>();

  @BeforeAll
  static void start(EmbeddedHive embedded) {
    hive = embedded;
    bare = hive.open("nobody", spec -> spec);
  }

  @AfterAll
  static void stop() {
    OPENED.forEach(HiveThriftMetastore::close);
    if (bare != null) {
      bare.close();
    }
  }

  @Override
  protected Provisioner provisioner(String environment, List<Declared> declared) {
    HiveThriftMetastore metastore = hive.open(environment, spec -> spec.set(
        HiveProperties.DATABASES.key(), declared.stream().map(Declared::specValue).toList()));
    synchronized (OPENED) {
      OPENED.add(metastore);
    }
    return metastore;
  }

  @Override
  protected Metastore bareMetastore() {
    return bare;
  }

  @Override
  protected String tableLocation(String database) {
    return hive.warehouse().resolve("tables").resolve(database).toUri().toString();
  }
}
