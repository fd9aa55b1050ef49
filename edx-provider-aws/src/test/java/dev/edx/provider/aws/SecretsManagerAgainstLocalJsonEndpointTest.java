package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edx.api.Secret;
import dev.edx.api.Secrets;
import dev.edx.api.exceptions.AccessDeniedException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.SecretsProvider;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.SecretsContract;
import dev.edx.toolkit.Specs;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The secrets contract, and the request shapes, pagination and error mapping, of the {@code
 * secretsmanager} provider: the real SDK {@code SecretsManagerClient} against a <b>local HTTP
 * endpoint speaking Secrets Manager's JSON 1.1 protocol</b> ({@link LocalSecretsManager} on
 * {@link LocalJsonEndpoint}), not against AWS. No Secrets Manager runs here.
 */
class SecretsManagerAgainstLocalJsonEndpointTest extends SecretsContract<SecretsManagerSecrets> {
  private static LocalSecretsManager service;
  private static LocalJsonEndpoint endpoint;
  private static SecretsManagerSecrets secrets;

  @BeforeAll
  static void start() {
    service = new LocalSecretsManager();
    endpoint = new LocalJsonEndpoint(service);
    secrets = open(b -> b.set(SecretsManagerProperties.RECOVERY_WINDOW_DAYS.key(), 7));
  }

  @AfterAll
  static void stop() {
    secrets.close();
    endpoint.close();
  }

  static SecretsManagerSecrets open(UnaryOperator<ServiceSpec.Builder> more) {
    return open("test", more);
  }

  static SecretsManagerSecrets open(String environment, UnaryOperator<ServiceSpec.Builder> more) {
    return open(endpoint, environment, more);
  }

  /** The {@code secretsmanager} secrets of {@code environment} on a local endpoint. */
  static SecretsManagerSecrets open(LocalJsonEndpoint endpoint, String environment,
      UnaryOperator<ServiceSpec.Builder> more) {
    SecretsProvider provider = ServiceLoader.load(SecretsProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("secretsmanager"))
        .findFirst().orElseThrow();
    ServiceSpec.Builder spec = ServiceSpec.builder("secrets", "secretsmanager")
        .set(AwsProperties.ENDPOINT.key(), endpoint.uri().toString())
        .set(AwsProperties.REGION.key(), "us-east-1")
        .set(AwsProperties.RETRY_BASE_DELAY.key(), "10ms")
        .setSensitive(AwsProperties.ACCESS_KEY_ID.key(), "AKIDEXAMPLE")
        .setSensitive(AwsProperties.SECRET_ACCESS_KEY.key(), "local-endpoint-secret-key");
    Secrets created = Specs.create(provider, more.apply(spec).build(),
        new TestContext(environment));
    return (SecretsManagerSecrets) created;
  }

  @Override
  protected SecretsManagerSecrets secrets() {
    return secrets;
  }

  @Test
  void putSendsAJsonObjectWithAnIdempotencyTokenThenNewVersions() throws Exception {
    String name = newName();
    endpoint.clearRequests();
    secrets.put(Secret.of(name, Map.of("user", "edx", "password", "pw-1")));
    secrets.put(Secret.of(name, Map.of("user", "edx", "password", "pw-2")));

    var create = endpoint.requests("CreateSecret");
    assertThat(create).hasSize(2);
    assertThat(create.get(0).header("X-Amz-Target")).isEqualTo("secretsmanager.CreateSecret");
    assertThat(create.get(0).header("Content-Type")).startsWith("application/x-amz-json-1.1");
    assertThat(create.get(0).body().get("Name").asText()).isEqualTo(name);
    assertThat(create.get(0).body().get("ClientRequestToken").asText()).hasSizeGreaterThan(30);
    assertThat(LocalJsonEndpoint.JSON.readTree(create.get(0).body().get("SecretString").asText()))
        .isEqualTo(LocalJsonEndpoint.JSON.readTree("{\"password\":\"pw-1\",\"user\":\"edx\"}"));
    var putValue = endpoint.requests("PutSecretValue");
    assertThat(putValue).hasSize(1);
    assertThat(putValue.get(0).body().get("SecretId").asText()).isEqualTo(name);
    assertThat(secrets.get(name).orElseThrow().require("password")).isEqualTo("pw-2");
    secrets.delete(name);
  }

  @Test
  void deleteUsesTheRecoveryWindowAndAPutRestores() {
    String name = newName();
    secrets.put(Secret.of(name, Map.of("k", "v1")));
    endpoint.clearRequests();

    assertThat(secrets.delete(name)).isTrue();

    var delete = endpoint.requests("DeleteSecret").get(0).body();
    assertThat(delete.get("RecoveryWindowInDays").asLong()).isEqualTo(7);
    assertThat(delete.has("ForceDeleteWithoutRecovery")).isFalse();
    assertThat(service.scheduledForDeletion(name)).isTrue();
    assertThat(secrets.get(name)).as("scheduled for deletion reads as absent").isEmpty();
    assertThat(secrets.delete(name)).isFalse();

    secrets.put(Secret.of(name, Map.of("k", "v2")));
    assertThat(endpoint.requests("RestoreSecret")).hasSize(1);
    assertThat(secrets.get(name).orElseThrow().reveal()).isEqualTo(Map.of("k", "v2"));
    secrets.delete(name);
  }

  @Test
  void forceDeleteHasNoRecoveryWindow() {
    try (SecretsManagerSecrets force = open(b -> b.set(SecretsManagerProperties.FORCE_DELETE.key(),
        true))) {
      String name = newName();
      force.put(Secret.of(name, Map.of("k", "v")));
      endpoint.clearRequests();
      assertThat(force.delete(name)).isTrue();
      var delete = endpoint.requests("DeleteSecret").get(0).body();
      assertThat(delete.get("ForceDeleteWithoutRecovery").asBoolean()).isTrue();
      assertThat(delete.has("RecoveryWindowInDays")).isFalse();
      assertThat(service.scheduledForDeletion(name)).isFalse();
    }
  }

  @Test
  void listPagesThroughListSecrets() {
    for (int i = 0; i < 230; i++) {
      service.seed(String.format("%spage-%03d", RUN_PREFIX, i), "{\"k\":\"v\"}");
    }
    endpoint.clearRequests();

    List<String> names = secrets.list().stream().filter(n -> n.contains("page-")).toList();

    assertThat(names).hasSize(230).isSorted();
    var pages = endpoint.requests("ListSecrets");
    assertThat(pages.size()).isGreaterThanOrEqualTo(3);
    assertThat(pages.get(0).body().get("MaxResults").asInt()).isEqualTo(100);
    assertThat(pages.get(1).body().get("NextToken").asText()).isEqualTo("100");
    names.forEach(secrets::delete);
  }

  @Test
  void throttlingIsRetriedWithBackoff() {
    String name = newName();
    secrets.put(Secret.of(name, Map.of("k", "value")));
    endpoint.clearRequests();
    endpoint.failNext("GetSecretValue", 3, "ThrottlingException", 400, "Rate exceeded");

    assertThat(secrets.get(name)).hasValueSatisfying(s ->
        assertThat(s.require("k")).isEqualTo("value"));
    assertThat(endpoint.requests("GetSecretValue")).hasSize(4);
    secrets.delete(name);
  }

  @Test
  void errorsAreMappedWithoutValues() {
    endpoint.failNext("GetSecretValue", 1, "AccessDeniedException", 400,
        "User is not authorized to perform secretsmanager:GetSecretValue");
    assertThatThrownBy(() -> secrets.get("some-secret"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("Cannot read secret 'some-secret'")
        .hasMessageNotContaining("local-endpoint-secret-key");

    endpoint.failNext("CreateSecret", 1, "LimitExceededException", 400, "Too many secrets");
    assertThatThrownBy(() -> secrets.put(Secret.of(newName(), Map.of("k", "do-not-show"))))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("LimitExceededException")
        .hasMessageNotContaining("do-not-show");

    service.seed(RUN_PREFIX + "not-json", "this is not json: hunter2");
    assertThatThrownBy(() -> secrets.get(RUN_PREFIX + "not-json"))
        .isInstanceOf(ProviderException.class).hasMessageContaining("not JSON")
        .hasMessageNotContaining("hunter2");
    secrets.delete(RUN_PREFIX + "not-json");
  }

  @Test
  void aDeclaredSecretScheduledForDeletionIsRestoredOnlyIfThisEnvironmentOwnedIt() {
    String ours = RUN_PREFIX + "prov-restored";
    String theirs = RUN_PREFIX + "prov-not-claimed";
    service.seed(theirs, "{\"a\":\"1\"}");
    secrets.delete(theirs);
    try (SecretsManagerSecrets prov = open("restore",
        b -> b.set(SecretsManagerProperties.SECRETS.key(), List.of(ours)))) {
      prov.apply();
      prov.put(Secret.of(ours, Map.of("k", "v")));
      prov.delete(ours);
      assertThat(service.scheduledForDeletion(ours)).isTrue();

      assertThat(prov.apply()).extracting(Change::action).containsExactly(Change.Action.CREATE);
      assertThat(service.scheduledForDeletion(ours)).isFalse();
      assertThat(prov.get(ours).orElseThrow().keys()).as("restored with its last value")
          .containsExactly("k");
      prov.destroy(DataPolicy.PURGE);
    }
    try (SecretsManagerSecrets prov = open("restore",
        b -> b.set(SecretsManagerProperties.SECRETS.key(), List.of(theirs)))) {
      assertThatThrownBy(prov::apply).isInstanceOf(ProviderException.class)
          .hasMessageContaining("Cannot create secret '" + theirs + "'")
          .hasMessageContaining("scheduled for deletion");
      assertThat(service.scheduledForDeletion(theirs)).as("not claimed").isTrue();
    }
  }
}
