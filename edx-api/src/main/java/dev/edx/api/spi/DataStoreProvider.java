package dev.edx.api.spi;

import dev.edx.api.DataStore;

/**
 * Provides a {@link DataStore}: one entry of the {@code spec.datastores} section, whose {@link
 * ServiceSpec#service()} is {@code datastores.NAME}. A store that can create what it serves
 * (schemas, topics) also implements {@link Provisioner}.
 */
public interface DataStoreProvider extends ServiceProvider<DataStore> {}
