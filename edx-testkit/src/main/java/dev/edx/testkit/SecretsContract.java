package dev.edx.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edx.api.Secret;
import dev.edx.api.Secrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Secrets} keeps. A provider's test extends it, supplies {@link
 * #secrets()}, and overrides {@link #supports} where it differs from {@link EdxCapability}'s
 * defaults. A read-only provider (without {@link EdxCapability#SECRETS_WRITE}) also overrides
 * {@link #existingSecret()} to name a secret its fixture holds.
 *
 * <p>Secrets are named {@code edx-<random6>-<n>}, one random part per run, so leftovers of an
 * interrupted run can be found; each test deletes the secrets it put.
 *
 * @param <S> the secrets under test
 */
public abstract class SecretsContract<S extends Secrets> {

  /** The prefix of every secret this run creates. */
  protected static final String RUN_PREFIX = "edx-" + randomSuffix() + "-";

  /** Part of every value the contract writes; must never show up in a message. */
  private static final String MARKER = "s3cr3t-" + randomSuffix();
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final List<String> created = new ArrayList<>();

  /** The secrets under test; the same instance for the whole test method. */
  protected abstract S secrets();

  /**
   * Whether the provider has a capability; defaults to {@link EdxCapability#defaultSupported()}.
   */
  protected boolean supports(EdxCapability capability) {
    return capability.defaultSupported();
  }

  /** How long {@link #awaitConsistent} retries: raise it for eventually consistent stores. */
  protected Duration consistencyTimeout() {
    return Duration.ofSeconds(5);
  }

  /**
   * A secret the provider holds, for the read tests. A writable provider puts a fresh one; a
   * read-only provider must override this to return one that its fixture holds.
   */
  protected Secret existingSecret() {
    if (!supports(EdxCapability.SECRETS_WRITE)) {
      throw new IllegalStateException("A read-only secrets provider's contract test must override"
          + " existingSecret() to return a secret its fixture holds");
    }
    Secret secret = Secret.of(newName(), Map.of("user", "edx", "password", MARKER + "-pw"));
    put(secret);
    return secret;
  }

  /** A fresh secret name of this run. */
  protected String newName() {
    return RUN_PREFIX + COUNTER.incrementAndGet();
  }

  /** Retries an assertion until it passes or {@link #consistencyTimeout()} is over. */
  protected void awaitConsistent(Runnable assertion) {
    Consistency.awaitConsistent(consistencyTimeout(), assertion);
  }

  @AfterEach
  void deleteCreatedSecrets() {
    for (String name : created) {
      try {
        secrets().delete(name);
      } catch (RuntimeException e) {
        System.err.println("Cannot clean up secret " + name + ": " + e.getClass().getName());
      }
    }
    created.clear();
  }

  private void put(Secret secret) {
    created.add(secret.name());
    secrets().put(secret);
  }

  // ------------------------------------------------------------------------------ tests

  @Test
  void putGetListDeleteRoundTrip() {
    if (!supports(EdxCapability.SECRETS_WRITE)) {
      Secret secret = Secret.of(newName(), Map.of("password", MARKER));
      assertThatThrownBy(() -> secrets().put(secret))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("read-only")
          .hasMessageNotContaining(MARKER);
      assertThatThrownBy(() -> secrets().delete(existingSecret().name()))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("read-only");
      assertThat(secrets().get(secret.name())).isEmpty();
      assertThat(secrets().get(existingSecret().name())).contains(existingSecret());
      return;
    }
    Secret secret = Secret.of(newName(), Map.of("user", "edx", "password", MARKER));
    put(secret);

    awaitConsistent(() -> assertThat(secrets().get(secret.name())).contains(secret));
    awaitConsistent(() -> assertThat(secrets().list()).contains(secret.name()));

    assertThat(secrets().delete(secret.name())).isTrue();
    awaitConsistent(() -> {
      assertThat(secrets().get(secret.name())).isEmpty();
      assertThat(secrets().list()).doesNotContain(secret.name());
    });
  }

  @Test
  void existingSecretIsReadWithAllItsKeys() {
    Secret secret = existingSecret();
    awaitConsistent(() -> {
      Optional<Secret> read = secrets().get(secret.name());
      assertThat(read).isPresent();
      assertThat(read.get().keys()).isEqualTo(secret.keys());
      assertThat(read.get().reveal()).isEqualTo(secret.reveal());
      assertThat(secrets().list()).contains(secret.name());
    });
  }

  @Test
  void putReplacesAllKeys() {
    assumeTrue(supports(EdxCapability.SECRETS_WRITE));
    String name = newName();
    put(Secret.of(name, Map.of("a", "1", "b", "2")));
    put(Secret.of(name, Map.of("c", "3")));
    awaitConsistent(() -> assertThat(secrets().get(name))
        .hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo(Map.of("c", "3"))));
  }

  @Test
  void valuesRoundTripExactly() {
    assumeTrue(supports(EdxCapability.SECRETS_WRITE));
    Map<String, String> values = Map.of(
        "empty", "",
        "spaces", "  leading and trailing  ",
        "lines", "line1\nline2\r\nline3",
        "symbols", "a=b:c#d!e\\f\"g'h",
        "unicode", "pässwörd-密码-\uD83D\uDD11",
        "KEY_with.dots-and_caps", MARKER);
    Secret secret = Secret.of(newName(), values);
    put(secret);
    awaitConsistent(() -> assertThat(secrets().get(secret.name()))
        .hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo(values)));
  }

  @Test
  void missingSecretIsEmpty() {
    assertThat(secrets().get(newName())).isEmpty();
  }

  @Test
  void deletingAMissingSecretReturnsFalse() {
    if (!supports(EdxCapability.SECRETS_WRITE)) {
      assertThatThrownBy(() -> secrets().delete(newName()))
          .isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    assertThat(secrets().delete(newName())).isFalse();
  }

  @Test
  void listIsSorted() {
    if (supports(EdxCapability.SECRETS_WRITE)) {
      for (String suffix : List.of("b", "a.b", "a-b", "a")) {
        put(Secret.of(RUN_PREFIX + "list-" + suffix, Map.of("k", "v")));
      }
      awaitConsistent(() -> assertThat(secrets().list()).contains(RUN_PREFIX + "list-a",
          RUN_PREFIX + "list-a-b", RUN_PREFIX + "list-a.b", RUN_PREFIX + "list-b"));
    } else {
      assertThat(secrets().list()).contains(existingSecret().name());
    }
    assertThat(secrets().list()).isSortedAccordingTo(Comparator.naturalOrder());
  }

  @Test
  void toStringMasksValues() {
    Secret secret = existingSecret();
    Secret read = secrets().get(secret.name()).orElseThrow();
    for (String value : nonTrivialValues(read)) {
      assertThat(read.toString()).doesNotContain(value);
      assertThat(secrets().toString()).doesNotContain(value);
    }
    assertThat(read.toString()).contains(secret.name());
  }

  @Test
  void valuesNeverAppearInExceptionMessages() {
    Secret secret = existingSecret();
    Secret read = secrets().get(secret.name()).orElseThrow();
    List<Throwable> failures = new ArrayList<>();
    failures.add(catchThrowable(() -> read.require("no-such-key")));
    failures.add(catchThrowable(() -> secrets().get("Not A Valid Name")));
    failures.add(catchThrowable(() -> secrets().delete("Not/Valid")));
    failures.add(catchThrowable(() -> secrets().put(Secret.of(secret.name(), read.reveal()))));
    for (Throwable failure : failures) {
      if (failure == null) {
        continue; // a writable provider accepted the put
      }
      for (Throwable t = failure; t != null; t = t.getCause()) {
        for (String value : nonTrivialValues(read)) {
          assertThat(String.valueOf(t.getMessage())).doesNotContain(value);
          assertThat(t.toString()).doesNotContain(value);
        }
      }
    }
    assertThat(failures.get(0)).isNotNull();
    assertThat(failures.get(1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(failures.get(2)).isInstanceOfAny(IllegalArgumentException.class,
        UnsupportedOperationException.class);
  }

  private static List<String> nonTrivialValues(Secret secret) {
    List<String> values = new ArrayList<>();
    for (String value : secret.reveal().values()) {
      if (value.length() >= 4) {
        values.add(value);
      }
    }
    assertThat(values).as("the secret used must hold a value of at least 4 characters")
        .isNotEmpty();
    return values;
  }

  private static String randomSuffix() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
