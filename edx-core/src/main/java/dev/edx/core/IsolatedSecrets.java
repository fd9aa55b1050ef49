package dev.edx.core;

import dev.edx.api.Secret;
import dev.edx.api.Secrets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Secrets seen through an {@link Isolation}: logical names in, physical below. */
final class IsolatedSecrets implements Secrets {
  private final Secrets delegate;
  private final Isolation isolation;

  IsolatedSecrets(Secrets delegate, Isolation isolation) {
    this.delegate = delegate;
    this.isolation = isolation;
  }

  @Override
  public Optional<Secret> get(String name) {
    return delegate.get(isolation.secret(name)).map(s -> Secret.of(name, s.reveal()));
  }

  @Override
  public void put(Secret secret) {
    delegate.put(Secret.of(isolation.secret(secret.name()), secret.reveal()));
  }

  @Override
  public boolean delete(String name) {
    return delegate.delete(isolation.secret(name));
  }

  @Override
  public List<String> list() {
    return delegate.list().stream().map(isolation::logicalSecret).filter(Objects::nonNull)
        .sorted().toList();
  }
}
