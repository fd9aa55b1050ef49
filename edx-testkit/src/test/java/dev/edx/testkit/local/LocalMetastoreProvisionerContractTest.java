package dev.edx.testkit.local;

import dev.edx.api.Metastore;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.api.spi.Provisioner;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.MetastoreProvisionerContract;
import dev.edx.testkit.TestProviderContext;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioner contract against the {@code local} metastore's databases. Ownership is two
 * database properties set in the create itself, so there is no half-created database to test.
 */
class LocalMetastoreProvisionerContractTest extends MetastoreProvisionerContract {
  @TempDir
  Path folder;

  private Metastore bare;

  @BeforeEach
  void openBareMetastore() {
    bare = (Metastore) provisioner("nobody", List.of());
  }

  @Override
  protected Provisioner provisioner(String environment, List<Declared> declared) {
    MetastoreProvider provider = ServiceLoader.load(MetastoreProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("local"))
        .findFirst().orElseThrow();
    Metastore metastore = provider.create(ServiceSpec.builder("metastore", "local")
        .set("directory", "metastore")
        .set("databases", declared.stream().map(Declared::specValue).toList())
        .build(), new TestProviderContext(environment, folder));
    return (Provisioner) metastore;
  }

  @Override
  protected Metastore bareMetastore() {
    return bare;
  }
}
