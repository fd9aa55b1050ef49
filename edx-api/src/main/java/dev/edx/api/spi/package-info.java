/**
 * The service-provider interface: one named factory per service ({@link
 * dev.edx.api.spi.StorageProvider}, {@link dev.edx.api.spi.ComputeProvider}, {@link
 * dev.edx.api.spi.MetastoreProvider}, {@link dev.edx.api.spi.SecretsProvider}, and {@link
 * dev.edx.api.spi.DataStoreProvider} for the data stores of {@code spec.datastores}), discovered
 * with {@link java.util.ServiceLoader}, and the {@link dev.edx.api.spi.Provisioner} contract for
 * services that can create what they serve. What providers share beyond these contracts (typed
 * settings, the ownership provisioning algorithm) is in the provider toolkit, {@code edx-toolkit}.
 */
package dev.edx.api.spi;
