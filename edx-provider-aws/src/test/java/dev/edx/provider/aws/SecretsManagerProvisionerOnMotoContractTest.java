package dev.edx.provider.aws;

import dev.edx.api.Secret;
import dev.edx.api.spi.Provisioner;
import dev.edx.testkit.MotoServer;
import dev.edx.testkit.ProvisionerContract;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * The provisioner contract against the {@code secretsmanager} provider's declared secrets, on
 * moto's server (skipped when moto is not installed). Ownership is two tags set in CreateSecret
 * itself, so there is no half-created secret to test; the tags are read back with a plain SDK
 * client. Deletes keep the default recovery window, as on AWS: a deleted secret keeps its name
 * until the window ends.
 */
class SecretsManagerProvisionerOnMotoContractTest extends ProvisionerContract {
  private static MotoServer moto;
  private static SdkCalls calls;
  private static SecretsManagerSecrets bare;
  private static SecretsManagerClient raw;

  @BeforeAll
  static void start() {
    moto = MotoTesting.start();
    calls = new SdkCalls();
    bare = open("nobody", List.of());
    raw = MotoTesting.client(moto, SecretsManagerClient.builder());
  }

  @AfterAll
  static void stop() {
    if (moto != null) {
      raw.close();
      bare.close();
      moto.close();
    }
  }

  private static SecretsManagerSecrets open(String environment, List<Object> secrets) {
    return SecretsManagerOnMotoContractTest.open(moto, calls, environment,
        b -> b.set(SecretsManagerProperties.SECRETS.key(), secrets));
  }

  @Override
  protected Provisioner provisioner(String environment, List<Declared> declared) {
    return open(environment, declared.stream().map(Declared::specValue).toList());
  }

  @Override
  protected String kind() {
    return "secret";
  }

  @Override
  protected void createUnowned(String name) {
    raw.createSecret(b -> b.name(name).secretString("{}"));
  }

  @Override
  protected void putData(String name) {
    bare.put(Secret.of(name, Map.of("password", "data")));
  }

  @Override
  protected boolean holdsData(String name) {
    return bare.get(name).filter(s -> !s.keys().isEmpty()).isPresent();
  }

  @Override
  protected void deleteBehindBack(String name) {
    bare.delete(name);
  }

  @Override
  protected boolean exists(String name) {
    return bare.get(name).isPresent();
  }

  @Override
  protected Optional<String> owner(String name) {
    var described = raw.describeSecret(b -> b.secretId(name));
    Map<String, String> tags = described.hasTags() ? described.tags().stream()
        .collect(Collectors.toMap(Tag::key, Tag::value)) : Map.of();
    return "edx".equals(tags.get("managed-by"))
        ? Optional.ofNullable(tags.get("edx.dev/environment")) : Optional.empty();
  }
}
