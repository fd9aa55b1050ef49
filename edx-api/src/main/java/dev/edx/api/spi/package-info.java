/**
 * The service-provider interface: one named factory per service ({@link
 * dev.edx.api.spi.StorageProvider}, {@link dev.edx.api.spi.ComputeProvider}, {@link
 * dev.edx.api.spi.MetastoreProvider}, {@link dev.edx.api.spi.SecretsProvider}), discovered with
 * {@link java.util.ServiceLoader}, and the {@link dev.edx.api.spi.Provisioner} contract for services
 * that can create what they serve.
 */
package dev.edx.api.spi;
