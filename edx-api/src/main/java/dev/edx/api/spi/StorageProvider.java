package dev.edx.api.spi;

import dev.edx.api.ObjectStorage;

/** Provides {@link ObjectStorage}: the {@code spec.storage} section of an environment spec. */
public interface StorageProvider extends ServiceProvider<ObjectStorage> {}
