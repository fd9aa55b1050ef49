package dev.edx.provider.aws;

import dev.edx.api.Column;
import dev.edx.api.Database;
import dev.edx.api.TableDefinition;
import dev.edx.api.TableId;
import dev.edx.api.spi.Provisioner;
import dev.edx.testkit.ProvisionerContract;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provisioner contract against the {@code glue} metastore's databases, through the real SDK
 * client on the local JSON 1.1 endpoint ({@link LocalGlue}). Ownership is two database
 * parameters written in CreateDatabase itself, so there is no half-created database to test.
 */
class GlueProvisionerContractTest extends ProvisionerContract {
  private static LocalJsonEndpoint endpoint;
  private static GlueMetastore bare;

  @BeforeAll
  static void start() {
    endpoint = new LocalJsonEndpoint(new LocalGlue());
    bare = open("nobody", List.of());
  }

  @AfterAll
  static void stop() {
    bare.close();
    endpoint.close();
  }

  private static GlueMetastore open(String environment, List<Object> databases) {
    return GlueAgainstLocalJsonEndpointTest.open(endpoint, environment,
        b -> b.set(GlueProperties.DATABASES.key(), databases));
  }

  @Override
  protected Provisioner provisioner(String environment, List<Declared> declared) {
    return open(environment, declared.stream().map(Declared::specValue).toList());
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
    bare.createTable(TableDefinition.of(TableId.of(name, "events"), "s3a://lake/" + name,
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
}
