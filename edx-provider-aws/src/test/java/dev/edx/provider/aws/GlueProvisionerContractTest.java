package dev.edx.provider.aws;

import dev.edx.api.Metastore;
import dev.edx.api.spi.Provisioner;
import dev.edx.testkit.MetastoreProvisionerContract;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provisioner contract against the {@code glue} metastore's databases, through the real SDK
 * client on the local JSON 1.1 endpoint ({@link LocalGlue}). Ownership is two database
 * parameters written in CreateDatabase itself, so there is no half-created database to test.
 */
class GlueProvisionerContractTest extends MetastoreProvisionerContract {
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
  protected Metastore bareMetastore() {
    return bare;
  }

  @Override
  protected String tableLocation(String database) {
    return "s3a://lake/" + database;
  }
}
