package dev.edx.provider.aws;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edx.api.Secret;
import dev.edx.api.Secrets;
import dev.edx.api.exceptions.EdxException;
import dev.edx.api.exceptions.ProviderException;
import dev.edx.api.spi.Change;
import dev.edx.api.spi.DataPolicy;
import dev.edx.api.spi.Provisioner;
import dev.edx.toolkit.OwnedResourceProvisioner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Secrets in AWS Secrets Manager. A secret's keys and values are its {@code SecretString}, a JSON
 * object of strings (what the console's key/value view writes). {@link #put} creates the secret
 * (CreateSecret, with an idempotency token) or stores a new version (PutSecretValue), restoring
 * one scheduled for deletion first; {@link #delete} schedules deletion with the spec's recovery
 * window, or deletes at once with {@code forceDelete}; {@link #list} pages through ListSecrets.
 * A secret scheduled for deletion reads as absent. Values appear in no message, log or {@code
 * toString}.
 *
 * <p>Thread safe. {@link #close()} closes the client.
 */
final class SecretsManagerSecrets implements Secrets, Provisioner, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SecretsManagerSecrets.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SERVICE = "secrets";

  private final SecretsManagerSettings settings;
  private final SecretsManagerClient client;
  private final SecretProvisioner provisioner;
  private final AtomicBoolean closed = new AtomicBoolean();

  SecretsManagerSecrets(SecretsManagerSettings settings, String environment) {
    this(settings, environment, List.of());
  }

  /** As the public constructor, with SDK interceptors (tests observe requests with them). */
  SecretsManagerSecrets(SecretsManagerSettings settings, String environment,
      List<ExecutionInterceptor> interceptors) {
    this.settings = requireNonNull(settings, "settings is null");
    this.client = settings.aws().build(SecretsManagerClient.builder(), interceptors);
    this.provisioner = new SecretProvisioner(environment);
  }

  @Override
  public Optional<Secret> get(String name) {
    validate(name);
    String what = "read secret '" + name + "'";
    try {
      GetSecretValueResponse value = call(what, name, false,
          () -> client.getSecretValue(b -> b.secretId(name)));
      return Optional.of(Secret.of(name, parse(name, value.secretString())));
    } catch (Missing e) {
      return Optional.empty();
    }
  }

  @Override
  public void put(Secret secret) {
    requireNonNull(secret, "secret is null");
    String name = secret.name();
    String value = json(secret.reveal());
    String what = "put secret '" + name + "'";
    try {
      call(what, name, true, () -> client.createSecret(b -> {
        b.name(name).secretString(value).clientRequestToken(UUID.randomUUID().toString())
            .description("Managed by edx");
        settings.kmsKeyId().ifPresent(b::kmsKeyId);
      }));
      LOG.info("Created secret {} on {}", name, settings.aws().where());
      return;
    } catch (Exists e) {
      // a new version of the secret
    } catch (ScheduledForDeletion e) {
      call(what, () -> client.restoreSecret(b -> b.secretId(name)));
      LOG.info("Restored secret {} scheduled for deletion, to put a new value", name);
    }
    try {
      putValue(name, value, what);
    } catch (ScheduledForDeletion e) {
      call(what, () -> client.restoreSecret(b -> b.secretId(name)));
      LOG.info("Restored secret {} scheduled for deletion, to put a new value", name);
      putValue(name, value, what);
    }
    LOG.debug("Put a new version of secret {}", name);
  }

  private void putValue(String name, String value, String what) {
    call(what, name, true, () -> client.putSecretValue(b -> b.secretId(name).secretString(value)
        .clientRequestToken(UUID.randomUUID().toString())));
  }

  @Override
  public boolean delete(String name) {
    validate(name);
    String what = "delete secret '" + name + "'";
    try {
      call(what, name, false, () -> client.deleteSecret(b -> {
        b.secretId(name);
        if (settings.forceDelete()) {
          b.forceDeleteWithoutRecovery(true);
        } else {
          b.recoveryWindowInDays((long) settings.recoveryWindowDays());
        }
      }));
    } catch (Missing e) {
      return false;
    }
    LOG.info("Deleted secret {} on {} ({})", name, settings.aws().where(), settings.forceDelete()
        ? "at once" : "recoverable for " + settings.recoveryWindowDays() + " days");
    return true;
  }

  @Override
  public List<String> list() {
    return listEntries().stream().map(SecretListEntry::name).sorted().toList();
  }

  /** All secrets not scheduled for deletion, through ListSecrets' pages. */
  private List<SecretListEntry> listEntries() {
    return call("list secrets", () -> {
      List<SecretListEntry> all = new ArrayList<>();
      for (ListSecretsResponse page : client.listSecretsPaginator(b -> b.maxResults(100))) {
        for (SecretListEntry entry : page.secretList()) {
          if (entry.deletedDate() == null) {
            all.add(entry);
          }
        }
      }
      return all;
    });
  }

  // ------------------------------------------------------------------------------ provisioner

  @Override
  public List<Change> plan() {
    return provisioner.plan();
  }

  @Override
  public List<Change> apply() {
    return provisioner.apply();
  }

  @Override
  public List<Change> destroy(DataPolicy policy) {
    return provisioner.destroy(policy);
  }

  @Override
  public List<Change> planDestroy(DataPolicy policy) {
    return provisioner.planDestroy(policy);
  }

  /**
   * Declared secrets are created empty ({@code {}}), tagged {@code managed-by=edx} and {@code
   * edx.dev/environment} in the CreateSecret call itself; {@code put} fills them. A secret holding
   * keys counts as data: destroy with RETAIN keeps it.
   */
  private final class SecretProvisioner extends OwnedResourceProvisioner {
    SecretProvisioner(String environment) {
      super(SERVICE, "secret", environment, settings.secrets());
    }

    @Override
    protected boolean exists(String name) {
      return describe(name).isPresent();
    }

    @Override
    protected Optional<String> owner(String name) {
      return describe(name).flatMap(d -> owner(d.tags()));
    }

    private Optional<String> owner(List<Tag> tags) {
      Map<String, String> map = new LinkedHashMap<>();
      tags.forEach(t -> map.put(t.key(), t.value()));
      return "edx".equals(map.get(S3ObjectStorage.MANAGED_BY))
          ? Optional.of(map.getOrDefault(S3ObjectStorage.ENVIRONMENT, "")) : Optional.empty();
    }

    @Override
    protected Set<String> ownedByThisEnvironment() {
      Set<String> owned = new TreeSet<>();
      for (SecretListEntry entry : listEntries()) {
        if (owner(entry.tags()).filter(environment()::equals).isPresent()) {
          owned.add(entry.name());
        }
      }
      return owned;
    }

    @Override
    protected void create(String name) {
      try {
        call("create secret '" + name + "'", name, true, () -> client.createSecret(b -> {
          b.name(name).secretString("{}").clientRequestToken(UUID.randomUUID().toString())
              .description("Managed by edx").tags(tags());
          settings.kmsKeyId().ifPresent(b::kmsKeyId);
        }));
      } catch (Exists e) {
        LOG.debug("Secret {} appeared while applying", name);
      } catch (ScheduledForDeletion e) {
        restoreOwn(name);
      }
    }

    /**
     * A secret deleted with a recovery window keeps its name until the window ends, and
     * CreateSecret is refused meanwhile. If it was this environment's (deleted behind edx's back,
     * or by a destroy), restoring it makes it exist again, with its last value; anyone else's is
     * not claimed.
     */
    private void restoreOwn(String name) {
      DescribeSecretResponse d = call("describe secret '" + name + "'",
          () -> client.describeSecret(b -> b.secretId(name)));
      if (owner(d.tags()).filter(environment()::equals).isEmpty()) {
        throw new ProviderException("Cannot create secret '" + name + "' on "
            + settings.aws().where() + ": a secret of that name that environment '"
            + environment() + "' does not own is scheduled for deletion; restore it and declare"
            + " it with adopt: true, or wait until its recovery window ends");
      }
      call("restore secret '" + name + "'", () -> client.restoreSecret(b -> b.secretId(name)));
      LOG.info("Restored secret {} on {}, which was scheduled for deletion", name,
          settings.aws().where());
    }

    @Override
    protected void adopt(String name) {
      call("tag secret '" + name + "'", () -> client.tagResource(b -> b.secretId(name)
          .tags(tags())));
    }

    private List<Tag> tags() {
      return List.of(Tag.builder().key(S3ObjectStorage.MANAGED_BY).value("edx").build(),
          Tag.builder().key(S3ObjectStorage.ENVIRONMENT).value(environment()).build());
    }

    @Override
    protected long dataCount(String name) {
      return get(name).map(s -> (long) s.keys().size()).orElse(0L);
    }

    @Override
    protected String dataUnit() {
      return "keys";
    }

    @Override
    protected void delete(String name) {
      SecretsManagerSecrets.this.delete(name);
    }

    private Optional<DescribeSecretResponse> describe(String name) {
      try {
        DescribeSecretResponse d = call("describe secret '" + name + "'",
            () -> client.describeSecret(b -> b.secretId(name)));
        return d.deletedDate() == null ? Optional.of(d) : Optional.empty();
      } catch (Missing e) {
        return Optional.empty();
      }
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  private static void validate(String name) {
    requireNonNull(name, "name is null");
    Secret.of(name, Map.of()); // checks the name: IllegalArgumentException naming the rule
  }

  private static Map<String, String> parse(String name, String text) {
    if (text == null) {
      throw new ProviderException("Cannot read secret '" + name + "': it holds a binary value,"
          + " not a JSON object of strings");
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new ProviderException("Cannot read secret '" + name + "': its value is not a JSON"
            + " object of key/value strings");
      }
      Map<String, String> values = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().isTextual()
          ? e.getValue().textValue() : e.getValue().toString()));
      return values;
    } catch (JsonProcessingException e) {
      // the parser's message quotes the text: leave it out
      throw new ProviderException("Cannot read secret '" + name + "': its value is not JSON"
          + " (line " + e.getLocation().getLineNr() + ")");
    }
  }

  private static String json(Map<String, String> values) {
    try {
      return JSON.writeValueAsString(new java.util.TreeMap<>(values));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a secret as JSON", e);
    }
  }

  /** The secret does not exist (or is scheduled for deletion). */
  private static final class Missing extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Missing() {
      super(null, null, false, false);
    }
  }

  private static final class Exists extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Exists() {
      super(null, null, false, false);
    }
  }

  private static final class ScheduledForDeletion extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScheduledForDeletion() {
      super(null, null, false, false);
    }
  }

  private <T> T call(String what, Supplier<T> call) {
    return call(what, null, false, call);
  }

  /**
   * Runs a call about secret {@code secret} (null for none). A secret scheduled for deletion is
   * told by its state, not by the error's text: Secrets Manager answers such calls with {@code
   * InvalidRequestException} and messages that vary by operation ("marked for deletion",
   * "already scheduled for deletion", "currently marked deleted"), and moto answers CreateSecret
   * with {@code ResourceExistsException} (and then accepts a PutSecretValue that nobody could
   * read); DescribeSecret's {@code DeletedDate} settles it. Then a write ({@code write}) throws
   * {@link ScheduledForDeletion}, so the caller can restore the secret, and a read or delete
   * throws {@link Missing}.
   */
  private <T> T call(String what, String secret, boolean write, Supplier<T> call) {
    if (closed.get()) {
      throw new IllegalStateException("Cannot " + what + ": the secretsmanager secrets are"
          + " closed");
    }
    try {
      return call.get();
    } catch (EdxException | IllegalArgumentException e) {
      throw e;
    } catch (SdkException e) {
      String code = AwsErrors.code(e);
      switch (code) {
        case "ResourceNotFoundException":
          throw new Missing();
        case "ResourceExistsException", "InvalidRequestException":
          if (secret != null && scheduledForDeletion(secret)) {
            throw write ? new ScheduledForDeletion() : new Missing();
          }
          if (code.equals("ResourceExistsException")) {
            throw new Exists();
          }
          break;
        default:
          break;
      }
      // the service's message never holds a secret value; the request is not quoted
      throw AwsErrors.unmapped(e, what, settings.aws());
    }
  }

  /** Whether DescribeSecret shows {@code name} scheduled for deletion (false when unsure). */
  private boolean scheduledForDeletion(String name) {
    try {
      return client.describeSecret(b -> b.secretId(name)).deletedDate() != null;
    } catch (SdkException e) {
      LOG.debug("Cannot describe secret {} to tell whether it is scheduled for deletion: {}",
          name, AwsErrors.code(e));
      return false;
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "SecretsManagerSecrets{" + settings + "}";
  }
}
