package dev.edx.provider.aws;

import dev.edx.api.Metastore;
import dev.edx.api.spi.Provisioner;
import dev.edx.testkit.MetastoreProvisionerContract;
import dev.edx.testkit.MotoServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provisioner contract against the {@code glue} metastore's databases, on moto's server
 * (skipped when moto is not installed). Ownership is two database parameters written in
 * CreateDatabase itself, so there is no half-created database to test.
 */
class GlueProvisionerOnMotoContractTest extends MetastoreProvisionerContract {
  private static MotoServer moto;
  private static SdkCalls calls;
  private static GlueMetastore bare;

  @BeforeAll
  static void start() {
    moto = MotoTesting.start();
    calls = new SdkCalls();
    bare = open("nobody", List.of());
  }

  @AfterAll
  static void stop() {
    if (moto != null) {
      bare.close();
      moto.close();
    }
  }

  private static GlueMetastore open(String environment, List<Object> databases) {
    return GlueOnMotoContractTest.open(moto, calls, environment,
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
