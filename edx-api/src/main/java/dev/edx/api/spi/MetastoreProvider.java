package dev.edx.api.spi;

import dev.edx.api.Metastore;

/** Provides {@link Metastore}: the {@code spec.metastore} section of an environment spec. */
public interface MetastoreProvider extends ServiceProvider<Metastore> {}
