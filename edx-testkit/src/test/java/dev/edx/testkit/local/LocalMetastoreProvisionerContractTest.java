package dev.edx.testkit.local;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.Metastore;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.spi.MetastoreProvider;
import dev.edx.api.spi.Provisioner;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.ProvisionerContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioner contract against the {@code local} metastore's databases. Ownership is two
 * database properties set in the create itself, so there is no half-created database to test.
 */
class LocalMetastoreProvisionerContractTest extends ProvisionerContract {
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
        .build(), new NamedProviderContext(environment, folder));
    return (Provisioner) metastore;
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
        ? Optional.ofNullable(properties.get("edx.dev/environment"))
        : Optional.empty();
  }
}
