package dev.edx.core.local;

import static java.util.Objects.requireNonNull;

import dev.edx.api.Secret;
import dev.edx.api.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only secrets taken from environment variables. With prefix {@code EDX_SECRET_}, the
 * variable {@code EDX_SECRET_PG__PASSWORD} is key {@code password} of secret {@code pg}: a double
 * underscore separates the secret's name from the key, both are lowercased, and a single
 * underscore in the name becomes {@code -} ({@code EDX_SECRET_MY_DB__USER} is key {@code user} of
 * {@code my-db}). Variables without a double underscore, or whose name or key breaks the secret
 * naming rules, are ignored (logged at DEBUG by variable name).
 *
 * <p>The variables are read once, when this is constructed. {@link #put} and {@link #delete} throw
 * {@link UnsupportedOperationException}. Thread safe (immutable).
 */
public final class EnvSecrets implements Secrets {
  private static final Logger LOG = LoggerFactory.getLogger(EnvSecrets.class);
  private static final String SEPARATOR = "__";

  private final String prefix;
  private final Map<String, Secret> secrets;

  /**
   * @param variables the environment, such as {@link System#getenv()}; copied
   * @param prefix the prefix of the variables that hold secrets, such as {@code EDX_SECRET_}
   */
  public EnvSecrets(Map<String, String> variables, String prefix) {
    requireNonNull(variables, "variables is null");
    this.prefix = requireNonNull(prefix, "prefix is null");
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("prefix is empty: every variable would be a secret");
    }
    Map<String, Map<String, String>> values = new TreeMap<>();
    for (Map.Entry<String, String> variable : new TreeMap<>(variables).entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith(prefix) || variable.getValue() == null) {
        continue;
      }
      String rest = name.substring(prefix.length());
      int separator = rest.indexOf(SEPARATOR);
      if (separator <= 0 || separator + SEPARATOR.length() == rest.length()) {
        LOG.debug("Ignoring variable {}: it is not {}<NAME>__<KEY>", name, prefix);
        continue;
      }
      String secretName = rest.substring(0, separator).toLowerCase(Locale.ROOT).replace('_', '-');
      String key = rest.substring(separator + SEPARATOR.length()).toLowerCase(Locale.ROOT);
      try {
        Secret.of(secretName, Map.of(key, "")); // the naming rules; throws with the names only
      } catch (IllegalArgumentException e) {
        LOG.debug("Ignoring variable {}: {}", name, e.getMessage());
        continue;
      }
      values.computeIfAbsent(secretName, n -> new TreeMap<>()).put(key, variable.getValue());
    }
    Map<String, Secret> parsed = new TreeMap<>();
    values.forEach((secretName, keys) -> parsed.put(secretName, Secret.of(secretName, keys)));
    this.secrets = parsed;
  }

  @Override
  public Optional<Secret> get(String name) {
    return Optional.ofNullable(secrets.get(SecretNames.validate(name)));
  }

  /** @throws UnsupportedOperationException always: environment variables are read-only */
  @Override
  public void put(Secret secret) {
    requireNonNull(secret, "secret is null");
    throw readOnly("put", secret.name());
  }

  /** @throws UnsupportedOperationException always: environment variables are read-only */
  @Override
  public boolean delete(String name) {
    requireNonNull(name, "name is null");
    throw readOnly("delete", name);
  }

  @Override
  public List<String> list() {
    return List.copyOf(new ArrayList<>(secrets.keySet()));
  }

  private static UnsupportedOperationException readOnly(String verb, String name) {
    return new UnsupportedOperationException("Cannot " + verb + " secret '" + name
        + "': the env secrets provider is read-only; use the local or k8s provider to write"
        + " secrets");
  }

  @Override
  public String toString() {
    return "EnvSecrets{prefix=" + prefix + ", secrets=" + secrets.keySet() + "}";
  }
}
