package dev.edx.api.spi;

import dev.edx.api.Secrets;

/** Provides {@link Secrets}: the {@code spec.secrets} section of an environment spec. */
public interface SecretsProvider extends ServiceProvider<Secrets> {}
