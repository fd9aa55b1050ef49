package dev.edx.api.spi;

import dev.edx.api.Compute;

/** Provides {@link Compute}: the {@code spec.compute} section of an environment spec. */
public interface ComputeProvider extends ServiceProvider<Compute> {}
