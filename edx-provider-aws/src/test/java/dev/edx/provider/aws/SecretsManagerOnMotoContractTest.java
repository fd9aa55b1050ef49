package dev.edx.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edx.api.Secret;
import dev.edx.api.exceptions.AccessDeniedException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.ServiceSpec;
import dev.edx.testkit.MotoServer;
import dev.edx.testkit.SecretsContract;
import dev.edx.toolkit.Specs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The secrets contract, and what the {@code secretsmanager} provider does beyond it (idempotency
 * tokens, new versions, recovery window and restore, force delete, ListSecrets' pages, the error
 * mapping), on moto's server, a third-party implementation of Secrets Manager. Requests are
 * observed with an SDK interceptor ({@link SdkCalls}); throttling and access denied, which moto
 * does not answer on its own, are injected there before the request is sent. Skipped when moto
 * is not installed.
 */
class SecretsManagerOnMotoContractTest extends SecretsContract<SecretsManagerSecrets> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static MotoServer moto;
  private static SdkCalls calls;
  private static SecretsManagerSecrets secrets;
  private static SecretsManagerClient raw;

  @BeforeAll
  static void start() {
    moto = MotoTesting.start();
    calls = new SdkCalls();
    secrets = open("test", b -> b.set(SecretsManagerProperties.RECOVERY_WINDOW_DAYS.key(), 7));
    raw = MotoTesting.client(moto, SecretsManagerClient.builder());
  }

  @AfterAll
  static void stop() {
    if (moto != null) {
      raw.close();
      secrets.close();
      moto.close();
    }
  }

  /** The {@code secretsmanager} secrets of {@code environment} on moto, observed by calls. */
  static SecretsManagerSecrets open(String environment, UnaryOperator<ServiceSpec.Builder> more) {
    return open(moto, calls, environment, more);
  }

  static SecretsManagerSecrets open(MotoServer moto, SdkCalls calls, String environment,
      UnaryOperator<ServiceSpec.Builder> more) {
    ServiceSpec spec = Specs.checked(new SecretsManagerProvider(),
        more.apply(MotoTesting.spec(moto, "secrets", "secretsmanager")).build());
    return new SecretsManagerSecrets(SecretsManagerSettings.parse(spec), environment,
        List.of(calls));
  }

  @Override
  protected SecretsManagerSecrets secrets() {
    return secrets;
  }

  private static boolean scheduledForDeletion(String name) {
    try {
      return raw.describeSecret(b -> b.secretId(name)).deletedDate() != null;
    } catch (ResourceNotFoundException e) {
      return false;
    }
  }

  private static boolean existsAtAll(String name) {
    try {
      raw.describeSecret(b -> b.secretId(name));
      return true;
    } catch (ResourceNotFoundException e) {
      return false;
    }
  }

  @Test
  void putSendsAJsonObjectWithAnIdempotencyTokenThenNewVersions() throws Exception {
    String name = newName();
    calls.clear();
    secrets.put(Secret.of(name, Map.of("user", "edx", "password", "pw-1")));
    secrets.put(Secret.of(name, Map.of("user", "edx", "password", "pw-2")));

    var create = calls.requests("CreateSecret", CreateSecretRequest.class);
    assertThat(create).hasSize(2);
    assertThat(create.get(0).name()).isEqualTo(name);
    assertThat(create.get(0).clientRequestToken()).hasSizeGreaterThan(30)
        .isNotEqualTo(create.get(1).clientRequestToken());
    assertThat(JSON.readTree(raw.getSecretValue(b -> b.secretId(name)).secretString()))
        .isEqualTo(JSON.readTree("{\"password\":\"pw-2\",\"user\":\"edx\"}"));
    var putValue = calls.requests("PutSecretValue", PutSecretValueRequest.class);
    assertThat(putValue).singleElement().satisfies(p -> {
      assertThat(p.secretId()).isEqualTo(name);
      assertThat(p.clientRequestToken()).hasSizeGreaterThan(30);
    });
    assertThat(raw.listSecretVersionIds(b -> b.secretId(name)).versions()).hasSize(2);
    assertThat(secrets.get(name).orElseThrow().require("password")).isEqualTo("pw-2");
    secrets.delete(name);
  }

  @Test
  void deleteUsesTheRecoveryWindowAndAPutRestores() {
    String name = newName();
    secrets.put(Secret.of(name, Map.of("k", "v1")));
    calls.clear();

    assertThat(secrets.delete(name)).isTrue();

    assertThat(calls.requests("DeleteSecret", DeleteSecretRequest.class)).singleElement()
        .satisfies(d -> {
          assertThat(d.recoveryWindowInDays()).isEqualTo(7);
          assertThat(d.forceDeleteWithoutRecovery()).isNull();
        });
    assertThat(scheduledForDeletion(name)).isTrue();
    assertThat(secrets.get(name)).as("scheduled for deletion reads as absent").isEmpty();
    assertThat(secrets.list()).doesNotContain(name);
    assertThat(secrets.delete(name)).isFalse();

    calls.clear();
    secrets.put(Secret.of(name, Map.of("k", "v2")));
    assertThat(calls.requests("RestoreSecret", SdkRequest.class)).hasSize(1);
    assertThat(scheduledForDeletion(name)).isFalse();
    assertThat(secrets.get(name).orElseThrow().reveal()).isEqualTo(Map.of("k", "v2"));
    secrets.delete(name);
  }

  @Test
  void forceDeleteHasNoRecoveryWindow() {
    try (SecretsManagerSecrets force = open("test",
        b -> b.set(SecretsManagerProperties.FORCE_DELETE.key(), true))) {
      String name = newName();
      force.put(Secret.of(name, Map.of("k", "v")));
      calls.clear();

      assertThat(force.delete(name)).isTrue();

      assertThat(calls.requests("DeleteSecret", DeleteSecretRequest.class)).singleElement()
          .satisfies(d -> {
            assertThat(d.forceDeleteWithoutRecovery()).isTrue();
            assertThat(d.recoveryWindowInDays()).isNull();
          });
      assertThat(existsAtAll(name)).as("gone at once").isFalse();
      force.put(Secret.of(name, Map.of("k", "again")));
      assertThat(force.get(name).orElseThrow().require("k")).isEqualTo("again");
      force.delete(name);
    }
  }

  @Test
  void listPagesThroughListSecretsAndLeavesOutSecretsScheduledForDeletion() {
    List<String> seeded = new ArrayList<>();
    for (int i = 0; i < 230; i++) {
      String name = String.format("%spage-%03d", RUN_PREFIX, i);
      raw.createSecret(b -> b.name(name).secretString("{\"k\":\"v\"}"));
      seeded.add(name);
    }
    secrets.delete(seeded.get(0));
    calls.clear();

    List<String> names = secrets.list().stream().filter(n -> n.contains("page-")).toList();

    assertThat(names).hasSize(229).isSorted().doesNotContain(seeded.get(0));
    var pages = calls.requests("ListSecrets", ListSecretsRequest.class);
    assertThat(pages.size()).isGreaterThanOrEqualTo(3);
    assertThat(pages).allSatisfy(p -> assertThat(p.maxResults()).isEqualTo(100));
    assertThat(pages.get(0).nextToken()).isNull();
    assertThat(pages.get(1).nextToken()).isNotEmpty();
    seeded.forEach(n -> raw.deleteSecret(b -> b.secretId(n).forceDeleteWithoutRecovery(true)));
  }

  @Test
  void throttlingIsRetriedWithBackoff() {
    String name = newName();
    secrets.put(Secret.of(name, Map.of("k", "value")));
    calls.clear();
    calls.failNext("GetSecretValue", 3, "ThrottlingException", 400, "Rate exceeded");

    assertThat(secrets.get(name)).hasValueSatisfying(s ->
        assertThat(s.require("k")).isEqualTo("value"));
    assertThat(calls.requests("GetSecretValue", SdkRequest.class))
        .as("three throttled attempts, then the one moto answered").hasSize(4);
    secrets.delete(name);
  }

  @Test
  void errorsAreMappedWithoutValues() {
    calls.failNext("GetSecretValue", 1, "AccessDeniedException", 400,
        "User is not authorized to perform secretsmanager:GetSecretValue");
    assertThatThrownBy(() -> secrets.get("some-secret"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("Cannot read secret 'some-secret'")
        .hasMessageNotContaining(MotoServer.SECRET_KEY);

    calls.failNext("CreateSecret", 1, "LimitExceededException", 400, "Too many secrets");
    String name = newName();
    assertThatThrownBy(() -> secrets.put(Secret.of(name, Map.of("k", "do-not-show"))))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("LimitExceededException")
        .hasMessageNotContaining("do-not-show");
    assertThat(existsAtAll(name)).as("the refused request never reached moto").isFalse();

    String notJson = RUN_PREFIX + "not-json";
    raw.createSecret(b -> b.name(notJson).secretString("this is not json: hunter2"));
    assertThatThrownBy(() -> secrets.get(notJson))
        .isInstanceOf(ProviderException.class).hasMessageContaining("not JSON")
        .hasMessageNotContaining("hunter2");
    String binary = RUN_PREFIX + "binary";
    raw.createSecret(b -> b.name(binary).secretBinary(
        SdkBytes.fromUtf8String("hunter2")));
    assertThatThrownBy(() -> secrets.get(binary))
        .isInstanceOf(ProviderException.class).hasMessageContaining("binary")
        .hasMessageNotContaining("hunter2");
    List.of(notJson, binary).forEach(n ->
        raw.deleteSecret(b -> b.secretId(n).forceDeleteWithoutRecovery(true)));
  }

  @Test
  void aDeclaredSecretScheduledForDeletionIsRestoredOnlyIfThisEnvironmentOwnedIt() {
    String ours = RUN_PREFIX + "prov-restored";
    String theirs = RUN_PREFIX + "prov-not-claimed";
    raw.createSecret(b -> b.name(theirs).secretString("{\"a\":\"1\"}"));
    secrets.delete(theirs);
    try (SecretsManagerSecrets prov = open("restore",
        b -> b.set(SecretsManagerProperties.SECRETS.key(), List.of(ours)))) {
      prov.apply();
      prov.put(Secret.of(ours, Map.of("k", "v")));
      prov.delete(ours);
      assertThat(scheduledForDeletion(ours)).isTrue();

      assertThat(prov.apply()).extracting(Change::action).containsExactly(Change.Action.CREATE);
      assertThat(scheduledForDeletion(ours)).isFalse();
      assertThat(prov.get(ours).orElseThrow().keys()).as("restored with its last value")
          .containsExactly("k");
      prov.destroy(DataPolicy.PURGE);
    }
    try (SecretsManagerSecrets prov = open("restore",
        b -> b.set(SecretsManagerProperties.SECRETS.key(), List.of(theirs)))) {
      assertThatThrownBy(prov::apply).isInstanceOf(ProviderException.class)
          .hasMessageContaining("Cannot create secret '" + theirs + "'")
          .hasMessageContaining("scheduled for deletion");
      assertThat(scheduledForDeletion(theirs)).as("not claimed").isTrue();
    }
    List.of(ours, theirs).forEach(n ->
        raw.deleteSecret(b -> b.secretId(n).forceDeleteWithoutRecovery(true)));
  }
}
