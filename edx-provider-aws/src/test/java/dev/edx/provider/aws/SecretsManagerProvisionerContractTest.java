package dev.edx.provider.aws;

import dev.edx.api.Secret;
import dev.edx.api.spi.Provisioner;
import dev.edx.testkit.ProvisionerContract;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provisioner contract against the {@code secretsmanager} provider's declared secrets,
 * through the real SDK client on the local JSON 1.1 endpoint ({@link LocalSecretsManager}).
 * Ownership is two tags set in CreateSecret itself, so there is no half-created secret to test.
 * Deletes keep the default recovery window, as on AWS: a deleted secret keeps its name until the
 * window ends.
 */
class SecretsManagerProvisionerContractTest extends ProvisionerContract {
  private static LocalSecretsManager service;
  private static LocalJsonEndpoint endpoint;
  private static SecretsManagerSecrets bare;

  @BeforeAll
  static void start() {
    service = new LocalSecretsManager();
    endpoint = new LocalJsonEndpoint(service);
    bare = open("nobody", List.of());
  }

  @AfterAll
  static void stop() {
    bare.close();
    endpoint.close();
  }

  private static SecretsManagerSecrets open(String environment, List<Object> secrets) {
    return SecretsManagerAgainstLocalJsonEndpointTest.open(endpoint, environment,
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
    service.seed(name, "{}");
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
    Map<String, String> tags = service.tags(name);
    return "edx".equals(tags.get("managed-by"))
        ? Optional.ofNullable(tags.get("edx.dev/environment")) : Optional.empty();
  }
}
